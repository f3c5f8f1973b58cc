// Raw disk images the VM tests give their guests, made and inspected on the host.
#pragma once

#include <berth/sdk/testing/temp_dir.hpp>
#include <filesystem>
#include <string>

namespace berth::vm {

using sdk::testing::TempDir;

// A sparse raw disk of `mib` MiB, all zeros, in `dir` (replacing a file of that name).
std::filesystem::path blank_disk(const std::filesystem::path& dir, const std::string& name,
                                 int mib);
inline std::filesystem::path blank_disk(const TempDir& dir, const std::string& name, int mib) {
  return blank_disk(dir.path(), name, mib);
}

// A disk holding one ext4 filesystem (no partition table) labelled `label`.
std::filesystem::path ext4_disk(const std::filesystem::path& dir, const std::string& name,
                                const std::string& label, int mib = 512);
inline std::filesystem::path ext4_disk(const TempDir& dir, const std::string& name,
                                       const std::string& label, int mib = 512) {
  return ext4_disk(dir.path(), name, label, mib);
}

// The SHA-256 of a file, hex: "the disk is unchanged" checks.
std::string sha256_of(const std::filesystem::path& file);

}  // namespace berth::vm
