#include "berth/sdk/kernel/kernel_install.hpp"

#include <cstdio>
#include <set>

#include "berth/sdk/kernel/kernel_tree.hpp"
#include "berth/sdk/kernel/module_index.hpp"
#include "berth/sdk/kernel/module_install.hpp"
#include "berth/sdk/kernel/module_selection.hpp"

namespace berth::sdk::kernel {
namespace fs = std::filesystem;
namespace {

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

// modprobe (kmod's and busybox's) looks in /lib/modules; our trees keep modules under
// usr/lib/modules, as merged-/usr Debian does.
void ensure_lib_modules_link(sdk::BuildContext& ctx, const fs::path& root) {
  const fs::path lib = root / "lib";
  if (!fs::exists(fs::symlink_status(lib))) {
    fs::create_directory_symlink("usr/lib", lib);
  } else if (!fs::exists(lib / "modules")) {
    fs::create_directory_symlink("../usr/lib/modules", lib / "modules");
  } else if (!fs::equivalent(lib / "modules", root / "usr/lib/modules")) {
    ctx.warn(root.string() + ": lib/modules is not usr/lib/modules; modprobe may not find " +
             "the modules under usr/lib/modules");
  }
}

// Patterns the config gave must match; the built-in lists may name modules some kernels
// lack or build in, which is worth a warning only.
void check_unmatched(sdk::BuildContext& ctx, const ModuleOptions& options,
                     const std::set<std::string>& unmatched, const std::string& version,
                     const std::string& label) {
  for (const auto& pattern : unmatched) {
    auto user = options.user_patterns.find(pattern);
    std::string what =
        "'" + pattern + "' matches no module of kernel " + version + " (" + label + ")";
    if (user != options.user_patterns.end()) ctx.config().fail(user->second, what);
    ctx.warn("built-in module list: " + what);
  }
}

// Installs `names` into <staging>/usr/lib/modules/<ver>/ and from there into `root`.
InstalledModules install_tree(sdk::BuildContext& ctx, const ModuleIndex& index,
                              const KernelTree& kernel, const std::set<std::string>& names,
                              const fs::path& staging, const fs::path& root) {
  fs::remove_all(staging);
  const fs::path modules_rel = fs::path("usr/lib/modules") / kernel.version;
  auto installed = install_modules(ctx, index, kernel.modules_dir, names, staging / modules_rel,
                                   kernel.version, ctx.work_dir());
  ensure_lib_modules_link(ctx, staging);
  fs::remove_all(root / modules_rel);
  fs::create_directories(root / modules_rel);
  ctx.copy_tree(staging / modules_rel, root / modules_rel);
  ensure_lib_modules_link(ctx, root);
  return installed;
}

}  // namespace

void install_kernel(sdk::BuildContext& ctx, const fs::path& unpacked_root, const std::string& label,
                    const ModuleOptions& options) {
  const KernelTree kernel = find_kernel_tree(unpacked_root, label);
  ctx.info("kernel " + kernel.version + " from " + label);

  // Debian ships compressed modules and no modules.dep; other builds may ship a stale one.
  run_depmod(ctx, kernel.modules_dir, kernel.version, ctx.work_dir());
  const ModuleIndex index = load_module_index(kernel.modules_dir);

  const Selection early = select_modules(index, options.early_modules);
  const Selection main = select_modules(index, options.modules);
  std::set<std::string> unmatched(early.unmatched.begin(), early.unmatched.end());
  unmatched.insert(main.unmatched.begin(), main.unmatched.end());
  check_unmatched(ctx, options, unmatched, kernel.version, label);

  // What the initramfs loaded stays loaded after switch_root; the rootfs ships it too so
  // that modprobe and modinfo there know about it.
  std::set<std::string> rootfs_modules = main.modules;
  rootfs_modules.insert(early.modules.begin(), early.modules.end());

  const fs::path staging = ctx.work_dir() / "modules";
  auto rootfs = install_tree(ctx, index, kernel, rootfs_modules, staging, ctx.rootfs());
  const fs::path config_rel = fs::path("usr/lib/modules") / kernel.version / "config";
  if (kernel.config) {
    fs::copy_file(*kernel.config, staging / config_rel, fs::copy_options::overwrite_existing);
    fs::copy_file(*kernel.config, ctx.rootfs() / config_rel, fs::copy_options::overwrite_existing);
  } else {
    ctx.warn(label + ": no boot/config-" + kernel.version + "; the image carries no kernel config");
  }
  rootfs.bytes = tree_size(staging / config_rel.parent_path());
  auto initramfs = install_tree(ctx, index, kernel, early.modules, ctx.work_dir() / "early-modules",
                                ctx.initramfs_root());

  const fs::path vmlinuz = ctx.output_dir() / "vmlinuz";
  fs::copy_file(kernel.vmlinuz, vmlinuz, fs::copy_options::overwrite_existing);
  const auto kernel_bytes = fs::file_size(vmlinuz);

  ctx.publish(sdk::facts::kKernelVersion, kernel.version);
  ctx.publish(sdk::facts::kKernelImage, vmlinuz.string());
  ctx.publish(sdk::facts::kKernelModules, staging.string());
  ctx.report_size("kernel", kernel_bytes);
  ctx.report_size("modules", rootfs.bytes);
  ctx.report_size("early-modules", initramfs.bytes);
  ctx.info("kernel " + kernel.version + ": vmlinuz " + megabytes(kernel_bytes) + ", " +
           std::to_string(rootfs.count) + " modules (" + megabytes(rootfs.bytes) +
           ") in the rootfs, " + std::to_string(initramfs.count) + " (" +
           megabytes(initramfs.bytes) + ") in the initramfs");
}

}  // namespace berth::sdk::kernel
