// The fast image: files whose start time matters more than their size (Docker's engine
// reads nearly all of its 88 MiB at its first exec), packed apart from the base image with
// a compressor the guest decodes about three times faster than xz, and laid over the base
// image by /init (overlayfs: lowerdir=fast:base). Plugins name the files in the fact
// sdk::facts::kFastPaths.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace berth::fs_squashfs {

// The fact's value: one path per line as seen on the target; blank lines skipped,
// duplicates dropped, order kept.
std::vector<std::string> parse_fast_paths(const std::string& value);

// Every path (relative to `root`, sorted) of the files `paths` names, each followed inside
// `root` to a regular file, with every other hard link to the same file: a name left
// behind would keep a second copy in the base image. Throws Error for a path that is not
// a regular file in `root`.
std::vector<std::filesystem::path> fast_image_files(const std::filesystem::path& root,
                                                    const std::vector<std::string>& paths);

// Lays `files` (relative to `root`) out under `tree`, empty beforehand: hard links into the
// rootfs (a copy across file systems), names of one file linked to each other again, and
// each directory on the way made with the rootfs directory's mode and owner, because
// overlayfs shows the upper layer's attributes for a directory both layers have.
void lay_fast_tree(const std::filesystem::path& root, const std::filesystem::path& tree,
                   const std::vector<std::filesystem::path>& files);

// mksquashfs's exclude file (-ef) for the base image: `files`, one per line, relative to
// the rootfs. Throws Error for a name mksquashfs could not read back (a newline in it).
std::string exclude_list(const std::vector<std::filesystem::path>& files);

}  // namespace berth::fs_squashfs
