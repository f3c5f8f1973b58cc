// Deterministic archives of a directory tree: sorted entries, fixed timestamps and
// inode numbers, so the same tree always gives the same bytes.
#pragma once

#include <cstdint>
#include <filesystem>

namespace berth::core {

enum class ArchiveFormat { cpio_newc, tar_pax };

// Writes `tree` (its contents, not the directory itself) as an uncompressed archive.
// Owners and modes are kept; every mtime becomes `mtime`.
void write_archive(const std::filesystem::path& tree, const std::filesystem::path& archive,
                   ArchiveFormat format, std::int64_t mtime);

}  // namespace berth::core
