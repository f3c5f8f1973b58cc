#include "gopath_layout.hpp"

#include <algorithm>
#include <sstream>

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

std::vector<std::string> patched_projects(const std::string& patch_text) {
  std::vector<std::string> projects;
  std::istringstream lines(patch_text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("+++ ", 0) != 0) continue;
    std::string path = line.substr(4);
    path = path.substr(0, path.find_first_of("\t "));  // diff -u puts the date after a tab
    if (path.rfind("b/", 0) != 0) throw sdk::Error("not a -p1 patch path: " + path);
    const fs::path relative = fs::path(path.substr(2));
    std::vector<std::string> parts;
    for (const auto& part : relative) parts.push_back(part.string());
    const bool outside = relative.is_absolute() ||
                         std::any_of(parts.begin(), parts.end(), [](const std::string& part) {
                           return part.empty() || part == "." || part == "..";
                         });
    if (outside || parts.size() < 4) {
      throw sdk::Error("not a file of a host/owner/name project: " + path);
    }
    const std::string project = parts[0] + "/" + parts[1] + "/" + parts[2];
    if (std::find(projects.begin(), projects.end(), project) == projects.end()) {
      projects.push_back(project);
    }
  }
  if (projects.empty()) throw sdk::Error("a patch that changes no file");
  return projects;
}

void overlay_project(const fs::path& gocode, const fs::path& src, const std::string& project) {
  if (fs::exists(fs::symlink_status(src / project))) return;
  const fs::path from = gocode / project;
  if (!fs::is_directory(from)) {
    throw sdk::Error(project + " is neither in the GOPATH nor in " + gocode.string());
  }
  fs::create_directories((src / project).parent_path());
  fs::copy(from, src / project, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

}  // namespace berth::engine_docker
