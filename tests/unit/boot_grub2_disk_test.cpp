// boot-grub2: the GRUB images of an installed disk. The installer writes them as they are,
// so their pointers must name the sectors the installer's layout puts them at.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "berth/sdk/error.hpp"
#include "disk_boot.hpp"

namespace berth::boot_grub2 {
namespace {

std::uint64_t le(const std::string& bytes, std::size_t offset, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return value;
}

// A core as grub-mkimage lays it out: diskboot's sector with the default block list
// (start 2, the length of the rest, segment 0x820), then `rest` sectors.
std::string fake_core(std::size_t rest_sectors, std::size_t tail_bytes = 0) {
  std::string core(512 * (1 + rest_sectors) + tail_bytes, '\x5a');
  std::fill(core.begin() + 500 - 12, core.begin() + 512, '\0');
  core[500] = 2;
  const std::size_t listed = rest_sectors + (tail_bytes != 0 ? 1 : 0);
  core[508] = static_cast<char>(listed & 0xff);
  core[509] = static_cast<char>(listed >> 8);
  core[510] = 0x20;
  core[511] = 0x08;
  return core;
}

TEST(DiskBoot, BootCodePointsAtTheCoreAndKeepsThePartitionTable) {
  std::string boot_img(512, '\x11');
  const std::string code = bios_boot_code(boot_img, kBiosCoreLba);
  // 440 bytes: the disk signature and the protective MBR's partition table stay as
  // sfdisk wrote them.
  ASSERT_EQ(code.size(), kMbrBootCodeBytes);
  EXPECT_EQ(le(code, 0x5c, 8), 2048U);
  EXPECT_EQ(static_cast<unsigned char>(code[0x66]), 0x90);
  EXPECT_EQ(static_cast<unsigned char>(code[0x67]), 0x90);
  EXPECT_EQ(code[0], '\x11');
  EXPECT_EQ(code[0x68], '\x11');
}

TEST(DiskBoot, BootCodeRefusesAnImageThatIsNotOneSector) {
  EXPECT_THROW(bios_boot_code(std::string(446, '\0'), kBiosCoreLba), sdk::Error);
}

TEST(DiskBoot, CoreLoadsTheSectorsAfterItself) {
  const std::string core = bios_core_at(fake_core(60, 100), kBiosCoreLba);
  EXPECT_EQ(le(core, 500, 8), 2049U);
  EXPECT_EQ(le(core, 508, 2), 61U);  // the length grub-mkimage wrote stays
  EXPECT_EQ(le(core, 510, 2), 0x820U);
  // Padded to whole sectors: diskboot reads 61 sectors after the first.
  EXPECT_EQ(core.size(), 62U * 512);
}

TEST(DiskBoot, CoreWithAnotherLengthIsNotTakenForACore) {
  std::string core = fake_core(60);
  core[508] = 7;
  EXPECT_THROW(bios_core_at(core, kBiosCoreLba), sdk::Error);
}

TEST(DiskBoot, CoreTooBigForTheBiosBootPartitionIsRefused) {
  EXPECT_THROW(bios_core_at(fake_core(2048), kBiosCoreLba), sdk::Error);
}

TEST(DiskBoot, DiskImagesReadTheGptAndTheEsp) {
  for (Platform platform : {Platform::bios, Platform::efi}) {
    const auto modules = disk_modules(platform, true);
    for (const char* needed : {"part_gpt", "fat", "linux", "normal", "loadenv", "test", "serial"}) {
      EXPECT_NE(std::find(modules.begin(), modules.end(), needed), modules.end()) << needed;
    }
  }
  const auto bios = disk_modules(Platform::bios, false);
  EXPECT_NE(std::find(bios.begin(), bios.end(), "biosdisk"), bios.end());
  // Booting the ISO file from an ext4 partition through its loopback.cfg.
  for (const char* needed : {"ext2", "loopback", "iso9660", "configfile", "search", "probe"}) {
    EXPECT_NE(std::find(bios.begin(), bios.end(), needed), bios.end()) << needed;
  }
  EXPECT_EQ(std::find(bios.begin(), bios.end(), "serial"), bios.end());
}

TEST(DiskBoot, BiosPrefixNamesTheEspOfTheBootDisk) {
  EXPECT_EQ(kDiskBiosPrefix, "(,gpt2)/berth/boot/grub");
  EXPECT_NE(disk_early_config(true).find("terminal_output console serial"), std::string::npos);
  EXPECT_EQ(disk_early_config(false), "");
}

}  // namespace
}  // namespace berth::boot_grub2
