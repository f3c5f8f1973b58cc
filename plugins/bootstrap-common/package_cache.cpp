#include "package_cache.hpp"

#include <unistd.h>

#include <sstream>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "fs_util.hpp"

namespace berth::bootstrap {
namespace {

// A set file is ours, but the cache directory may be shared: accept only plain .deb
// file names, never a path that could reach outside the pool.
bool is_deb_file_name(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".deb") == 0 &&
         name.find('/') == std::string::npos && name.front() != '.';
}

}  // namespace

PackageCache::PackageCache(const fs::path& root)
    : archives_(root / "archives"), sets_(root / "sets"), contents_(root / "contents") {}

std::vector<std::string> PackageCache::remembered(const std::string& key) const {
  const fs::path set = sets_ / (key + ".list");
  std::vector<std::string> names;
  if (!fs::is_regular_file(set)) return names;
  std::istringstream lines(read_file(set));
  for (std::string name; std::getline(lines, name);) names.push_back(name);
  return names;
}

std::vector<std::string> PackageCache::seed(const std::vector<std::string>& file_names,
                                            const fs::path& archives) const {
  std::vector<std::string> linked;
  for (const auto& name : file_names) {
    if (!is_deb_file_name(name)) continue;
    const fs::path cached = archives_ / name;
    const fs::path target = archives / name;
    if (!fs::is_regular_file(cached) || fs::exists(fs::symlink_status(target))) continue;
    fs::create_directories(archives);
    sdk::link_or_copy(cached, target);
    linked.push_back(name);
  }
  return linked;
}

fs::path PackageCache::keep(const fs::path& deb) const {
  const fs::path target = archives_ / deb.filename();
  if (fs::is_regular_file(target)) return target;
  fs::create_directories(archives_);
  const fs::path temporary =
      archives_ / ("." + deb.filename().string() + ".tmp-" + std::to_string(::getpid()));
  fs::remove(temporary);
  sdk::link_or_copy(deb, temporary);
  std::error_code error;
  fs::rename(temporary, target, error);  // atomic: a concurrent build sees all or nothing
  if (error) {
    fs::remove(temporary);
    throw sdk::Error("cannot store " + deb.filename().string() + " in " + archives_.string() +
                     ": " + error.message());
  }
  return target;
}

void PackageCache::remember(const std::string& key,
                            const std::vector<std::string>& file_names) const {
  std::string text;
  for (const auto& name : file_names) text += name + "\n";
  write_file_atomic(sets_ / (key + ".list"), text);
}

std::optional<DebContents> PackageCache::contents(const std::string& file_name) const {
  const fs::path file = contents_ / file_name;
  if (!is_deb_file_name(file_name) || !fs::is_regular_file(file)) return std::nullopt;
  return parse_contents(read_file(file));
}

void PackageCache::remember_contents(const std::string& file_name,
                                     const DebContents& contents) const {
  if (!is_deb_file_name(file_name)) return;
  write_file_atomic(contents_ / file_name, render_contents(contents));
}

}  // namespace berth::bootstrap
