// The [filesystem] table of fs-squashfs: its schema and the checked values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"

namespace berth::fs_squashfs {

// The base image's blocks: a read anywhere in a block decompresses all of it, and the boot
// reads small files and parts of programs scattered over the whole image. xz decodes
// about 5 MB/s in the guest under TCG, so a 1 MiB block cost 0.19 s per first touch;
// with 128 KiB blocks Docker answered 1.8 s sooner (median of four alternating boots, 14.4
// -> 12.7 s) for 508 KB more image (6 %); 256 KiB gave 1.3 s, 64 KiB no more than 128
// (BENCHMARKS.md, 2026-12-06).
inline constexpr std::uint32_t kDefaultBlockSize = 128u << 10;
// The fast image's: a few large programs that their first start reads nearly whole, so
// squashfs's largest block, which compresses best, wastes little decoding.
inline constexpr std::uint32_t kDefaultFastBlockSize = 1u << 20;

struct Settings {
  std::string compression = "xz";  // mksquashfs -comp: xz, zstd, lz4 or gzip
  // The fast image's (fast_image.hpp): zstd decodes about three times faster than xz in
  // the guest, for 13 % more bytes; "none" leaves every file in the base image.
  std::string fast_compression = "zstd";
  std::uint32_t block_size = kDefaultBlockSize;           // bytes, of the base image
  std::uint32_t fast_block_size = kDefaultFastBlockSize;  // bytes, of the fast image
  // The initrd's part around the base image (busybox, /init, early modules and hooks);
  // the base image itself always goes in a separate, uncompressed part. See
  // read_settings() for why zstd is the default.
  sdk::Compression initrd_compression = sdk::Compression::zstd;
  std::vector<std::string> strip;  // extra rules: globs of what to remove from the rootfs
  std::vector<std::string> keep;   // globs never removed, whatever the rules say
  // contents.txt with an xz estimate per file (a core-minute per 100 MB); default: when
  // the image is xz-compressed, so the release build reports what each file costs.
  bool size_estimate = true;
};

std::vector<sdk::ConfigKey> config_schema();

// Reads and checks the table; throws ConfigError naming the key.
Settings read_settings(const sdk::ConfigTable& table);

}  // namespace berth::fs_squashfs
