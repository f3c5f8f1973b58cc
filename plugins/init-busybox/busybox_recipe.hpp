// How busybox is built against musl: the build chroot's packages, the configuration (Debian's
// static flavour with the two options musl cannot serve), the compiler flags, the make
// command, the checks of the result and the cache key that names one build. Pure functions,
// so the exact command lines are unit-tested; busybox_build.cpp runs them.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/source_packages.hpp"

namespace berth::init_busybox {

// The binary package whose source is built: Debian's static flavour of busybox.
inline constexpr const char* kBinaryPackage = "busybox-static";
// The flavour's configuration in the source: debian/config/os/linux, then this file.
inline constexpr const char* kFlavourConfig = "debian/config/pkg/static";
inline constexpr const char* kOsConfig = "debian/config/os/linux";

// The packages of the build chroot, from busybox's debian/control: its Build-Depends without
// Debian's packaging (debhelper) and tests (<!nocheck>: zip), plus musl-tools (musl-gcc)
// and linux-libc-dev (the kernel's headers, which musl-gcc's include path lacks).
std::vector<std::string> chroot_packages(const std::string& control);

// What Berth's configuration changes in Debian's static one, as .config lines: the two
// options that need glibc's GNU regex API (re_search, RE_SYNTAX_*), which musl lacks.
// EXTRA_COMPAT only adds grep -z (and matching across NULs in a line); VI_REGEX_SEARCH
// makes vi's / search take regular expressions instead of plain text. Every applet stays.
const std::vector<std::string>& config_overrides();

// The .config written before `make silentoldconfig` (Kconfig keeps the first assignment of a
// symbol, as debian/rules relies on): the overrides, then the OS's and the flavour's files.
std::string initial_config(const std::string& os_config, const std::string& flavour_config);

// What `make silentoldconfig` must give back: the flavour's file with the overridden lines
// replaced in place (debian/rules diffs its result against the flavour's file the same way,
// to catch options the upstream source added). Error when an override names a symbol the
// flavour's file does not have.
std::string expected_config(const std::string& flavour_config);

// The compiler flags of the build, from dpkg-buildflags' CFLAGS=, CPPFLAGS= and LDFLAGS=
// (asked with buildflags_env()): -O2 filtered out of CFLAGS as debian/rules does (busybox's
// own -Os stays), GCC 14's incompatible-pointer-types error made a warning again (syslogd
// passes a sockaddr_un to getsockname, which glibc's transparent union accepts and musl's
// plain struct sockaddr * does not), and the kernel headers' directory on the include path.
std::vector<std::string> musl_flags(const std::vector<std::string>& debian_flags);

// The environment debian/rules exports before it asks dpkg-buildflags.
std::vector<std::string> buildflags_env();

// Where the build puts links to the kernel's headers (linux/, asm/, asm-generic/, mtd/):
// musl-gcc searches musl's headers and this directory only, not glibc's /usr/include.
inline constexpr const char* kKernelHeaders = "/build/kernel-headers";
struct HeaderLink {
  std::string name;    // in kKernelHeaders
  std::string target;  // absolute in the chroot
};
std::vector<HeaderLink> kernel_header_links(const std::string& multiarch);

// The build directory (O=) and its program.
inline constexpr const char* kBuildDir = "/build/b";
inline constexpr const char* kSourceDir = "/build/src";

// make's arguments for `target` (silentoldconfig, all) as debian/rules gives them for a
// flavour, with CC=musl-gcc; `flags` from musl_flags(). BB_EXTRA_VERSION says the Debian
// version it came from and "musl" (`busybox --help`'s first line).
std::vector<std::string> make_args(const std::string& target, const std::vector<std::string>& flags,
                                   const std::string& source_version);

// Whether `busybox --help` names this source's upstream version ("BusyBox v1.37.0 (...)
// multi-call binary." for 1:1.37.0-6).
bool reports_version(const std::string& help_output, const std::string& source_version);

// Problems of a supposedly static program, from `readelf -lW` and `readelf -dW`: an
// interpreter (PT_INTERP) or a needed library (DT_NEEDED). Empty when it is static.
std::vector<std::string> static_problems(const std::string& program_headers,
                                         const std::string& dynamic_section);

// The applets of `busybox --list` output in `expected` and missing from `built`, and the
// other way round, each as "missing NAME" / "extra NAME".
std::vector<std::string> applet_differences(const std::string& expected, const std::string& built);

// Everything that changes the result, as one text; its SHA-256 names the cache entry.
struct BuildKeyParts {
  sdk::SourceRef source;
  std::string multiarch;
  std::string config;                        // expected_config() of the flavour's file
  std::vector<std::string> flags;            // musl_flags()
  std::vector<std::string> chroot_packages;  // name=version of every package in the chroot
};
std::string key_text(const BuildKeyParts& parts);

}  // namespace berth::init_busybox
