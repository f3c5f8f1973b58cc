#include "target_files.hpp"

#include <deque>
#include <fstream>
#include <sstream>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::engine_docker {

namespace {

constexpr int kMaxLinks = 40;  // as the kernel's path walk

void push_front(std::deque<std::string>& queue, const fs::path& path) {
  std::vector<std::string> parts;
  for (const auto& part : path.relative_path()) {
    if (!part.empty()) parts.push_back(part.string());
  }
  queue.insert(queue.begin(), parts.begin(), parts.end());
}

}  // namespace

fs::path in_root(const fs::path& root, const fs::path& path, bool follow_last) {
  std::deque<std::string> pending;
  push_front(pending, path);
  std::vector<std::string> done;
  int links = 0;
  while (!pending.empty()) {
    const std::string part = pending.front();
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    fs::path host = root;
    for (const auto& component : done) host /= component;
    host /= part;
    std::error_code error;
    if ((!pending.empty() || follow_last) && fs::is_symlink(fs::symlink_status(host, error))) {
      if (++links > kMaxLinks) {
        throw sdk::Error(path.string() + ": too many levels of symbolic links in " + root.string());
      }
      const fs::path target = fs::read_symlink(host);
      if (target.is_absolute()) done.clear();
      push_front(pending, target);
      continue;
    }
    done.push_back(part);
  }
  fs::path out = root;
  for (const auto& component : done) out /= component;
  return out;
}

void write_in_root(const fs::path& root, const fs::path& path, const std::string& text,
                   fs::perms perms) {
  const fs::path dir = in_root(root, path.parent_path());
  fs::create_directories(dir);
  const fs::path file = dir / path.filename();
  fs::remove(file);
  {
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out.flush()) throw sdk::Error(file.string() + ": cannot write");
  }
  fs::permissions(file, perms);
}

bool link_in_root(const fs::path& root, const fs::path& path, const fs::path& target) {
  const fs::path dir = in_root(root, path.parent_path());
  fs::create_directories(dir);
  const fs::path link = dir / path.filename();
  const auto status = fs::symlink_status(link);
  if (fs::is_symlink(status)) {
    fs::remove(link);
  } else if (fs::exists(status)) {
    return false;
  }
  fs::create_symlink(target, link);
  return true;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error(file.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace berth::engine_docker
