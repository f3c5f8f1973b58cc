// [engine] build = "multicall": Docker's daemon and CLI, containerd and its runc v2 shim
// compiled from Debian's source packages (the versions the configured suites ship) into one
// binary, in a build chroot of Debian's Go toolchain and Go library packages. Both the chroot
// and the binary are cached under the cache directory, keyed by what goes into them.
#pragma once

#include "berth/sdk/context.hpp"
#include "daemon_config.hpp"

namespace berth::engine_docker {

// Builds the engine (or takes it from the cache) and puts it in the rootfs in place of
// Debian's dockerd, docker, containerd and containerd-shim-runc-v2 (and docker-proxy with
// the userland proxy), one file with a hard link per name.
void install_multicall_engine(sdk::BuildContext& ctx, const Settings& settings);

}  // namespace berth::engine_docker
