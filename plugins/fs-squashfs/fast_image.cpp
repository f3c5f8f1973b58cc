#include "fast_image.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"

namespace berth::fs_squashfs {
namespace fs = std::filesystem;
namespace {

using FileId = std::pair<dev_t, ino_t>;

// `made` (a directory just created) gets the owner and mode `like` describes.
void give_attributes(const fs::path& made, const struct stat& like) {
  if (::lchown(made.c_str(), like.st_uid, like.st_gid) != 0) {
    throw sdk::Error("cannot give " + made.string() + " its owner: " + std::strerror(errno));
  }
  fs::permissions(made, static_cast<fs::perms>(like.st_mode & 07777));
}

// The directories from `root` down to `relative`'s parent, made under `tree` as the rootfs
// has them.
void make_parents(const fs::path& root, const fs::path& tree, const fs::path& relative) {
  fs::path done;
  for (const auto& part : relative.parent_path()) {
    done /= part;
    const fs::path made = tree / done;
    if (fs::is_directory(fs::symlink_status(made))) continue;
    const struct stat info = sdk::lstat_of(root / done);
    if (!S_ISDIR(info.st_mode)) {
      throw sdk::Error(done.string() + " is not a directory in " + root.string());
    }
    fs::create_directory(made);
    give_attributes(made, info);
  }
}

}  // namespace

std::vector<std::string> parse_fast_paths(const std::string& value) {
  std::vector<std::string> paths;
  std::set<std::string> seen;
  std::istringstream lines(value);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || !seen.insert(line).second) continue;
    paths.push_back(line);
  }
  return paths;
}

std::vector<fs::path> fast_image_files(const fs::path& root,
                                       const std::vector<std::string>& paths) {
  std::set<FileId> wanted;
  for (const auto& path : paths) {
    const auto found = sdk::resolve_in_root(root, path);
    struct stat info {};
    if (!found || ::lstat(found->c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
      throw sdk::Error("fast image: " + path + " is not a file in the rootfs");
    }
    wanted.insert({info.st_dev, info.st_ino});
  }
  // Every name of those files, in one walk (links to directories are not followed).
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const struct stat info = sdk::lstat_of(entry.path());
    if (!S_ISREG(info.st_mode) || !wanted.count({info.st_dev, info.st_ino})) continue;
    files.push_back(entry.path().lexically_relative(root));
  }
  std::sort(files.begin(), files.end());
  return files;
}

void lay_fast_tree(const fs::path& root, const fs::path& tree, const std::vector<fs::path>& files) {
  // The image's root directory is the merged root's: the rootfs's mode and owner.
  fs::create_directories(tree);
  give_attributes(tree, sdk::lstat_of(root));
  std::map<FileId, fs::path> laid;  // a file of the rootfs -> its first name in the tree
  for (const auto& relative : files) {
    make_parents(root, tree, relative);
    const struct stat info = sdk::lstat_of(root / relative);
    const auto [first, is_new] = laid.try_emplace({info.st_dev, info.st_ino}, tree / relative);
    if (is_new) {
      sdk::link_or_copy(root / relative, tree / relative);
    } else {
      fs::create_hard_link(first->second, tree / relative);
    }
  }
}

std::string exclude_list(const std::vector<fs::path>& files) {
  std::string list;
  for (const auto& file : files) {
    const std::string name = file.string();
    if (name.find_first_of("\n\\") != std::string::npos || name.front() == ' ' ||
        name.back() == ' ') {
      throw sdk::Error("fast image: mksquashfs cannot exclude '" + name + "' by name");
    }
    list += name + '\n';
  }
  return list;
}

}  // namespace berth::fs_squashfs
