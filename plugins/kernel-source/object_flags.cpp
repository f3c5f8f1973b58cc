#include "object_flags.hpp"

namespace berth::kernel_source {

std::vector<std::string> object_flags(const std::string& config) {
  if (("\n" + config).find("\nCONFIG_CC_OPTIMIZE_FOR_SIZE=y\n") == std::string::npos) return {};
  // Kbuild's CFLAGS_<object relative to its Makefile's directory>.o, added after -Os.
  static const char* const kDecoders[] = {
      "decompress/huf_decompress",
      "decompress/zstd_decompress",
      "decompress/zstd_decompress_block",
      "decompress/zstd_ddict",
      "common/entropy_common",
      "common/fse_decompress",
      "xz_dec_lzma2",
      "xz_dec_stream",
      "xz_dec_bcj",
  };
  std::vector<std::string> variables;
  for (const char* object : kDecoders)
    variables.push_back(std::string("CFLAGS_") + object + ".o=-O2");
  return variables;
}

}  // namespace berth::kernel_source
