#include "medium_id.hpp"

#include <array>
#include <fstream>

#include "berth/sdk/error.hpp"

namespace berth::boot_grub2 {

void Fnv1a64::update(std::string_view bytes) {
  for (char c : bytes) {
    state_ ^= static_cast<unsigned char>(c);
    state_ *= 0x100000001b3ULL;
  }
}

void Fnv1a64::update_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error(file.string() + ": cannot read");
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) throw sdk::Error(file.string() + ": read error");
}

std::string Fnv1a64::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  std::uint64_t value = state_;
  for (std::size_t i = 16; i-- > 0; value >>= 4) out[i] = kDigits[value & 0xf];
  return out;
}

std::string medium_id(std::string_view volume_id, std::int64_t epoch,
                      const std::vector<std::filesystem::path>& boot_files) {
  Fnv1a64 hash;
  // A separator after each text and each file's length before its bytes, so no two
  // different inputs feed the hash the same byte stream.
  const std::string_view separator("\0", 1);
  hash.update(volume_id);
  hash.update(separator);
  hash.update(std::to_string(epoch));
  for (const auto& file : boot_files) {
    hash.update(separator);
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (error) throw sdk::Error(file.string() + ": " + error.message());
    hash.update(std::to_string(size));
    hash.update(separator);
    hash.update_file(file);
  }
  return hash.hex();
}

}  // namespace berth::boot_grub2
