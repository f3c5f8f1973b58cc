// Turning mmdebstrap's tree into an image's root: drop what only the build needed, lay the
// recipe's own files over it.
#pragma once

#include <filesystem>

namespace berth::image_build {

namespace fs = std::filesystem;

// Removes var/cache/apt, var/lib/apt/lists, the contents of var/log and dev (Docker
// provides /dev), and the build host's etc/hostname and etc/resolv.conf that mmdebstrap
// copied in (Docker mounts its own).
void prune_image_tree(const fs::path& tree);

// /tmp exists with mode 1777 (a recipe's rootfs may have replaced it).
void ensure_tmp(const fs::path& tree);

}  // namespace berth::image_build
