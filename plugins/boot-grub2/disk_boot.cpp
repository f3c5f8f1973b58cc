#include "disk_boot.hpp"

#include <algorithm>

#include "berth/sdk/error.hpp"
#include "grub_config.hpp"

namespace berth::boot_grub2 {

namespace {

constexpr std::size_t kSectorBytes = 512;
// boot.img (GRUB's include/grub/i386/pc/boot.h): the LBA of the core's first sector, and
// the two-byte jump that skips the "is dl a hard disk?" test.
constexpr std::size_t kKernelSectorOffset = 0x5c;
constexpr std::size_t kDriveCheckOffset = 0x66;
// diskboot.img: the first block list entry (start: 8 bytes, sectors: 2, segment: 2) sits
// in the last 12 bytes of the sector; the entry below it ends the list with a length of 0.
constexpr std::size_t kBlockListOffset = kSectorBytes - 12;
constexpr std::uint64_t kBiosBootPartitionBytes = 1024 * 1024;

void put_le(std::string& bytes, std::size_t offset, std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) {
    bytes[offset + i] = static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

std::uint64_t get_le(const std::string& bytes, std::size_t offset, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return value;
}

}  // namespace

std::vector<std::string> disk_modules(Platform platform, bool serial) {
  std::vector<std::string> modules;
  if (platform == Platform::bios) modules.emplace_back("biosdisk");
  for (const char* name : {"part_gpt", "fat", "normal", "linux", "test", "loadenv", "echo"}) {
    modules.emplace_back(name);
  }
  // Booting the ISO file from a disk (ext2/3/4, MBR or GPT): loopback, the ISO's
  // filesystem, configfile for its loopback.cfg, which runs search and probe.
  for (const char* name :
       {"part_msdos", "ext2", "loopback", "iso9660", "configfile", "search", "probe"}) {
    modules.emplace_back(name);
  }
  if (serial) {
    modules.emplace_back("serial");
    modules.emplace_back("terminal");
  }
  if (platform == Platform::efi) {
    modules.emplace_back("efi_gop");
    modules.emplace_back("efi_uga");
  }
  return modules;
}

std::string bios_boot_code(std::string boot_img, std::uint64_t core_lba) {
  if (boot_img.size() != kSectorBytes) {
    throw sdk::Error("boot-grub2: boot.img is " + std::to_string(boot_img.size()) +
                     " bytes, not one 512-byte sector");
  }
  put_le(boot_img, kKernelSectorOffset, core_lba, 8);
  // Two NOPs over the jump: dl then counts as a hard disk unless its high bit is clear,
  // what grub-setup does for anything but a floppy (some BIOSes pass a wrong dl).
  boot_img[kDriveCheckOffset] = static_cast<char>(0x90);
  boot_img[kDriveCheckOffset + 1] = static_cast<char>(0x90);
  boot_img.resize(kMbrBootCodeBytes);
  return boot_img;
}

std::string bios_core_at(std::string core_img, std::uint64_t core_lba) {
  if (core_img.size() < 2 * kSectorBytes) {
    throw sdk::Error("boot-grub2: core.img is " + std::to_string(core_img.size()) +
                     " bytes: too small for an i386-pc core");
  }
  if (core_img.size() > kBiosBootPartitionBytes) {
    throw sdk::Error("boot-grub2: core.img is " + std::to_string(core_img.size()) +
                     " bytes; the BIOS boot partition holds 1 MiB");
  }
  const std::uint64_t rest_sectors =
      (core_img.size() - kSectorBytes + kSectorBytes - 1) / kSectorBytes;
  // grub-mkimage writes the length of the rest; diskboot loads that many sectors.
  const std::uint64_t listed = get_le(core_img, kBlockListOffset + 8, 2);
  if (listed != rest_sectors) {
    throw sdk::Error("boot-grub2: core.img's block list names " + std::to_string(listed) +
                     " sectors, the core has " + std::to_string(rest_sectors) +
                     " after diskboot: not a grub-mkimage i386-pc core");
  }
  put_le(core_img, kBlockListOffset, core_lba + 1, 8);
  // The sector count is kept; the entry below must end the list.
  if (get_le(core_img, kBlockListOffset - 12 + 8, 2) != 0) {
    throw sdk::Error("boot-grub2: core.img's block list has a second entry");
  }
  // Whole sectors, so the installer writes exactly what diskboot reads.
  core_img.resize((core_img.size() + kSectorBytes - 1) / kSectorBytes * kSectorBytes, '\0');
  return core_img;
}

std::string disk_early_config(bool serial) {
  return serial ? serial_terminal_config() : std::string();
}

}  // namespace berth::boot_grub2
