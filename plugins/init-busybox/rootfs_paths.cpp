#include "rootfs_paths.hpp"

#include <deque>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::init_busybox {

namespace {

// Linux gives up after 40 links in one lookup; so do we.
constexpr int kMaxLinks = 40;

void push_components(std::deque<std::string>& queue, const fs::path& path) {
  std::vector<std::string> parts;
  for (const auto& part : path.relative_path()) {
    if (!part.empty()) parts.push_back(part.string());
  }
  queue.insert(queue.begin(), parts.begin(), parts.end());
}

}  // namespace

fs::path resolve_in_root(const fs::path& root, const fs::path& path, bool follow_last) {
  std::deque<std::string> pending;
  push_components(pending, path);
  std::vector<std::string> done;  // components below root, symlink-free
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
    const bool last = pending.empty();
    if ((!last || follow_last) && fs::is_symlink(fs::symlink_status(host, error))) {
      if (++links > kMaxLinks) {
        throw sdk::Error(path.string() + ": too many levels of symbolic links in " + root.string());
      }
      const fs::path target = fs::read_symlink(host);
      if (target.is_absolute()) done.clear();
      push_components(pending, target);
      continue;
    }
    done.push_back(part);
  }
  fs::path out = root;
  for (const auto& component : done) out /= component;
  return out;
}

bool exists_in_root(const fs::path& root, const fs::path& path) {
  std::error_code error;
  return fs::exists(fs::symlink_status(resolve_in_root(root, path, false), error));
}

void write_in_root(const fs::path& root, const fs::path& path, const std::string& text,
                   fs::perms perms) {
  const fs::path dir = resolve_in_root(root, path.parent_path());
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

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error(file.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace berth::init_busybox
