// Looking at paths inside the target rootfs from the build host. The rootfs is full of
// absolute symlinks (/etc/alternatives/..., merged-/usr links) that would point into the
// host if followed naively; these helpers read them the way the target will.
#pragma once

#include <filesystem>
#include <string>

namespace berth::init_busybox {

namespace fs = std::filesystem;

// The host path that `path` (absolute or relative, as seen on the target) names, with
// every symlink read relative to `root`; ".." never climbs above it. With follow_last
// false, a symlink in the last component is left as it is (like lstat).
// Throws sdk::Error on a symlink loop.
fs::path resolve_in_root(const fs::path& root, const fs::path& path, bool follow_last = true);

// Whether anything (file, directory, device, even a dangling symlink) sits at `path`
// on the target.
bool exists_in_root(const fs::path& root, const fs::path& path);

// Write `text` to `path` on the target (parents created), replacing whatever was there;
// a symlink in its place is removed, never written through.
void write_in_root(const fs::path& root, const fs::path& path, const std::string& text,
                   fs::perms perms = fs::perms(0644));

// The whole file; throws sdk::Error naming it when it cannot be read.
std::string read_text(const fs::path& file);

}  // namespace berth::init_busybox
