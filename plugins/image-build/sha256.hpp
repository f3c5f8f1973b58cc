// SHA-256 through OpenSSL's EVP interface: the digests that name blobs in an image
// archive, and the result cache's key.
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace berth::image_build {

// Fed piece by piece; hex() ends it. Throws sdk::Error when OpenSSL fails.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  void update_file(const std::filesystem::path& file);  // the file's bytes
  std::string hex();                                    // lower-case, 64 characters

 private:
  struct Free {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

std::string sha256_hex(std::string_view data);
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace berth::image_build
