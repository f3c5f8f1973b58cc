// The result cache: finished image archives under <cache_dir>/images/, named by a digest
// of everything that went into them, so a rebuild with the same inputs skips mmdebstrap.
// Package versions are not among the inputs: an unchanged recipe keeps its first build
// until the recipe, its rootfs files, the compression or Berth's version change (or the
// entry is deleted).
#pragma once

#include <filesystem>
#include <string>

#include "berth/sdk/context.hpp"
#include "recipe.hpp"

namespace berth::image_build {

// "tar.zst", "tar.xz", "tar.gz", "tar". Throws Error for lz4 (docker load cannot read it).
std::string archive_extension(sdk::Compression compression);

// Hex SHA-256 over the recipe file's text, every file under its [files] rootfs (path,
// type, mode, owner, contents or link target), the compression, the architecture and
// Berth's version.
std::string image_cache_key(const ImageRecipe& recipe, sdk::Compression compression,
                            const std::string& architecture, const std::string& berth_version);

// <cache_dir>/images/<name with dashes>-<tag>-<first 16 hex digits of key>.<extension>
fs::path cached_archive_path(const fs::path& cache_dir, const ImageRecipe& recipe,
                             const std::string& key, sdk::Compression compression);

}  // namespace berth::image_build
