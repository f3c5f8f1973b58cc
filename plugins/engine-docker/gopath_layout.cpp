#include "gopath_layout.hpp"

#include "berth/sdk/error.hpp"

namespace berth::engine_docker {

namespace {

bool holds_go_files(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) return false;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".go") return true;
  }
  return false;
}

void merge(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    const fs::path target = to / entry.path().filename();
    if (entry.is_directory() && !entry.is_symlink()) {
      merge(entry.path(), target);
    } else if (fs::exists(fs::symlink_status(target))) {
      throw sdk::Error(target.string() + " exists twice: in the GOPATH and in " +
                       entry.path().string());
    } else {
      fs::rename(entry.path(), target);
    }
  }
}

}  // namespace

void hoist_vendor(const fs::path& vendor, const fs::path& src) {
  if (!fs::is_directory(vendor)) return;
  // go mod vendor's index; GOPATH mode never reads it.
  fs::remove(vendor / "modules.txt");
  merge(vendor, src);
  fs::remove_all(vendor);
}

std::size_t drop_shadowed_packages(const fs::path& vendor, const std::vector<fs::path>& roots) {
  if (!fs::is_directory(vendor)) return 0;
  std::vector<fs::path> packages;
  for (const auto& entry : fs::recursive_directory_iterator(vendor)) {
    if (entry.is_directory() && !entry.is_symlink() && holds_go_files(entry.path())) {
      packages.push_back(entry.path());
    }
  }
  std::size_t dropped = 0;
  for (const auto& package : packages) {
    const fs::path import_path = fs::relative(package, vendor);
    bool shadowed = false;
    for (const auto& root : roots) shadowed = shadowed || holds_go_files(root / import_path);
    if (!shadowed) continue;
    for (const auto& entry : fs::directory_iterator(package)) {
      if (!entry.is_directory()) fs::remove(entry.path());
    }
    ++dropped;
  }
  return dropped;
}

}  // namespace berth::engine_docker
