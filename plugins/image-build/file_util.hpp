// File operations the image builder needs beyond std::filesystem.
#pragma once

#include <filesystem>

namespace berth::image_build {

namespace fs = std::filesystem;

// Moves `source` to `target` atomically for readers of `target`: through a temporary name
// beside `target` (a copy first when they are on different file systems).
void move_into_place(const fs::path& source, const fs::path& target);

// Removes a tree a previous, possibly failed, mmdebstrap run left. Refuses (Error naming
// the mount point) while anything is mounted under it: removing would reach into /proc,
// /sys or the host's /dev.
void remove_tree(const fs::path& tree);

}  // namespace berth::image_build
