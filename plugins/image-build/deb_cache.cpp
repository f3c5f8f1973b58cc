#include "deb_cache.hpp"

#include "berth/sdk/files.hpp"
#include "file_util.hpp"

namespace berth::image_build {
namespace {

bool is_deb(const fs::directory_entry& entry) {
  return entry.is_regular_file() && entry.path().extension() == ".deb";
}

}  // namespace

fs::path deb_cache_dir(const fs::path& cache_dir, const std::string& suite) {
  return cache_dir / "image-debs" / suite;
}

bool holds_debs(const fs::path& dir) {
  if (!fs::is_directory(dir)) return false;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (is_deb(entry)) return true;
  }
  return false;
}

std::size_t keep_debs(const fs::path& archives, const fs::path& cache) {
  if (!fs::is_directory(archives)) return 0;
  fs::create_directories(cache);
  std::size_t added = 0;
  for (const auto& entry : fs::directory_iterator(archives)) {
    if (!is_deb(entry)) continue;
    const fs::path target = cache / entry.path().filename();
    // A .deb's file name holds package, version and architecture: same name, same file.
    if (fs::exists(target)) continue;
    const fs::path partial = cache / ("." + entry.path().filename().string() + ".part");
    sdk::link_or_copy(entry.path(), partial);
    fs::rename(partial, target);
    ++added;
  }
  return added;
}

}  // namespace berth::image_build
