// The initramfs around /init: its merged-/usr skeleton, a static busybox, and the
// checks that the kernel modules the root needs will be there.
//
//   bin -> usr/bin, sbin -> usr/bin, usr/sbin -> bin, lib -> usr/lib
//   usr/bin/busybox, usr/bin/sh -> busybox   (/init installs the other applet links)
//   dev proc sys run newroot berth usr/lib/berth/early.d
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace berth::fs_squashfs {

// The busybox of the rootfs (usr/bin/busybox, or bin/busybox in an unmerged tree).
// Throws sdk::Error when there is none, or when it is dynamically linked (the package
// `busybox` rather than `busybox-static`): the initramfs has no C library.
std::filesystem::path find_static_busybox(const std::filesystem::path& rootfs);

// Creates the skeleton above in `root`, keeping what is already there (the kernel
// plugin's lib -> usr/lib, say). Throws sdk::Error when a path that must be a link is
// something else, e.g. a real sbin/ directory a plugin filled.
void make_initramfs_skeleton(const std::filesystem::path& root);

// Copies `busybox` to usr/bin/busybox (mode 0755) and links usr/bin/sh to it.
void install_busybox(const std::filesystem::path& busybox, const std::filesystem::path& root);

// The names in `modules` (e.g. "loop") that `module_dir` (usr/lib/modules/<version> of
// the initramfs) neither ships (modules.dep) nor has built in (modules.builtin). '-'
// and '_' are the same in module names. Throws sdk::Error when modules.dep is missing.
std::vector<std::string> missing_modules(const std::filesystem::path& module_dir,
                                         const std::vector<std::string>& modules);

}  // namespace berth::fs_squashfs
