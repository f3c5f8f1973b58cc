// How jq is built without regular expressions: the build chroot's packages, the configure
// flags, the checks of the result, and the cache key that names one build. Pure functions,
// so the exact command lines are unit-tested; jq_build.cpp runs them.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/source_packages.hpp"

namespace berth::import_docker {

// The binary package whose source is built (libjq1 comes from the same source).
inline constexpr const char* kJqPackage = "jq";

// The packages of the build chroot, from jq's debian/control: its Build-Depends without
// what only Debian's packaging (debhelper), the manual (the python3 modules) and the tests
// (valgrind) use, and without Oniguruma's headers (libonig-dev), which this build leaves
// out; plus autoconf and automake, which Debian's debhelper brings for its autoreconf: the
// orig tarball (a git snapshot) has no configure.
std::vector<std::string> jq_chroot_packages(const std::string& control);

// ./configure's arguments: no regular expressions (Oniguruma), and libjq only as a static
// library, which the program links into itself (no libjq.so.1 to ship: smaller, measured in
// BENCHMARKS.md); no manual (Berth ships none) and no valgrind for the tests.
std::vector<std::string> jq_configure_args();

// The compiler flags Debian's debian/rules asks dpkg-buildflags for (hardening=+all): the
// environment of that question.
std::vector<std::string> jq_buildflags_env();

// What scripts/version prints, which autoreconf writes into configure and make into
// `jq --version`: the source's upstream version. Debian's patch-version-into-build.patch
// has it print a fixed "1.7" (jq 1.7.1 says jq-1.7); this build says what it is built from.
std::string jq_version_script(const std::string& source_version);

// Whether `jq --version` said this source's upstream version ("jq-1.7.1" for 1.7.1-6+deb13u4).
bool jq_reports_version(const std::string& output, const std::string& source_version);

// The libraries of `readelf -d` output (NEEDED entries) that the built jq must not link:
// Oniguruma's libonig (the regex engine left out) and libjq (linked in statically).
std::vector<std::string> jq_unwanted_libraries(const std::string& readelf_dynamic);

// What jq built without Oniguruma answers a regex filter with (on standard error, exit 5):
// what a user typing test(), match(), capture(), sub(), gsub(), scan() or splits() sees.
inline constexpr const char* kNoRegexMessage = "jq was compiled without ONIGURUMA regex library";

// A real filter run on the built program before it is cached: the importer's labels.jq
// (files/rootfs/usr/lib/berth/labels.jq) on these labels must print these lines.
inline constexpr const char* kSampleLabels =
    R"({"io.whalebrew.name":"hello","io.whalebrew.config.ports":"[\"8080:80\",\"\"]",)"
    R"("io.berth.devices":"[\"/dev/kvm\\n\"]","io.whalebrew.config.environment":"not json",)"
    R"("io.berth.gui":"true","io.berth.privileged":"no","other":1})";
inline constexpr const char* kSampleLabelsOutput =
    "name hello\nbad io.whalebrew.config.environment\nport 8080:80\nbad io.berth.devices\ngui\n";

// Everything that changes the result, as one text; its SHA-256 names the cache entry.
struct JqKeyParts {
  sdk::SourceRef source;
  std::vector<std::string> flags;            // CFLAGS=..., CPPFLAGS=..., LDFLAGS=...
  std::vector<std::string> chroot_packages;  // name=version of every package in the chroot
};
std::string jq_key_text(const JqKeyParts& parts);

}  // namespace berth::import_docker
