// The modules Berth ships unless the config says otherwise (`modules`, `extra_modules`,
// `early_modules`). Patterns as in module_selection.hpp.
#pragma once

#include <string>
#include <vector>

namespace berth::sdk::kernel {

// Into the rootfs: what a Docker host on real or virtual hardware needs.
const std::vector<std::string>& default_modules();

// Into the initramfs: what /init needs to find the boot medium and the persistent data
// (and to type a LUKS passphrase) before the root filesystem exists.
const std::vector<std::string>& default_early_modules();

}  // namespace berth::sdk::kernel
