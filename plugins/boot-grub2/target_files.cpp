#include "target_files.hpp"

#include <fstream>

#include "berth/sdk/error.hpp"

namespace berth::boot_grub2 {

namespace {

namespace fs = std::filesystem;

bool starts_with_shebang(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[2] = {};
  return in.read(head, 2) && head[0] == '#' && head[1] == '!';
}

}  // namespace

void install_target_files(sdk::BuildContext& ctx) {
  const fs::path source = ctx.data_dir() / "rootfs";
  if (!fs::is_directory(source)) throw sdk::Error(source.string() + ": missing plugin data");
  ctx.copy_tree(source, ctx.rootfs());
  // Scripts run on the target whatever modes an install or a checkout left them.
  for (const auto& entry : fs::recursive_directory_iterator(source)) {
    if (!entry.is_regular_file() || entry.is_symlink()) continue;
    if (!starts_with_shebang(entry.path())) continue;
    fs::permissions(ctx.rootfs() / fs::relative(entry.path(), source), fs::perms(0755));
  }
}

void install_initramfs_files(sdk::BuildContext& ctx) {
  const fs::path source = ctx.data_dir() / "initramfs";
  if (!fs::is_directory(source)) throw sdk::Error(source.string() + ": missing plugin data");
  ctx.copy_tree(source, ctx.initramfs_root());
}

}  // namespace berth::boot_grub2
