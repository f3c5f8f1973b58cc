// Touching files of the target rootfs from the build host. The rootfs is full of
// absolute symlinks that would point into the host if followed naively; these helpers
// read them the way the target will.
#pragma once

#include <filesystem>
#include <string>

namespace berth::engine_docker {

namespace fs = std::filesystem;

// The host path that `path` (as the target sees it) names, with every symlink read
// relative to `root`; with follow_last false a final symlink is not followed.
fs::path in_root(const fs::path& root, const fs::path& path, bool follow_last = true);

// Write `text` to `path` on the target (parents created), replacing what was there;
// never writes through a symlink.
void write_in_root(const fs::path& root, const fs::path& path, const std::string& text,
                   fs::perms perms = fs::perms(0644));

// Make `path` on the target a symlink to `target`, replacing a symlink that is there.
// Returns false, leaving it alone, when a real file or directory is in the way.
bool link_in_root(const fs::path& root, const fs::path& path, const fs::path& target);

std::string read_text(const fs::path& file);

}  // namespace berth::engine_docker
