// Raw disk images the VM tests give their guests, made and inspected on the host.
#pragma once

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

namespace berth::vm {

// A sparse raw disk of `mib` MiB, all zeros, in `dir`.
std::filesystem::path blank_disk(const TempDir& dir, const std::string& name, int mib);

// A disk holding one ext4 filesystem (no partition table) labelled `label`.
std::filesystem::path ext4_disk(const TempDir& dir, const std::string& name,
                                const std::string& label, int mib = 512);

// The SHA-256 of a file, hex: "the disk is unchanged" checks.
std::string sha256_of(const std::filesystem::path& file);

}  // namespace berth::vm
