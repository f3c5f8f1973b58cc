#include "disk_images.hpp"

#include <fstream>

#include "host_command.hpp"

namespace berth::vm {

namespace fs = std::filesystem;

fs::path blank_disk(const fs::path& dir, const std::string& name, int mib) {
  fs::create_directories(dir);
  const fs::path path = dir / name;
  { std::ofstream create(path, std::ios::trunc); }
  fs::resize_file(path, static_cast<std::uintmax_t>(mib) * 1024 * 1024);
  return path;
}

fs::path ext4_disk(const fs::path& dir, const std::string& name, const std::string& label,
                   int mib) {
  const fs::path path = blank_disk(dir, name, mib);
  host_command("mkfs.ext4 -q -F -L " + label + " '" + path.string() + "'");
  return path;
}

std::string sha256_of(const fs::path& file) {
  return host_command("sha256sum '" + file.string() + "'").substr(0, 64);
}

}  // namespace berth::vm
