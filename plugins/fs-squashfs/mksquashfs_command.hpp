// The mksquashfs command line that packs the rootfs into the base image.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace berth::fs_squashfs {

struct SquashfsOptions {
  std::string compression = "xz";  // xz, zstd, lz4 or gzip
  std::uint32_t block_size = 1u << 20;
  std::string architecture;    // Debian architecture of the rootfs: picks xz's filter
  std::int64_t timestamp = 0;  // every timestamp in the image (SOURCE_DATE_EPOCH)
  int level = 0;               // the compressor's level (-Xcompression-level); 0: its default
  std::filesystem::path exclude_file;  // -ef: paths (relative to the tree) left out
  // -no-fragments: each file's last partial block stored alone. For an image of a few
  // large files: an image with no fragments costs the kernel no fragment cache (3 blocks
  // of RAM per mount, 3 MiB with 1 MiB blocks).
  bool no_fragments = false;
};

// argv for BuildContext::run(), program first. Throws sdk::Error when the timestamp
// does not fit squashfs's unsigned 32-bit times.
std::vector<std::string> mksquashfs_command(const std::filesystem::path& tree,
                                            const std::filesystem::path& image,
                                            const SquashfsOptions& options);

// The xz branch/call/jump filter for a Debian architecture, or "" when there is none
// mksquashfs can use.
std::string xz_bcj_filter(const std::string& architecture);

}  // namespace berth::fs_squashfs
