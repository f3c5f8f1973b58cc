// The id that tells this medium from every other Berth medium: GRUB looks for the file
// /berth/boot/<id>.id, which only this build's medium holds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace berth::boot_grub2 {

// 64-bit FNV-1a: the id must differ between builds, not resist forgery, and FNV needs no
// library and reads the kernel and initrd at memory speed.
class Fnv1a64 {
 public:
  void update(std::string_view bytes);
  void update_file(const std::filesystem::path& file);  // throws sdk::Error if unreadable
  std::uint64_t value() const { return state_; }
  std::string hex() const;  // 16 lower-case hex digits

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

// Derived from everything that makes the medium boot differently: the volume id, the
// build's time stamp and the bytes of `boot_files` (kernel, initrd, which holds the whole
// OS, and the menu). Reproducible builds of the same inputs get the same id.
std::string medium_id(std::string_view volume_id, std::int64_t epoch,
                      const std::vector<std::filesystem::path>& boot_files);

}  // namespace berth::boot_grub2
