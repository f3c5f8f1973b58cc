#include "initramfs_tree.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"
#include "elf_file.hpp"

namespace berth::fs_squashfs {
namespace fs = std::filesystem;
namespace {

struct Link {
  const char* path;
  const char* target;
};

// Merged /usr as in Debian: whatever path a tool or a hook uses reaches usr/.
constexpr Link kLinks[] = {
    {"bin", "usr/bin"},
    {"sbin", "usr/bin"},
    {"usr/sbin", "bin"},
    {"lib", "usr/lib"},
};

constexpr const char* kDirectories[] = {
    "usr/bin", "usr/lib/berth/early.d", "dev", "proc", "sys", "run", "newroot", "berth",
};

// "kernel/fs/squashfs/squashfs.ko.xz" -> "squashfs"; "dm-crypt" -> "dm_crypt".
std::string module_name(std::string path) {
  path = path.substr(path.rfind('/') + 1);
  path = path.substr(0, path.find(".ko"));
  std::replace(path.begin(), path.end(), '-', '_');
  return path;
}

// The module names of a modules.dep ("path: deps") or modules.builtin ("path") file.
void read_module_list(const fs::path& file, std::set<std::string>& names) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find(':'));
    if (!line.empty()) names.insert(module_name(line));
  }
}

}  // namespace

fs::path find_static_busybox(const fs::path& rootfs) {
  fs::path busybox;
  for (const char* candidate : {"/usr/bin/busybox", "/bin/busybox"}) {
    // The rootfs's own file, never the build host's through an absolute link on the way.
    const auto found = sdk::resolve_in_root(rootfs, candidate, {.last = sdk::LastLink::keep});
    if (found && fs::is_regular_file(fs::symlink_status(*found))) {
      busybox = *found;
      break;
    }
  }
  if (busybox.empty()) {
    throw sdk::Error("no busybox in the rootfs (" + (rootfs / "usr/bin/busybox").string() +
                     "): the initramfs needs the package busybox-static in [bootstrap] packages");
  }
  const auto facts = read_elf_facts(busybox);
  if (!facts.is_elf) throw sdk::Error(busybox.string() + " is not an ELF executable");
  if (!facts.interpreter.empty()) {
    throw sdk::Error(busybox.string() + " is dynamically linked (interpreter " + facts.interpreter +
                     "): the initramfs has no C library; install " +
                     "busybox-static instead of busybox");
  }
  return busybox;
}

void make_initramfs_skeleton(const fs::path& root) {
  for (const char* dir : kDirectories) fs::create_directories(root / dir);
  for (const auto& link : kLinks) {
    const fs::path path = root / link.path;
    std::error_code error;
    const auto status = fs::symlink_status(path, error);
    if (!fs::exists(status)) {
      fs::create_directory_symlink(link.target, path);
    } else if (!fs::is_symlink(status) || fs::read_symlink(path) != link.target) {
      throw sdk::Error(path.string() + " should be a link to " + link.target +
                       ": the initramfs is merged-/usr, files belong under usr/");
    }
  }
}

void install_busybox(const fs::path& busybox, const fs::path& root) {
  const fs::path target = root / "usr/bin/busybox";
  std::error_code error;
  fs::copy_file(busybox, target, fs::copy_options::overwrite_existing, error);
  if (error) {
    throw sdk::Error("cannot copy " + busybox.string() + " to " + target.string() + ": " +
                     error.message());
  }
  fs::permissions(target, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  const fs::path sh = root / "usr/bin/sh";
  fs::remove(sh);
  fs::create_symlink("busybox", sh);
}

std::vector<std::string> missing_modules(const fs::path& module_dir,
                                         const std::vector<std::string>& modules) {
  if (!fs::is_regular_file(module_dir / "modules.dep")) {
    throw sdk::Error("no modules.dep in " + module_dir.string());
  }
  std::set<std::string> available;
  read_module_list(module_dir / "modules.dep", available);
  read_module_list(module_dir / "modules.builtin", available);
  std::vector<std::string> missing;
  for (const auto& module : modules) {
    if (available.count(module_name(module)) == 0) missing.push_back(module);
  }
  return missing;
}

}  // namespace berth::fs_squashfs
