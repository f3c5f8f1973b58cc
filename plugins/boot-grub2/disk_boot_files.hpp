// The bootloader stage's part for `berth install`: GRUB images for an installed disk,
// put on the medium under /berth/boot/disk/ (see disk_boot.hpp for the layout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "grub_tree.hpp"

namespace berth::boot_grub2 {

struct DiskBootJob {
  bool serial = true;
  std::vector<std::string> extra_modules;  // [boot] modules, per platform where they exist
  std::vector<std::string> linux_params;   // the medium menu's kernel parameters
};

// Writes bios-boot.img, bios-core.img, bootx64.efi and linux-params into the ISO tree;
// returns their total size in bytes.
std::uint64_t write_disk_boot_files(sdk::BuildContext& ctx, const GrubTree& grub,
                                    const DiskBootJob& job);

}  // namespace berth::boot_grub2
