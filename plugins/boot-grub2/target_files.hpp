// The customize stage: what boot-grub2 puts into the running system (files/rootfs/):
// rc.d/12-medium, which finds and mounts the medium GRUB booted from, its helpers
// (/usr/lib/berth/medium.sh) and the declaration of berth.medium (params.d).
#pragma once

#include "berth/sdk/context.hpp"

namespace berth::boot_grub2 {

void install_target_files(sdk::BuildContext& ctx);

// The initramfs stage: early.d/20-from, which finds a frugal install's directory
// (berth.from=) or the ISO file (berth.iso=) and attaches its data file, and its
// params.d declaration (files/initramfs/).
void install_initramfs_files(sdk::BuildContext& ctx);

}  // namespace berth::boot_grub2
