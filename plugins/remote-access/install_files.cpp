#include "install_files.hpp"

namespace berth::remote_access {

const std::vector<sdk::RequiredProgram>& required_programs() {
  static const std::vector<sdk::RequiredProgram> programs = {
      {"/usr/bin/openssl", "openssl"},
      {"/usr/bin/jq", "jq"},
      {"/usr/sbin/dropbear", "dropbear-bin"},
      {"/usr/bin/dropbearkey", "dropbear-bin"},
  };
  return programs;
}

void install_rootfs_files(sdk::BuildContext& ctx) {
  sdk::require_programs(ctx.rootfs(), required_programs());
}

}  // namespace berth::remote_access
