// A "3.0 (quilt)" source package unpacked as dpkg-source would: the orig tarball, its
// components, debian/, and Debian's patch series applied; then a plugin's own patches.
#pragma once

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/source_apt.hpp"
#include "berth/sdk/source_packages.hpp"

namespace berth::sdk {

// Unpacks a tarball whose members sit under one top directory into `target` (that
// directory's contents, as dpkg-source does with an orig tarball or a component).
inline void unpack_tree(BuildContext& ctx, const std::filesystem::path& tarball,
                        const std::filesystem::path& target) {
  namespace fs = std::filesystem;
  const fs::path scratch = target.string() + ".unpack";
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  ctx.run({"tar", "-xf", tarball.string(), "-C", scratch.string(), "--no-same-owner"});
  std::vector<fs::path> top;
  for (const auto& entry : fs::directory_iterator(scratch)) top.push_back(entry.path());
  if (top.size() != 1 || !fs::is_directory(top.front())) {
    throw Error(tarball.filename().string() + ": not one top directory");
  }
  fs::remove_all(target);
  fs::rename(top.front(), target);
  fs::remove_all(scratch);
}

// One patch, -p1, into `tree`; fails on a hunk that does not apply (or was applied).
inline void apply_patch(BuildContext& ctx, const std::filesystem::path& tree,
                        const std::filesystem::path& patch) {
  ctx.run({"patch", "-d", tree.string(), "-p1", "-N", "-s", "--no-backup-if-mismatch", "-i",
           patch.string()});
}

// debian/patches/series, in order; '#' lines are comments (quilt applies them with -p1).
inline void apply_series(BuildContext& ctx, const std::filesystem::path& tree) {
  const std::filesystem::path series = tree / "debian" / "patches" / "series";
  if (!std::filesystem::exists(series)) return;
  std::istringstream lines(read_text(series));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    if (name.empty() || name.front() == '#') continue;
    if (name.find("..") != std::string::npos) throw Error("series: bad patch " + name);
    std::string option;
    if (words >> option && option != "-p1") {
      throw Error(series.string() + ": " + name + " asks for " + option);
    }
    apply_patch(ctx, tree, tree / "debian" / "patches" / name);
  }
}

// debian/ of one source package, alone in `tree`: what a cache key and a build chroot are
// made of (Build-Depends, changelog), without unpacking the sources.
inline SourceLayout unpack_debian(BuildContext& ctx, SourceApt& apt, const SourceRef& source,
                                  const std::filesystem::path& tree) {
  const auto layout = source_layout(apt.download(source), source.name, source.version);
  std::filesystem::remove_all(tree);
  std::filesystem::create_directories(tree);
  ctx.run({"tar", "-xf", apt.file(layout.debian).string(), "-C", tree.string(), "--no-same-owner"});
  return layout;
}

// The whole tree of that source package in `tree`, Debian's patches applied.
inline void unpack_source(BuildContext& ctx, SourceApt& apt, const SourceLayout& layout,
                          const std::filesystem::path& tree) {
  unpack_tree(ctx, apt.file(layout.orig), tree);
  for (const auto& [component, file] : layout.components) {
    unpack_tree(ctx, apt.file(file), tree / component);
  }
  ctx.run({"tar", "-xf", apt.file(layout.debian).string(), "-C", tree.string(), "--no-same-owner"});
  apply_series(ctx, tree);
}

// A plugin's own patches in `dir` (*.patch), sorted by name; none when `dir` is missing.
inline std::vector<std::filesystem::path> patches_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> patches;
  if (std::filesystem::is_directory(dir)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".patch") patches.push_back(entry.path());
    }
  }
  std::sort(patches.begin(), patches.end());
  return patches;
}

}  // namespace berth::sdk
