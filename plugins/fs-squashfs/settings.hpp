// The [filesystem] table of fs-squashfs: its schema and the checked values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"

namespace berth::fs_squashfs {

// 1 MiB, squashfs's largest block: bigger blocks compress better with every compressor,
// and the image is read from RAM, where decompressing a whole block per miss is cheap.
inline constexpr std::uint32_t kDefaultBlockSize = 1u << 20;

struct Settings {
  std::string compression = "xz";  // mksquashfs -comp: xz, zstd, lz4 or gzip
  // The fast image's (fast_image.hpp): zstd decodes about three times faster than xz in
  // the guest, for 13 % more bytes; "none" leaves every file in the base image.
  std::string fast_compression = "zstd";
  std::uint32_t block_size = kDefaultBlockSize;  // bytes
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
