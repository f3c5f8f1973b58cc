#include "settings.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "path_glob.hpp"

namespace berth::fs_squashfs {
namespace {

constexpr std::array<std::string_view, 4> kSquashfsCompressors = {"xz", "zstd", "lz4", "gzip"};

constexpr std::array<std::pair<std::string_view, sdk::Compression>, 5> kInitrdCompressors = {{
    {"none", sdk::Compression::none},
    {"gzip", sdk::Compression::gzip},
    {"zstd", sdk::Compression::zstd},
    {"xz", sdk::Compression::xz},
    {"lz4", sdk::Compression::lz4},
}};

template <typename Range, typename Name>
std::string list_names(const Range& range, Name name) {
  std::string out;
  for (const auto& item : range) out += (out.empty() ? "" : ", ") + std::string(name(item));
  return out;
}

std::vector<std::string> read_globs(const sdk::ConfigTable& table, const std::string& key) {
  auto globs = table.get_strings(key);
  for (const auto& glob : globs) {
    try {
      PathGlob{glob};
    } catch (const std::invalid_argument& error) {
      table.fail(key, error.what());
    }
  }
  return globs;
}

// squashfs accepts powers of two between 4 KiB and 1 MiB, nothing else.
std::uint32_t read_block_size(const sdk::ConfigTable& table, const std::string& key,
                              std::uint32_t fallback) {
  const std::int64_t size = table.get_int(key, fallback);
  if (size < 4096 || size > (1 << 20) || (size & (size - 1)) != 0) {
    table.fail(key, std::to_string(size) + " is not a power of two from 4096 to 1048576 (bytes)");
  }
  return static_cast<std::uint32_t>(size);
}

}  // namespace

std::vector<sdk::ConfigKey> config_schema() {
  using sdk::ValueType;
  return {
      {"compression", ValueType::string,
       "squashfs compressor: xz (smallest, default), zstd, lz4 or gzip"},
      {"fast_compression", ValueType::string,
       "squashfs compressor of the fast image, the files other plugins name for a quick start "
       "(Docker's engine): zstd (default), xz, lz4, gzip, or none to keep them in the base "
       "image"},
      {"block_size", ValueType::integer,
       "block size of the base image in bytes, a power of two from 4096 to 1048576 (default "
       "131072)"},
      {"fast_block_size", ValueType::integer,
       "block size of the fast image in bytes, a power of two from 4096 to 1048576 (default "
       "1048576)"},
      {"initrd_compression", ValueType::string,
       "compressor of the initrd's part around the base image (modules, busybox, /init): "
       "zstd (default), none, gzip, xz or lz4; the base image itself is never recompressed"},
      {"strip", ValueType::string_array,
       "extra globs (relative to the rootfs, ** for any depth) of files to remove"},
      {"keep", ValueType::string_array, "globs of files the strip rules must never remove"},
      {"size_estimate", ValueType::boolean,
       "estimate each file's xz-compressed size in out/contents.txt (default: true when "
       "compression is xz; takes about a core-minute per 100 MB)"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;

  settings.compression = table.get_string("compression", settings.compression);
  if (std::find(kSquashfsCompressors.begin(), kSquashfsCompressors.end(), settings.compression) ==
      kSquashfsCompressors.end()) {
    table.fail("compression", "'" + settings.compression + "' is not one of " +
                                  list_names(kSquashfsCompressors, [](auto n) { return n; }));
  }

  settings.fast_compression = table.get_string("fast_compression", settings.fast_compression);
  if (settings.fast_compression != "none" &&
      std::find(kSquashfsCompressors.begin(), kSquashfsCompressors.end(),
                settings.fast_compression) == kSquashfsCompressors.end()) {
    table.fail("fast_compression", "'" + settings.fast_compression + "' is not none or one of " +
                                       list_names(kSquashfsCompressors, [](auto n) { return n; }));
  }

  settings.block_size = read_block_size(table, "block_size", kDefaultBlockSize);
  settings.fast_block_size = read_block_size(table, "fast_block_size", kDefaultFastBlockSize);

  // The initrd is two cpio archives back to back: the base image, uncompressed (it is a
  // squashfs, compressed already: zstd -19 over it saved 1.2% and made the kernel's
  // unpacking slower under qemu), then everything else, compressed. That rest is mostly
  // uncompressed early kernel modules: on the default image 16.8 MB, 3.5 MB with
  // zstd -19, 4.5 MB with zstd -3, 3.2 MB with xz. zstd by default: close to xz's size
  // at a fraction of its decompression time.
  const std::string initrd = table.get_string("initrd_compression", "zstd");
  auto it = std::find_if(kInitrdCompressors.begin(), kInitrdCompressors.end(),
                         [&](const auto& entry) { return entry.first == initrd; });
  if (it == kInitrdCompressors.end()) {
    table.fail("initrd_compression",
               "'" + initrd + "' is not one of " +
                   list_names(kInitrdCompressors, [](const auto& e) { return e.first; }));
  }
  settings.initrd_compression = it->second;

  settings.strip = read_globs(table, "strip");
  settings.keep = read_globs(table, "keep");
  settings.size_estimate = table.get_bool("size_estimate", settings.compression == "xz");
  return settings;
}

}  // namespace berth::fs_squashfs
