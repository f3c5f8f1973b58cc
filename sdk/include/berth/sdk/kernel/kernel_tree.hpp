// Where things are in an unpacked linux-image package: the one kernel version under
// usr/lib/modules/ (or lib/modules/ on kernels packaged before merged /usr), its
// boot/vmlinuz-<ver> and boot/config-<ver>.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace berth::sdk::kernel {

struct KernelTree {
  std::string version;                          // e.g. 6.12.38+deb13-amd64
  std::filesystem::path modules_dir;            // <root>/usr/lib/modules/<ver>
  std::filesystem::path vmlinuz;                // <root>/boot/vmlinuz-<ver>
  std::optional<std::filesystem::path> config;  // <root>/boot/config-<ver>, if shipped
};

// `label` names the package in errors (a .deb path or a package name). Throws
// sdk::Error when the tree holds no kernel, several, or no matching vmlinuz.
KernelTree find_kernel_tree(const std::filesystem::path& root, const std::string& label);

}  // namespace berth::sdk::kernel
