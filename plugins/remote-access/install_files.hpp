// remote-access's build step: the programs its on-target scripts run.
#pragma once

#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/programs.hpp"

namespace berth::remote_access {

// openssl makes the CA and certificates at boot; jq writes dockerd's drop-in; ip lists the
// addresses the server certificate names; dropbear and dropbearkey: the SSH server and its
// host keys.
const std::vector<sdk::RequiredProgram>& required_programs();

// Throws sdk::Error naming the first missing program and its package (the core installs
// files/rootfs/).
void install_rootfs_files(sdk::BuildContext& ctx);

}  // namespace berth::remote_access
