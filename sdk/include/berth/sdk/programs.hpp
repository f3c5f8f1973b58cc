// The programs a plugin's on-target scripts run: checked in the rootfs before the plugin
// installs its files, so a config whose packages lack one fails the build naming the
// package to add, not the booted system with "command not found".
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"

namespace berth::sdk {

struct RequiredProgram {
  std::string path;     // as the target sees it, absolute: "/usr/sbin/cryptsetup"
  std::string package;  // the Debian package that ships it
};

// The first of `programs` that `rootfs` lacks, or nullptr. A symlink does not count: a link
// to busybox is an applet, which lacks what the scripts need (/usr/bin/tar -> busybox is
// not GNU tar). Links on the way (/sbin -> usr/sbin) are resolved inside `rootfs`, as the
// target resolves them.
inline const RequiredProgram* first_missing_program(const std::filesystem::path& rootfs,
                                                    const std::vector<RequiredProgram>& programs) {
  for (const auto& program : programs) {
    const auto found = resolve_in_root(rootfs, program.path, {.last = LastLink::keep});
    if (!found || !std::filesystem::is_regular_file(std::filesystem::symlink_status(*found))) {
      return &program;
    }
  }
  return nullptr;
}

// Throws Error naming the first missing program and the package to add.
inline void require_programs(const std::filesystem::path& rootfs,
                             const std::vector<RequiredProgram>& programs) {
  if (const auto* missing = first_missing_program(rootfs, programs)) {
    throw Error("no " + missing->path + " in the rootfs: add " + missing->package +
                " to [bootstrap] packages");
  }
}

}  // namespace berth::sdk
