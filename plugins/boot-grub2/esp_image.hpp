// The EFI system partition: a small FAT image holding only GRUB's standalone EFI binary.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "berth/sdk/context.hpp"

namespace berth::boot_grub2 {

// Writes `image` with `efi_binary` as /EFI/BOOT/BOOTX64.EFI, the file UEFI firmware boots
// from removable media and CDs. `serial_hex` (8 hex digits) is the FAT volume serial.
// Returns the image's size in bytes.
std::uint64_t write_esp_image(sdk::BuildContext& ctx, const std::filesystem::path& efi_binary,
                              const std::filesystem::path& image, const std::string& serial_hex);

}  // namespace berth::boot_grub2
