#include "install_files.hpp"

#include "berth/sdk/error.hpp"

namespace berth::persist_disk {

namespace fs = std::filesystem;

const std::vector<RequiredProgram>& required_programs() {
  // The early hook runs e2fsck and blkid from the base image; `berth data prepare`
  // partitions, wipes and formats; GNU tar keeps the extended attributes of Docker's
  // layers when RAM state moves onto the volume.
  static const std::vector<RequiredProgram> programs = {
      {"/usr/sbin/e2fsck", "e2fsprogs"}, {"/usr/sbin/mke2fs", "e2fsprogs"},
      {"/usr/sbin/blkid", "util-linux"}, {"/usr/sbin/wipefs", "util-linux"},
      {"/usr/sbin/sfdisk", "fdisk"},     {"/usr/bin/tar", "tar"},
  };
  return programs;
}

const RequiredProgram* first_missing_program(const fs::path& rootfs) {
  for (const auto& program : required_programs()) {
    std::error_code error;
    // symlink_status: /usr/bin/tar -> busybox is the applet, not GNU tar.
    const auto status = fs::symlink_status(rootfs / program.path.substr(1), error);
    if (error || !fs::is_regular_file(status)) return &program;
  }
  return nullptr;
}

namespace {

void copy_data(sdk::BuildContext& ctx, const std::string& part, const fs::path& target) {
  const fs::path source = ctx.data_dir() / part;
  if (!fs::is_directory(source)) throw sdk::Error(source.string() + ": missing plugin data");
  ctx.copy_tree(source, target);
}

}  // namespace

void install_rootfs_files(sdk::BuildContext& ctx) {
  if (const auto* missing = first_missing_program(ctx.rootfs())) {
    throw sdk::Error("no " + missing->path + " in the rootfs: add " + missing->package +
                     " to [bootstrap] packages");
  }
  copy_data(ctx, "rootfs", ctx.rootfs());
}

void install_initramfs_files(sdk::BuildContext& ctx) {
  copy_data(ctx, "initramfs", ctx.initramfs_root());
}

}  // namespace berth::persist_disk
