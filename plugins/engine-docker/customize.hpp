// The customize hook of engine-docker.
#pragma once

#include "berth/sdk/context.hpp"
#include "daemon_config.hpp"

namespace berth::engine_docker {

// [50] files/rootfs (the rc.d service, its supervisor, the module list), daemon.json,
// the iptables alternatives and the docker group. Needs /etc/group, which the init
// plugin writes at order 20.
void install_engine(sdk::BuildContext& ctx, const Settings& settings);

}  // namespace berth::engine_docker
