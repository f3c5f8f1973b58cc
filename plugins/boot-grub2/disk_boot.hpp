// GRUB for a disk Berth is installed on (`berth install`): images built with the medium
// and written by the installer as they are, so the running system needs no GRUB tools.
//
// The installer's disk layout, which these images assume: a GPT whose partition 1 is the
// BIOS boot partition starting at sector kBiosCoreLba (it holds bios-core.img), partition
// 2 the EFI system partition (FAT, with /EFI/BOOT/BOOTX64.EFI, /berth/boot/{vmlinuz,
// initrd.img} and /berth/boot/grub/grub.cfg), partition 3 the data volume.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "grub_modules.hpp"

namespace berth::boot_grub2 {

// Where the medium carries the disk images: bios-boot.img (the MBR's boot code),
// bios-core.img, bootx64.efi and linux-params (the kernel parameters of the medium's
// menu, as GRUB words).
inline constexpr std::string_view kDiskDir = "/berth/boot/disk";
// First sector of the BIOS boot partition: 1 MiB, where every partitioning tool puts the
// first partition.
inline constexpr std::uint64_t kBiosCoreLba = 2048;
// The menu on the ESP. BIOS: partition 2 of the disk the MBR code was loaded from. UEFI:
// no device, so GRUB takes the partition its binary came from, the ESP.
inline constexpr std::string_view kDiskBiosPrefix = "(,gpt2)/berth/boot/grub";
inline constexpr std::string_view kDiskEfiPrefix = "/berth/boot/grub";
// The bytes of the MBR before the disk signature: boot code only, so writing them keeps
// the protective MBR's partition table.
inline constexpr std::size_t kMbrBootCodeBytes = 440;

// The modules of the disk images: the GPT, the FAT of the ESP, `if [ ... ]` and the
// environment block of `berth upgrade`'s fallback; and what booting an ISO file from an
// ext2/3/4 or MBR disk needs (loopback, iso9660, configfile, search, probe).
std::vector<std::string> disk_modules(Platform platform, bool serial);

// GRUB's boot.img (512 bytes) -> the kMbrBootCodeBytes of boot code that load the core
// from sector `core_lba` of the same disk, trusting the drive number the BIOS passes
// (grub-setup's choice for hard disks). Throws sdk::Error if `boot_img` is not 512 bytes.
std::string bios_boot_code(std::string boot_img, std::uint64_t core_lba);

// grub-mkimage's i386-pc core.img -> the same core, its first sector (diskboot) pointing at
// the sectors after it when it sits at `core_lba`. Throws sdk::Error when the core has no
// block list length (not an i386-pc core) or does not fit the 1 MiB BIOS boot partition.
std::string bios_core_at(std::string core_img, std::uint64_t core_lba);

// The config built into the disk images: the consoles (when `serial`); $root and $prefix
// come from the prefixes above.
std::string disk_early_config(bool serial);

}  // namespace berth::boot_grub2
