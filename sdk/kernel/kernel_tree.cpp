#include "berth/sdk/kernel/kernel_tree.hpp"

#include <map>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::sdk::kernel {
namespace fs = std::filesystem;
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Version -> modules directory, from usr/lib/modules first. A lib -> usr/lib symlink
// in the package makes both lists the same directories; the map keeps one of each.
std::map<std::string, fs::path> module_versions(const fs::path& root) {
  std::map<std::string, fs::path> versions;
  for (const char* dir : {"usr/lib/modules", "lib/modules"}) {
    std::error_code error;
    for (fs::directory_iterator it(root / dir, error), end; !error && it != end;
         it.increment(error)) {
      if (it->is_directory()) versions.emplace(it->path().filename().string(), it->path());
    }
  }
  return versions;
}

std::vector<std::string> boot_files(const fs::path& root, const std::string& prefix) {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(root / "boot", error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.starts_with(prefix)) names.push_back("boot/" + name);
  }
  return names;
}

}  // namespace

KernelTree find_kernel_tree(const fs::path& root, const std::string& label) {
  auto versions = module_versions(root);
  if (versions.empty()) {
    throw sdk::Error(
        label + ": no kernel inside (no usr/lib/modules/<version>/ or lib/modules/<version>/)");
  }
  if (versions.size() > 1) {
    std::vector<std::string> names;
    for (const auto& [version, dir] : versions) names.push_back(version);
    throw sdk::Error(label + ": holds several kernel versions (" + join(names) +
                     "); give one package per kernel");
  }
  KernelTree tree;
  tree.version = versions.begin()->first;
  tree.modules_dir = versions.begin()->second;
  tree.vmlinuz = root / "boot" / ("vmlinuz-" + tree.version);
  if (!fs::is_regular_file(tree.vmlinuz)) {
    auto found = boot_files(root, "vmlinuz-");
    throw sdk::Error(
        label + ": no boot/vmlinuz-" + tree.version + " for the modules of " + tree.version +
        (found.empty() ? " (no boot/vmlinuz-* at all)" : " (found " + join(found) + ")"));
  }
  if (auto config = root / "boot" / ("config-" + tree.version); fs::is_regular_file(config)) {
    tree.config = config;
  }
  return tree;
}

}  // namespace berth::sdk::kernel
