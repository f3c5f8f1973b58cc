// Paths inside an image tree, read the way the target will read them. An image is full of
// absolute symlinks (/etc/alternatives/..., merged-/usr links, whatever a package ships)
// that would point into the build host if the host followed them; here every link is
// resolved inside the tree, and nothing ever resolves outside it.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::sdk {

// What becomes of a link in the last place of a path: followed (stat, open) or the answer
// itself (lstat, a link about to be replaced or removed).
enum class LastLink { follow, keep };

struct RootWalk {
  LastLink last = LastLink::follow;
  // true: the path must be there as the target would find it; a missing component, a file
  // where a directory is needed and "missing/.." are all "not found", as for the kernel.
  // false: what is missing is taken as named (".." undoes it), for a path about to be made.
  bool must_exist = true;
};

// The walker. `path` (absolute or relative, as seen on the target) inside the image tree
// `root`: every symlink on the way resolved inside `root` (an absolute target starts again
// at `root`, ".." never climbs above it). nullopt only when `walk.must_exist` and nothing
// is there. More than 40 links in one walk (the kernel's limit; a loop) throws Error
// naming the path.
inline std::optional<std::filesystem::path> resolve_in_root(const std::filesystem::path& root,
                                                            const std::filesystem::path& path,
                                                            RootWalk walk = {}) {
  namespace fs = std::filesystem;
  constexpr int kMaxLinks = 40;
  std::vector<std::string> pending;  // the components still to walk, the next one last
  const auto walk_next = [&pending](const fs::path& more) {
    std::vector<std::string> parts;
    for (const auto& part : more.relative_path()) {
      if (!part.empty()) parts.push_back(part.string());
    }
    pending.insert(pending.end(), parts.rbegin(), parts.rend());
  };
  walk_next(path);
  std::vector<std::string> done;  // components below `root`, none of them a link
  const auto host_path = [&root, &done] {
    fs::path host = root;
    for (const auto& component : done) host /= component;
    return host;
  };
  int links = 0;
  while (!pending.empty()) {
    const std::string part = pending.back();
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    const fs::path here = host_path() / part;
    const bool last = pending.empty();
    std::error_code error;
    const auto status = fs::symlink_status(here, error);  // on error: not_found or none
    if (fs::is_symlink(status) && (!last || walk.last == LastLink::follow)) {
      if (++links > kMaxLinks) {
        throw Error(path.string() + ": too many levels of symbolic links in " + root.string());
      }
      const fs::path target = fs::read_symlink(here, error);
      if (error) throw Error(here.string() + ": cannot read the link: " + error.message());
      if (target.is_absolute()) done.clear();
      walk_next(target);
      continue;
    }
    if (walk.must_exist && (!fs::exists(status) || (!last && !fs::is_directory(status)))) {
      return std::nullopt;
    }
    done.push_back(part);
  }
  return host_path();
}

// Where `path` is on the target, or would be made: what is missing taken as named.
inline std::filesystem::path place_in_root(const std::filesystem::path& root,
                                           const std::filesystem::path& path,
                                           LastLink last = LastLink::follow) {
  return *resolve_in_root(root, path, {.last = last, .must_exist = false});
}

// Whether anything (file, directory, device, even a dangling link) is at `path` on the target.
inline bool exists_in_root(const std::filesystem::path& root, const std::filesystem::path& path) {
  return resolve_in_root(root, path, {.last = LastLink::keep}).has_value();
}

// The regular file `path` names on the target (links followed); nullopt when there is none.
inline std::optional<std::filesystem::path> file_in_root(const std::filesystem::path& root,
                                                         const std::filesystem::path& path) {
  auto found = resolve_in_root(root, path);
  if (!found || !std::filesystem::is_regular_file(std::filesystem::symlink_status(*found))) {
    return std::nullopt;
  }
  return found;
}

// Writes `text` to `path` on the target with `perms` (its directories made as needed, links
// on the way resolved inside `root`), replacing whatever was there: a link in its place is
// removed, never written through. Throws Error naming the path.
inline void write_in_root(const std::filesystem::path& root, const std::filesystem::path& path,
                          const std::string& text,
                          std::filesystem::perms perms = std::filesystem::perms(0644)) {
  namespace fs = std::filesystem;
  const fs::path name = path.filename();
  if (name.empty() || name == "." || name == "..") {
    throw Error(path.string() + ": not a file name, cannot write it in " + root.string());
  }
  const fs::path dir = place_in_root(root, path.parent_path());
  const fs::path file = dir / name;
  std::error_code error;
  fs::create_directories(dir, error);
  if (!error) fs::remove(file, error);
  if (error) throw Error(file.string() + ": cannot write: " + error.message());
  {
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out.flush()) throw Error(file.string() + ": cannot write");
  }
  fs::permissions(file, perms, error);
  if (error) throw Error(file.string() + ": cannot chmod: " + error.message());
}

}  // namespace berth::sdk
