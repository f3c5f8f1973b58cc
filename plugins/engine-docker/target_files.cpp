#include "target_files.hpp"

#include "berth/sdk/root_paths.hpp"

namespace berth::engine_docker {

bool link_in_root(const fs::path& root, const fs::path& path, const fs::path& target) {
  const fs::path link = sdk::place_in_root(root, path, sdk::LastLink::keep);
  fs::create_directories(link.parent_path());
  const auto status = fs::symlink_status(link);
  if (fs::is_symlink(status)) {
    fs::remove(link);
  } else if (fs::exists(status)) {
    return false;
  }
  fs::create_symlink(target, link);
  return true;
}

}  // namespace berth::engine_docker
