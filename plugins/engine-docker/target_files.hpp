// Links in the target rootfs, made from the build host: the path is read the way the target
// will read it (sdk/root_paths.hpp), so an absolute link on the way never leads into the host.
#pragma once

#include <filesystem>

namespace berth::engine_docker {

namespace fs = std::filesystem;

// Make `path` on the target a symlink to `target`, replacing a symlink that is there.
// Returns false, leaving it alone, when a real file or directory is in the way.
bool link_in_root(const fs::path& root, const fs::path& path, const fs::path& target);

}  // namespace berth::engine_docker
