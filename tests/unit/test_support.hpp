// Helpers shared by the unit tests: temporary directories and files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "berth/sdk/testing/temp_dir.hpp"
#include "test_paths.hpp"

namespace berth::test {

namespace fs = std::filesystem;

// The SDK's, which plugin authors use too.
using TempDir = sdk::testing::TempDir;

// The whole of `file` ("" when it does not exist).
inline std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// `text` as the whole of `file`, its directories made first.
inline void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

inline fs::path test_plugin_dir() {
  return fs::path(BERTH_BINARY_DIR) / "tests/unit/plugins";
}

// A [debian] section every config needs.
inline const char* kDebianSection =
    "[debian]\n"
    "suite = \"trixie\"\n"
    "[[debian.sources]]\n"
    "uri = \"http://deb.debian.org/debian\"\n"
    "suites = [\"trixie\"]\n";

}  // namespace berth::test
