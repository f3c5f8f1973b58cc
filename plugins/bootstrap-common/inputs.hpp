// What a bootstrap depends on, written out as text: the cache key of its package set
// and the half of the reuse stamp that says "same request".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::bootstrap {

// Bumped when the way the rootfs is finished changes, so stamps of older builds no
// longer match.
inline constexpr int kLayoutVersion = 1;

// One line per input, in a fixed order: architecture, suite, keyring (path and a
// digest of its content), sources, pins, packages (in request order). The tool is not
// part of it: both tools resolve the same set, so they share the download cache.
std::string describe_inputs(const std::vector<std::string>& packages,
                            const sdk::DebianSources& debian);

// 64-bit FNV-1a as 16 hex digits; for cache keys and change detection, not security.
std::string digest_hex(std::string_view text);

// digest_hex of a file's bytes; "missing" when it cannot be read.
std::string file_digest(const std::filesystem::path& file);

}  // namespace berth::bootstrap
