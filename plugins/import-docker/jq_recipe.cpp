#include "jq_recipe.hpp"

#include <set>
#include <sstream>

namespace berth::import_docker {

std::vector<std::string> jq_chroot_packages(const std::string& control) {
  // Debian's packaging, the manual's generator (python3 with its modules), the test
  // runner's valgrind, and the regex library this build leaves out.
  static const std::set<std::string> kNotUsed = {"debhelper-compat", "libonig-dev", "valgrind"};
  std::vector<std::string> packages;
  for (const auto& depend : sdk::build_depends(control)) {
    if (kNotUsed.count(depend.package) != 0 || depend.package.rfind("python3", 0) == 0) continue;
    if (depend.profiles.find("!nodoc") != std::string::npos ||
        depend.profiles.find("!nocheck") != std::string::npos) {
      continue;
    }
    packages.push_back(depend.package);
  }
  packages.push_back("autoconf");
  packages.push_back("automake");
  return packages;
}

std::vector<std::string> jq_configure_args() {
  return {
      "--prefix=/usr",
      // As debhelper's dh_auto_configure.
      "--disable-maintainer-mode",
      "--disable-dependency-tracking",
      // No Oniguruma: test, match, capture, scan, splits, sub and gsub answer with jq's
      // own error; nothing of Berth's uses them (plugins/import-docker/README.md).
      "--without-oniguruma",
      // libjq as a static library only, so the jq program carries the part of it it uses
      // and the image no libjq.so.1.
      "--disable-shared",
      "--enable-static",
      // What Berth never ships or runs: the manual (its generator needs python3 modules)
      // and the test suite's valgrind runs.
      "--disable-docs",
      "--disable-valgrind",
  };
}

std::vector<std::string> jq_buildflags_env() {
  return {"DEB_BUILD_MAINT_OPTIONS=hardening=+all"};
}

std::string jq_version_script(const std::string& source_version) {
  return "#!/bin/sh\necho '" + sdk::upstream_version(source_version) + "'\n";
}

bool jq_reports_version(const std::string& output, const std::string& source_version) {
  const std::string expected = "jq-" + sdk::upstream_version(source_version);
  return output == expected || output == expected + "\n";
}

std::vector<std::string> jq_unwanted_libraries(const std::string& readelf_dynamic) {
  static const char* const kLibraries[] = {"libonig.so", "libjq.so"};
  std::vector<std::string> found;
  std::istringstream lines(readelf_dynamic);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(NEEDED)") == std::string::npos) continue;
    const auto open = line.find('[');
    const auto close = line.find(']', open);
    if (open == std::string::npos || close == std::string::npos) continue;
    const std::string name = line.substr(open + 1, close - open - 1);
    for (const char* library : kLibraries) {
      if (name.rfind(library, 0) == 0) found.push_back(name);
    }
  }
  return found;
}

std::string jq_key_text(const JqKeyParts& parts) {
  std::ostringstream text;
  // The steps of jq_build.cpp: bump when they change.
  text << "import-docker jq 1\n";
  text << "source " << parts.source.name << " " << parts.source.version << "\n";
  text << "version " << sdk::upstream_version(parts.source.version) << "\n";
  text << "configure";
  for (const auto& arg : jq_configure_args()) text << " " << arg;
  text << "\n";
  for (const auto& flag : parts.flags) text << "flags " << flag << "\n";
  for (const auto& package : parts.chroot_packages) text << "chroot " << package << "\n";
  return text.str();
}

}  // namespace berth::import_docker
