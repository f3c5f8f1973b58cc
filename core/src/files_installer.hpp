// The one installer of a plugin's shipped files (files/rootfs, files/initramfs, files/both)
// into an image tree. The image tree is not trusted: a link in it (say etc -> /etc of the
// build host) must never make a write land outside it, so no link inside the target is ever
// followed; a link where a directory or file is needed is an error, or, for a file, replaced.
#pragma once

#include <filesystem>
#include <string_view>

namespace berth::core {

namespace fs = std::filesystem;

// The parts of a plugin's data directory that the core installs, and where.
struct FilesPart {
  std::string_view name;  // the directory under files/
  bool rootfs;            // into the base image
  bool initramfs;         // into the initramfs
};
inline constexpr FilesPart kFilesParts[] = {
    {"rootfs", true, false},
    {"initramfs", false, true},
    {"both", true, true},  // the same file in both trees (cmdline.sh, the shell library)
};

// Copies the contents of `source` into `target` (which must exist): directories are made
// as needed (existing ones keep their mode), files and links replace what is there.
// Modes are kept, a file that starts with "#!" is made executable (a checkout or install may
// have lost the bit), and, when running as root, everything is owned by root. Never follows
// a link inside `target`. Throws sdk::Error in one line naming the path in the image.
void install_files(const fs::path& source, const fs::path& target);

}  // namespace berth::core
