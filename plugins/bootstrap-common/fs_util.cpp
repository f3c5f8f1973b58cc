#include "fs_util.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "berth/sdk/error.hpp"

namespace berth::bootstrap {

void clear_directory(const fs::path& dir) {
  if (dir.empty() || dir.is_relative() || dir.lexically_normal() == dir.root_path()) {
    throw sdk::Error("refusing to clear '" + dir.string() + "': not an absolute, non-root path");
  }
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::error_code error;
    fs::remove_all(entry.path(), error);  // remove_all unlinks symlinks, never their targets
    if (error) throw sdk::Error("cannot remove " + entry.path().string() + ": " + error.message());
  }
}

void write_file_atomic(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  const fs::path temporary =
      file.parent_path() / ("." + file.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw sdk::Error("cannot write " + temporary.string());
  }
  std::error_code error;
  fs::rename(temporary, file, error);
  if (error) {
    fs::remove(temporary);
    throw sdk::Error("cannot write " + file.string() + ": " + error.message());
  }
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uint64_t tree_size(const fs::path& dir) {
  std::uint64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (fs::is_regular_file(entry.symlink_status())) bytes += entry.file_size();
  }
  return bytes;
}

}  // namespace berth::bootstrap
