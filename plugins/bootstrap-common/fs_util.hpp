// Small file-system helpers the bootstrap steps share.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace berth::bootstrap {

namespace fs = std::filesystem;

// Removes everything inside `dir` (never following symlinks) and leaves `dir` itself;
// creates it when missing. Refuses "/" and relative paths, the two ways a wrong
// argument could wipe the build host.
void clear_directory(const fs::path& dir);

// Writes `text` to a temporary file beside `file` and renames it into place, so that
// readers (another build sharing the cache) never see half a file.
void write_file_atomic(const fs::path& file, const std::string& text);

std::string read_file(const fs::path& file);

// Bytes in regular files below `dir` (symlinks not followed), for the size report.
std::uint64_t tree_size(const fs::path& dir);

}  // namespace berth::bootstrap
