#include "mmdebstrap_image_args.hpp"

#include <unistd.h>

#include "berth/sdk/error.hpp"

namespace berth::image_build {

std::string image_source_line(const std::string& architecture, const sdk::AptSource& source) {
  if (source.uri.empty() || source.suite.empty()) {
    throw sdk::Error("an image source lacks its URI or suite");
  }
  std::string line = "deb [arch=" + architecture + "] " + source.uri + " " + source.suite;
  if (source.components.empty()) return line + " main";
  for (const auto& component : source.components) line += " " + component;
  return line;
}

std::string hook_word(const fs::path& path) {
  std::string word = "'";
  for (char c : path.string()) word += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return word + "'";
}

std::vector<std::string> mmdebstrap_image_argv(const ImageRecipe& recipe,
                                               const MmdebstrapImageRun& run) {
  if (recipe.include.empty()) throw sdk::Error(recipe.file.string() + ": no packages to install");
  if (recipe.sources.empty()) throw sdk::Error(recipe.file.string() + ": no [debian] sources");
  if (run.tree.empty()) throw sdk::Error("mmdebstrap: no target directory");

  std::string include;
  for (const auto& package : recipe.include) include += (include.empty() ? "" : ",") + package;

  std::vector<std::string> argv = {
      run.program.string(),
      // We are root on the build host: a plain chroot, files owned as in the packages.
      "--mode=root",
      // Essential:yes packages and apt's dependency closure of --include; no apt itself,
      // no Priority: required extras. Maintainer scripts run, so the image works as is.
      "--variant=essential",
      "--format=directory",
      "--architectures=" + run.architecture,
  };
  if (!run.keyring.empty()) argv.push_back("--keyring=" + run.keyring.string());
  // Only what the packages depend on; recommends would pull in half a desktop.
  argv.push_back("--aptopt=APT::Install-Recommends \"false\"");
  // No Translation indexes: nobody reads package descriptions in an image.
  argv.push_back("--aptopt=Acquire::Languages \"none\"");
  // dpkg applies the filters in order, the last match winning: excludes first, then the
  // paths to keep from them. mmdebstrap applies them to the Essential set's extraction too.
  for (const auto& glob : recipe.exclude) argv.push_back("--dpkgopt=path-exclude=" + glob);
  for (const auto& glob : recipe.keep) argv.push_back("--dpkgopt=path-include=" + glob);
  argv.push_back("--include=" + include);
  // Setup hooks run before `apt-get update`, so apt sees the pins from the start.
  if (!run.preferences.empty()) {
    argv.push_back("--setup-hook=copy-in " + hook_word(run.preferences) +
                   " /etc/apt/preferences.d");
  }
  // apt takes a cached .deb whose checksum matches the index and downloads the rest.
  // sync-in needs its target, which does not exist yet when the setup hooks run.
  if (!run.seed_debs.empty()) {
    argv.push_back("--setup-hook=mkdir -p \"$1/var/cache/apt/archives\"");
    argv.push_back("--setup-hook=sync-in " + hook_word(run.seed_debs) + " /var/cache/apt/archives");
  }
  // Keep every .deb in /var/cache/apt/archives until the end, for the package cache: the
  // Essential set's (unlinked after installing by default) and the rest (cleaned up).
  argv.push_back("--skip=essential/unlink");
  argv.push_back("--skip=cleanup/apt/cache");
  argv.push_back(recipe.suite);
  argv.push_back(run.tree.string());
  for (const auto& source : recipe.sources) {
    argv.push_back(image_source_line(run.architecture, source));
  }
  return argv;
}

void require_mmdebstrap(const fs::path& program) {
  if (::access(program.c_str(), X_OK) == 0) return;
  throw sdk::Error(program.string() +
                   " not found; image recipes need mmdebstrap (apt install mmdebstrap)");
}

}  // namespace berth::image_build
