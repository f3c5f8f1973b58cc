#include "install_files.hpp"

#include "berth/sdk/error.hpp"

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
  for (const auto& program : required_programs()) {
    std::error_code error;
    // symlink_status: a link to busybox is an applet, not the program.
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

}  // namespace berth::crypt_luks
