// Putting a plugin's on-target files into the image: the programs its scripts need must be
// in the rootfs first, then its files/ parts are copied.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::target_files {

struct RequiredProgram {
  std::string path;     // as the target sees it
  std::string package;  // the Debian package that ships it
};

// The first of `programs` that `rootfs` lacks, or nothing. A symlink does not count: a
// link to busybox is an applet, which lacks what the scripts need. Throws nothing.
const RequiredProgram* first_missing_program(const std::filesystem::path& rootfs,
                                             const std::vector<RequiredProgram>& programs);

// Throws sdk::Error naming the first missing program and the package to add.
void require_programs(const std::filesystem::path& rootfs,
                      const std::vector<RequiredProgram>& programs);

// Copies the plugin's data directory `part` (e.g. "rootfs") into `target`; throws
// sdk::Error when the plugin was installed without it.
void copy_plugin_data(sdk::BuildContext& ctx, const std::string& part,
                      const std::filesystem::path& target);

}  // namespace berth::target_files
