#include "install_files.hpp"

namespace berth::crypt_luks {

namespace fs = std::filesystem;

const std::vector<RequiredProgram>& required_programs() {
  // The unlock hook runs both from the base image (there is no glibc in the initramfs);
  // luks.sh formats, adds keys, opens and relabels with cryptsetup.
  static const std::vector<RequiredProgram> programs = {
      {"/usr/sbin/cryptsetup", "cryptsetup-bin"},
      {"/usr/sbin/blkid", "util-linux"},
  };
  return programs;
}

const RequiredProgram* first_missing_program(const fs::path& rootfs) {
  return sdk::first_missing_program(rootfs, required_programs());
}

void require_rootfs_programs(sdk::BuildContext& ctx) {
  sdk::require_programs(ctx.rootfs(), required_programs());
}

}  // namespace berth::crypt_luks
