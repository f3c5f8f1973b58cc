#include "required_programs.hpp"

namespace berth::install_disk {

const std::vector<RequiredProgram>& required_programs() {
  // The GPT (sfdisk), the ESP (FAT32: mkfs.vfat, a link to mkfs.fat), the data volume
  // (mkfs.ext4 is mke2fs; e2label, a link to tune2fs, sets its final label), the
  // partition UUID and the old signatures (blkid, wipefs). busybox has mkfs.vfat and
  // blkid applets, but not the options used here; the links are checked as their targets.
  static const std::vector<RequiredProgram> programs = {
      {"/usr/sbin/sfdisk", "fdisk"},     {"/usr/sbin/mkfs.fat", "dosfstools"},
      {"/usr/sbin/mke2fs", "e2fsprogs"}, {"/usr/sbin/tune2fs", "e2fsprogs"},
      {"/usr/sbin/blkid", "util-linux"}, {"/usr/sbin/wipefs", "util-linux"},
  };
  return programs;
}

const RequiredProgram* first_missing_program(const std::filesystem::path& rootfs) {
  return sdk::first_missing_program(rootfs, required_programs());
}

void require_rootfs_programs(sdk::BuildContext& ctx) {
  sdk::require_programs(ctx.rootfs(), required_programs());
}

}  // namespace berth::install_disk
