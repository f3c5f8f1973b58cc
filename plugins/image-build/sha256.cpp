#include "sha256.hpp"

#include <array>
#include <fstream>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::image_build {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    throw sdk::Error("sha256: OpenSSL cannot start a digest");
  }
}

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    throw sdk::Error("sha256: OpenSSL EVP_DigestUpdate failed");
  }
}

void Sha256::update_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error("sha256: cannot read " + file.string());
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = in.gcount();
    if (got > 0) update({buffer.data(), static_cast<std::size_t>(got)});
  }
  if (in.bad()) throw sdk::Error("sha256: error reading " + file.string());
}

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), digest.data(), &length) != 1) {
    throw sdk::Error("sha256: OpenSSL EVP_DigestFinal_ex failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hash.hex();
}

std::string sha256_file_hex(const std::filesystem::path& file) {
  Sha256 hash;
  hash.update_file(file);
  return hash.hex();
}

}  // namespace berth::image_build
