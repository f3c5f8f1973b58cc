// The image package cache: the .debs mmdebstrap downloaded for a suite, kept under
// <cache_dir>/image-debs/<suite>/ and offered to the next run, so a rebuild downloads
// only what changed. apt checks each offered .deb against the index, so stale ones are
// ignored, never installed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace berth::image_build {

namespace fs = std::filesystem;

// <cache_dir>/image-debs/<suite> (read_recipe allows no "/" or leading "." in a suite).
fs::path deb_cache_dir(const fs::path& cache_dir, const std::string& suite);

// True when `dir` holds at least one *.deb.
bool holds_debs(const fs::path& dir);

// Copies (or links) every *.deb of `archives` (a tree's /var/cache/apt/archives) that
// `cache` lacks into `cache`, creating it. Returns how many were new.
std::size_t keep_debs(const fs::path& archives, const fs::path& cache);

}  // namespace berth::image_build
