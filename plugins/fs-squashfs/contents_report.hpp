// What the base image is made of, biggest first: every regular file with its Debian
// package (when the bootstrap published who owns what), its size, and an estimate of its
// size in the squashfs, compressed as mksquashfs compresses it. out/contents.txt; `make
// bench` sums it into "userland other than Docker" and friends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::fs_squashfs {

struct FileShare {
  std::string path;     // relative to the rootfs: "usr/bin/jq"
  std::string package;  // "jq"; "-" when no package ships it (plugins' files)
  std::uint64_t bytes = 0;
  std::optional<std::uint64_t> compressed;  // the estimate, when one was made
};

// How mksquashfs -comp xz compresses: each block of `block_size` bytes on its own (LZMA2
// at the default preset with the block as dictionary), through the x86 BCJ filter when
// `x86_filter` (mksquashfs keeps, per block, the smaller of with and without the filter;
// this takes the filter for ELF files and not for others). Tail ends that mksquashfs packs
// together with other files' are estimated alone, so small files come out a little
// bigger than in the image.
std::uint64_t xz_estimate(const std::filesystem::path& file, std::uint32_t block_size,
                          bool x86_filter);

// "path<TAB>package" lines, as bootstrap-common writes them; later lines win.
std::map<std::string, std::string> parse_owners(const std::string& text);

struct MeasureOptions {
  bool estimate = false;  // xz estimates (seconds per 100 MB); else sizes only
  std::uint32_t block_size = 1 << 20;
  bool x86_filter = false;
};

// Every regular file under `root` once (hard links counted at their first path in name
// order), sorted by estimate (or size) biggest first, then by path.
std::vector<FileShare> measure_contents(const std::filesystem::path& root,
                                        const std::map<std::string, std::string>& owners,
                                        const MeasureOptions& options);

// contents.txt: a comment header, then "package<TAB>name<TAB>files<TAB>bytes<TAB>xz" per
// package and "path<TAB>path<TAB>package<TAB>bytes<TAB>xz" per file, each biggest first;
// xz is "-" without estimates.
std::string render_contents(const std::vector<FileShare>& files);

}  // namespace berth::fs_squashfs
