// How cryptsetup is built with the kernel crypto backend: the build chroot's packages, the
// configure flags, the checks of the result, and the cache key that names one build. Pure
// functions, so the exact command lines are unit-tested; cryptsetup_build.cpp runs them.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/source_packages.hpp"

namespace berth::crypt_luks {

// The binary package whose source is built (libcryptsetup12 comes from the same source).
inline constexpr const char* kBinaryPackage = "cryptsetup-bin";
// The argon2 library Debian packages (libargon2-1): what --enable-libargon2 links.
inline constexpr const char* kArgon2Package = "libargon2-1";

// The packages of the build chroot, from cryptsetup's debian/control: its Build-Depends
// without what only Debian's packaging, documentation (<!nodoc>) and tests (<!nocheck>)
// use, without the crypto backends and token plugins Berth does not build (OpenSSL,
// libssh), plus libargon2-dev. Autotools stay: the orig tarball has no configure.
std::vector<std::string> chroot_packages(const std::string& control);

// ./configure's arguments: Debian's paths, the kernel crypto backend with Debian's
// libargon2, and only cryptsetup itself and its library (no veritysetup, integritysetup,
// SSH token, man pages or translations: Berth ships none of them).
std::vector<std::string> configure_args(const std::string& multiarch);

// The compiler flags Debian's debian/rules asks dpkg-buildflags for (hardening with
// bindnow and PIE, -Wall): the environment of that question.
std::vector<std::string> buildflags_env();

// What the kernel backend calls itself ("Linux 6.12.118 kernel cryptoAPI"): in the
// library's text, and in its debug line "Crypto backend (...) initialized".
inline constexpr const char* kKernelBackendName = "kernel cryptoAPI";

// The backend line of `cryptsetup --debug` output ("Crypto backend (...) initialized in
// cryptsetup library version 2.7.5."), or empty when there is none.
std::string backend_line(const std::string& debug_output);

// Whether `cryptsetup --version` said this source's upstream version
// ("cryptsetup 2.7.5 flags: ..." for 2:2.7.5-2).
bool reports_version(const std::string& output, const std::string& source_version);

// The libraries of `readelf -d` output (NEEDED entries) that are a userspace crypto
// library (OpenSSL, libgcrypt, Nettle, NSS, mbed TLS): with the kernel backend there
// must be none.
std::vector<std::string> userspace_crypto_libraries(const std::string& readelf_dynamic);

// Everything that changes the result, as one text; its SHA-256 names the cache entry.
struct BuildKeyParts {
  sdk::SourceRef source;
  std::string multiarch;
  std::vector<std::string> flags;            // CFLAGS=..., CPPFLAGS=..., LDFLAGS=...
  std::vector<std::string> chroot_packages;  // name=version of every package in the chroot
};
std::string key_text(const BuildKeyParts& parts);

}  // namespace berth::crypt_luks
