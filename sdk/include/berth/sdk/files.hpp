// File helpers plugins share: large build products (base images, .debs, image archives) are
// linked, not copied, where the file system allows.
#pragma once

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::sdk {

// `to` (replaced if it exists; a link there is replaced, not written through) as a hard link
// to `from` when both are on one file system, else as a copy: the same bytes either way, no
// second copy on disk where it can be avoided. Returns true for a link. Throws Error naming
// both paths when neither works.
inline bool link_or_copy(const std::filesystem::path& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::remove(to, error);
  if (error) throw Error("cannot replace " + to.string() + ": " + error.message());
  fs::create_hard_link(from, to, error);
  if (!error) return true;
  // EXDEV (another file system) or a file system without hard links: copy instead.
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  if (error) {
    throw Error("cannot copy " + from.string() + " to " + to.string() + ": " + error.message());
  }
  return false;
}

// `path` (absolute, as on the target) inside the image tree `root`, every symlink on the way
// resolved inside `root` too (an absolute target starts again at `root`, ".." never climbs
// out of it); nullopt when nothing is there or the links loop (more than 40, the kernel's
// limit). For checks that read an image as the target would, never the build host's files.
inline std::optional<std::filesystem::path> resolve_in_root(const std::filesystem::path& root,
                                                            const std::string& path) {
  namespace fs = std::filesystem;
  constexpr int kMaxSymlinks = 40;
  std::vector<std::string> pending;
  for (const auto& part : fs::path(path)) {
    if (part != "/" && !part.empty()) pending.push_back(part.string());
  }
  std::reverse(pending.begin(), pending.end());
  std::vector<std::string> done;
  int links = 0;
  while (!pending.empty()) {
    const std::string part = pending.back();
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    fs::path here = root;
    for (const auto& d : done) here /= d;
    here /= part;
    std::error_code error;
    const auto status = fs::symlink_status(here, error);
    if (error || !fs::exists(status)) return std::nullopt;
    if (!fs::is_symlink(status)) {
      done.push_back(part);
      continue;
    }
    if (++links > kMaxSymlinks) return std::nullopt;
    const fs::path target = fs::read_symlink(here, error);
    if (error) return std::nullopt;
    if (target.is_absolute()) done.clear();
    std::vector<std::string> parts;
    for (const auto& p : target) {
      if (p != "/" && !p.empty()) parts.push_back(p.string());
    }
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) pending.push_back(*it);
  }
  fs::path resolved = root;
  for (const auto& d : done) resolved /= d;
  return resolved;
}

}  // namespace berth::sdk
