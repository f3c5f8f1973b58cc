#include "rootfs_layout.hpp"

#include <array>
#include <fstream>
#include <system_error>

#include "berth/sdk/error.hpp"

namespace berth::bootstrap {
namespace {

constexpr std::array<const char*, 3> kAlwaysMerged = {"bin", "sbin", "lib"};
constexpr std::array<const char*, 4> kMultilibDirs = {"lib32", "lib64", "libx32", "libo32"};

bool is_merged_top(const std::string& component) {
  for (const char* name : kAlwaysMerged) {
    if (component == name) return true;
  }
  for (const char* name : kMultilibDirs) {
    if (component == name) return true;
  }
  return false;
}

void add_with_parents(std::set<std::string>& paths, const std::string& path) {
  for (std::string current = path; !current.empty();) {
    if (!paths.insert(current).second) return;  // its parents are in already
    const auto slash = current.rfind('/');
    current = slash == std::string::npos ? std::string() : current.substr(0, slash);
  }
}

std::string in_rootfs(const fs::path& rootfs, const fs::path& path) {
  return "/" + path.lexically_relative(rootfs).generic_string();
}

bool exists_no_follow(const fs::path& path) {
  return fs::exists(fs::symlink_status(path));
}

// Moves the entries of `from` into `to`, merging directories; a name present in both
// (other than two directories) is a conflict dpkg would refuse too.
void move_tree(const fs::path& rootfs, const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    const fs::path target = to / entry.path().filename();
    const auto source_status = entry.symlink_status();
    const auto target_status = fs::symlink_status(target);
    if (!fs::exists(target_status)) {
      fs::rename(entry.path(), target);
    } else if (fs::is_directory(source_status) && fs::is_directory(target_status)) {
      move_tree(rootfs, entry.path(), target);
      fs::remove(entry.path());
    } else if (fs::is_symlink(source_status) && fs::is_symlink(target_status) &&
               fs::read_symlink(entry.path()) == fs::read_symlink(target)) {
      fs::remove(entry.path());
    } else {
      throw sdk::Error("cannot merge " + in_rootfs(rootfs, entry.path()) + " into " +
                       in_rootfs(rootfs, target) + ": both exist");
    }
  }
}

// Makes `link` (a path in the rootfs) a symlink to `target`; a directory there has its
// contents moved to `moved_to` first.
void make_link(const fs::path& rootfs, const fs::path& link, const fs::path& target,
               const fs::path& moved_to) {
  const auto status = fs::symlink_status(link);
  if (fs::is_symlink(status)) {
    if (fs::read_symlink(link) == target) return;
    fs::remove(link);
  } else if (fs::is_directory(status)) {
    move_tree(rootfs, link, moved_to);
    fs::remove(link);
  } else if (fs::exists(status)) {
    throw sdk::Error(in_rootfs(rootfs, link) + " is a file where a link to " + target.string() +
                     " belongs");
  }
  fs::create_directories(link.parent_path());
  fs::create_symlink(target, link);
}

void make_directory(const fs::path& dir, fs::perms mode) {
  if (exists_no_follow(dir)) return;
  fs::create_directories(dir);
  fs::permissions(dir, mode, fs::perm_options::replace);  // exact, whatever the umask
}

}  // namespace

std::set<std::string> packaged_paths(const std::vector<DebContents>& debs) {
  std::set<std::string> paths;
  for (const auto& deb : debs) {
    for (const auto& path : deb.paths) {
      add_with_parents(paths, path);
      const auto slash = path.find('/');
      if (is_merged_top(path.substr(0, slash))) add_with_parents(paths, "usr/" + path);
    }
  }
  return paths;
}

std::string file_owners(const std::vector<DebContents>& debs) {
  std::string out;
  for (const auto& deb : debs) {
    for (const auto& path : deb.paths) {
      out += path + "\t" + deb.package + "\n";
      const auto slash = path.find('/');
      if (is_merged_top(path.substr(0, slash))) out += "usr/" + path + "\t" + deb.package + "\n";
    }
  }
  return out;
}

std::size_t prune_unpackaged(const fs::path& rootfs, const std::set<std::string>& keep) {
  // Collect first, remove after: removing while a directory is being read is unspecified.
  std::vector<fs::path> doomed;
  for (auto it = fs::recursive_directory_iterator(rootfs); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string path = it->path().lexically_relative(rootfs).generic_string();
    if (keep.count(path) == 0) {
      doomed.push_back(it->path());
      it.disable_recursion_pending();
    }
  }
  for (const auto& path : doomed) {
    std::error_code error;
    fs::remove_all(path, error);
    if (error) throw sdk::Error("cannot remove " + path.string() + ": " + error.message());
  }
  return doomed.size();
}

void ensure_merged_usr(const fs::path& rootfs) {
  for (const char* name : kAlwaysMerged) {
    make_link(rootfs, rootfs / name, fs::path("usr") / name, rootfs / "usr" / name);
    fs::create_directories(rootfs / "usr" / name);
  }
  for (const char* name : kMultilibDirs) {
    // Only the multilib directories this architecture's packages use (amd64: lib64,
    // for the ELF interpreter /lib64/ld-linux-x86-64.so.2).
    const fs::path top = rootfs / name;
    if (!exists_no_follow(rootfs / "usr" / name) && !fs::is_directory(fs::symlink_status(top))) {
      if (fs::is_symlink(fs::symlink_status(top))) fs::remove(top);  // multistrap's lib64 -> ./lib
      continue;
    }
    make_link(rootfs, rootfs / name, fs::path("usr") / name, rootfs / "usr" / name);
    fs::create_directories(rootfs / "usr" / name);
  }
}

void ensure_run_links(const fs::path& rootfs) {
  make_directory(rootfs / "run", fs::perms(0755));
  make_link(rootfs, rootfs / "var" / "run", "/run", rootfs / "run");
  make_link(rootfs, rootfs / "var" / "lock", "/run/lock", rootfs / "run" / "lock");
}

void ensure_skeleton(const fs::path& rootfs) {
  const fs::perms sticky_world = fs::perms(01777);
  make_directory(rootfs / "dev", fs::perms(0755));
  make_directory(rootfs / "proc", fs::perms(0755));
  make_directory(rootfs / "sys", fs::perms(0755));
  make_directory(rootfs / "run", fs::perms(0755));
  make_directory(rootfs / "tmp", sticky_world);
  make_directory(rootfs / "var" / "tmp", sticky_world);
  make_directory(rootfs / "root", fs::perms(0700));
}

void reset_machine_id(const fs::path& rootfs) {
  const fs::path machine_id = rootfs / "etc" / "machine-id";
  fs::create_directories(machine_id.parent_path());
  std::error_code error;
  fs::remove(machine_id, error);
  std::ofstream(machine_id, std::ios::trunc).close();
  if (!fs::is_regular_file(fs::symlink_status(machine_id))) {
    throw sdk::Error("cannot write " + machine_id.string());
  }
  fs::permissions(machine_id, fs::perms(0444), fs::perm_options::replace);
}

void finish_rootfs(const fs::path& rootfs, const std::set<std::string>& keep) {
  prune_unpackaged(rootfs, keep);
  ensure_merged_usr(rootfs);
  ensure_run_links(rootfs);
  ensure_skeleton(rootfs);
  reset_machine_id(rootfs);
}

}  // namespace berth::bootstrap
