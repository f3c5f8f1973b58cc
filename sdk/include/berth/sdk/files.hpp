// File helpers plugins share: large build products (base images, .debs, image archives) are
// linked, not copied, where the file system allows. Paths inside an image tree (resolve_in_root
// and its kin, here in SDK 1.0) are in root_paths.hpp.
#pragma once

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"

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

// The whole file; throws Error naming it when it cannot be read.
inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// lstat(2) of `path` (a link is not followed): the owner, mode, inode, link count and times
// std::filesystem does not give. Throws Error naming the path and the reason.
inline struct stat lstat_of(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    throw Error("cannot stat " + path.string() + ": " + std::strerror(errno));
  }
  return info;
}

// `name` (absolute, as the target sees it) in the image tree `root`: whatever is there goes
// (a link there is replaced, not followed), then a copy of `built` takes its place, a file
// with its mode or a symlink with its target. For a plugin's own build of a program or
// library over Debian's.
inline void replace_in_root(const std::filesystem::path& root, const std::string& name,
                            const std::filesystem::path& built) {
  namespace fs = std::filesystem;
  const fs::path target = place_in_root(root, name, LastLink::keep);
  fs::remove(target);
  fs::create_directories(target.parent_path());
  if (fs::is_symlink(built)) {
    fs::create_symlink(fs::read_symlink(built), target);
  } else {
    fs::copy_file(built, target);
    fs::permissions(target, fs::status(built).permissions());
  }
}

}  // namespace berth::sdk
