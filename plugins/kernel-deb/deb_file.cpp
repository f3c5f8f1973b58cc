#include "deb_file.hpp"

#include <array>
#include <fstream>
#include <string_view>

namespace berth::kernel_deb {
namespace fs = std::filesystem;

fs::path resolve_deb_path(const std::string& value, const fs::path& config_dir) {
  fs::path path(value);
  return (path.is_absolute() ? path : config_dir / path).lexically_normal();
}

bool is_deb_archive(const fs::path& path) {
  // "!<arch>\n", then a 60-byte member header whose 16-byte name field starts with
  // "debian-binary" (GNU ar may end it with '/').
  constexpr std::string_view kMagic = "!<arch>\n";
  constexpr std::string_view kFirstMember = "debian-binary";
  std::array<char, 8 + 16> head{};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(head.data(), head.size())) return false;
  std::string_view text(head.data(), head.size());
  return text.starts_with(kMagic) && text.substr(kMagic.size()).starts_with(kFirstMember);
}

std::optional<std::string> deb_file_problem(const fs::path& path) {
  std::error_code error;
  auto status = fs::status(path, error);
  if (error || !fs::exists(status)) return path.string() + " does not exist";
  if (!fs::is_regular_file(status)) return path.string() + " is not a file";
  if (!is_deb_archive(path)) return path.string() + " is not a Debian package (.deb)";
  return std::nullopt;
}

}  // namespace berth::kernel_deb
