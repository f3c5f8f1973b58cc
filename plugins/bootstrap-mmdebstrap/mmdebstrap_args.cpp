#include "mmdebstrap_args.hpp"

#include <unistd.h>

#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::bootstrap {

std::string source_line(const std::string& architecture, const sdk::AptSource& source) {
  if (source.uri.empty() || source.suite.empty()) {
    throw sdk::Error("a [debian] source lacks its URI or suite");
  }
  std::string line = "deb [arch=" + architecture + "] " + source.uri + " " + source.suite;
  if (source.components.empty()) return line + " main";
  for (const auto& component : source.components) line += " " + component;
  return line;
}

std::vector<std::string> mmdebstrap_argv(const MmdebstrapSettings& settings) {
  if (settings.packages.empty()) throw sdk::Error("no packages to bootstrap");
  if (settings.sources.empty()) throw sdk::Error("[debian] has no sources");
  std::string include;
  for (const auto& package : settings.packages) include += (include.empty() ? "" : ",") + package;

  std::vector<std::string> argv = {
      kMmdebstrapProgram,
      // Unpack the --include packages and their dependencies; no maintainer scripts,
      // not even the Essential set.
      "--variant=extract",
      // Plain chroot-less root mode: the files keep their owners, no user namespace.
      "--mode=root",
      "--format=directory",
      "--architectures=" + settings.architecture,
      // apt trusts this keyring only, for this run (nothing is left in the rootfs).
      "--keyring=" + settings.keyring.string(),
      // No Translation indexes: nobody reads the package descriptions.
      "--aptopt=Acquire::Languages \"none\"",
      "--include=" + include,
      // The rootfs already holds the seeded apt archive and the pins.
      "--skip=check/empty",
      // Nothing runs inside the rootfs, so no /proc, /sys or /dev mounts.
      "--skip=chroot/mount",
      // Keep the .debs: the bootstrap reads and caches them, then prunes the directory.
      "--skip=cleanup/apt/cache",
      // MMDEBSTRAP_ESSENTIAL holds exactly the .debs mmdebstrap extracted (the archive
      // may hold more: the seeded cache). Unquoted on purpose: one file name per word.
      std::string("--extract-hook=printf '%s\\n' $MMDEBSTRAP_ESSENTIAL > \"$1/") + kExtractedList +
          "\"",
      settings.suite,
      settings.rootfs.string(),
  };
  for (const auto& source : settings.sources)
    argv.push_back(source_line(settings.architecture, source));
  return argv;
}

void require_mmdebstrap(const std::filesystem::path& program) {
  if (::access(program.c_str(), X_OK) == 0) return;
  throw sdk::Error("" + program.string() +
                   " not found; install mmdebstrap (apt install mmdebstrap)");
}

std::vector<std::string> extracted_debs(const std::string& list) {
  std::vector<std::string> debs;
  std::istringstream lines(list);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    debs.push_back(std::filesystem::path(line).filename().string());
  }
  return debs;
}

}  // namespace berth::bootstrap
