#include "target_files_common.hpp"

#include "berth/sdk/error.hpp"

namespace berth::target_files {

namespace fs = std::filesystem;

const RequiredProgram* first_missing_program(const fs::path& rootfs,
                                             const std::vector<RequiredProgram>& programs) {
  for (const auto& program : programs) {
    std::error_code error;
    // symlink_status: /usr/bin/tar -> busybox is the applet, not GNU tar.
    const auto status = fs::symlink_status(rootfs / program.path.substr(1), error);
    if (error || !fs::is_regular_file(status)) return &program;
  }
  return nullptr;
}

void require_programs(const fs::path& rootfs, const std::vector<RequiredProgram>& programs) {
  if (const auto* missing = first_missing_program(rootfs, programs)) {
    throw sdk::Error("no " + missing->path + " in the rootfs: add " + missing->package +
                     " to [bootstrap] packages");
  }
}

void copy_plugin_data(sdk::BuildContext& ctx, const std::string& part, const fs::path& target) {
  const fs::path source = ctx.data_dir() / part;
  if (!fs::is_directory(source)) throw sdk::Error(source.string() + ": missing plugin data");
  ctx.copy_tree(source, target);
}

}  // namespace berth::target_files
