// How dropbear is built with its bundled libtomcrypt and libtommath: the build chroot's
// packages, configure's flags and environment, the compile-time options, the checks of the
// result, and the cache key that names one build. Pure functions, so the exact command
// lines are unit-tested; dropbear_build.cpp runs them.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/source_packages.hpp"

namespace berth::remote_access {

// The binary package whose source is built (dropbear and dropbearkey are in it).
inline constexpr const char* kBinaryPackage = "dropbear-bin";

// The packages of the build chroot, from dropbear's debian/control: its Build-Depends
// without Debian's packaging (debhelper) and without the shared libraries this build does
// not link: libtomcrypt and libtommath (dropbear's bundled copies are compiled in) and
// zlib (compression is left out). trixie: libcrypt-dev alone, which libc6-dev brings anyway.
std::vector<std::string> chroot_packages(const std::string& control);

// ./configure's arguments: Debian's (--disable-lastlog, the paths), dropbear's bundled
// libtomcrypt and libtommath instead of Debian's shared ones (Debian passes
// --disable-bundled-libtom), no zlib.
std::vector<std::string> configure_args();

// The compiler flags Debian's debian/rules asks dpkg-buildflags for (all hardening): the
// environment of that question.
std::vector<std::string> buildflags_env();

// configure's environment from dpkg-buildflags' "CFLAGS=...", "CPPFLAGS=...", "LDFLAGS=...":
// LDFLAGS gets what debian/rules adds (-fPIE -pie) and --as-needed (crypt() is found, but
// nothing calls it without password logins, so libcrypt is not linked); LTM_CFLAGS builds
// the bundled libtommath for size (-Os; upstream's default is -O3 -funroll-loops).
std::vector<std::string> configure_env(const std::vector<std::string>& flags);

// make's arguments: one program (dropbearmulti) that is dropbear or dropbearkey by the
// name it is run as; no client (dbclient), no dropbearconvert, no scp.
std::vector<std::string> make_args();

// What the build is called and what it is installed as.
inline constexpr const char* kMultiProgram = "dropbearmulti";

// localoptions.h: Debian's (debian/localoptions.h: the default PATHs, the sftp-server path)
// and then Berth's: no password authentication (Berth's SSH takes keys only, 72-ssh runs
// dropbear -s).
std::string local_options(const std::string& debian_local_options);

// Whether `dropbear -V` said this source's upstream version ("Dropbear v2025.89" for
// 2025.89-1~deb13u1).
bool reports_version(const std::string& output, const std::string& source_version);

// The libraries of `readelf -d` output (NEEDED entries) that this build must not link:
// libtomcrypt, libtommath, libgmp (Debian's libtomcrypt's), zlib and libcrypt.
std::vector<std::string> unwanted_libraries(const std::string& readelf_dynamic);

// Everything that changes the result, as one text; its SHA-256 names the cache entry.
struct BuildKeyParts {
  sdk::SourceRef source;
  std::vector<std::string> flags;            // CFLAGS=..., CPPFLAGS=..., LDFLAGS=...
  std::string debian_local_options;          // debian/localoptions.h of the source
  std::vector<std::string> chroot_packages;  // name=version of every package in the chroot
};
std::string key_text(const BuildKeyParts& parts);

}  // namespace berth::remote_access
