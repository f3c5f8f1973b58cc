#include "install_files.hpp"

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
  return sdk::first_missing_program(rootfs, required_programs());
}

void require_rootfs_programs(sdk::BuildContext& ctx) {
  sdk::require_programs(ctx.rootfs(), required_programs());
}

}  // namespace berth::persist_disk
