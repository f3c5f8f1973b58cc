#include "test_paths.hpp"

namespace berth::test {

const std::filesystem::path& source_dir() {
  static const std::filesystem::path dir = BERTH_TEST_SOURCE_DIR;
  return dir;
}

const std::filesystem::path& binary_dir() {
  static const std::filesystem::path dir = BERTH_TEST_BINARY_DIR;
  return dir;
}

}  // namespace berth::test
