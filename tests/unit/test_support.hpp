// Helpers shared by the core's unit tests: temporary directories and files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "test_paths.hpp"

namespace berth::test {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "berth-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }
  // The whole of a file under this directory ("" when it does not exist).
  std::string read(const std::string& name) const {
    std::ifstream in(path_ / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  fs::path path_;
};

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
