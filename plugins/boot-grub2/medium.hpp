// The bootloader stage: berth.iso, one image that boots BIOS and UEFI, from a CD and from
// a disk or USB stick it was written to.
#pragma once

#include "berth/sdk/context.hpp"
#include "settings.hpp"

namespace berth::boot_grub2 {

void build_medium(sdk::BuildContext& ctx, const Settings& settings);

}  // namespace berth::boot_grub2
