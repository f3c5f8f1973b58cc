#include "file_util.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "berth/sdk/error.hpp"

namespace berth::image_build {
namespace {

// /proc/self/mounts writes space, tab, newline and backslash in paths as \ooo.
std::string unescape_mount_path(const std::string& field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      const std::string octal = field.substr(i + 1, 3);
      if (octal.find_first_not_of("01234567") == std::string::npos) {
        out += static_cast<char>(std::stoi(octal, nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

bool within(const fs::path& path, const fs::path& dir) {
  const auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

void move_into_place(const fs::path& source, const fs::path& target) {
  const fs::path temporary =
      target.parent_path() / ("." + target.filename().string() + "." + std::to_string(::getpid()));
  std::error_code error;
  fs::rename(source, temporary, error);
  if (error) {
    // Another file system: copy beside the target, so the final rename is atomic.
    fs::copy_file(source, temporary, fs::copy_options::overwrite_existing);
    fs::remove(source);
  }
  fs::rename(temporary, target);
}

void remove_tree(const fs::path& tree) {
  if (!fs::exists(fs::symlink_status(tree))) return;
  const fs::path real = fs::weakly_canonical(tree);
  std::ifstream mounts("/proc/self/mounts");
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string device;
    std::string mount_point;
    fields >> device >> mount_point;
    const fs::path point = unescape_mount_path(mount_point);
    if (point == real || within(point, real)) {
      throw sdk::Error(point.string() +
                       " is still mounted (left by an interrupted mmdebstrap?); "
                       "unmount it before building the image again");
    }
  }
  fs::remove_all(tree);
}

}  // namespace berth::image_build
