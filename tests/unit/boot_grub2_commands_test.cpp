// boot-grub2: module choice and the command lines of grub-mkimage, mtools and xorriso.
#include <gtest/gtest.h>

#include <algorithm>

#include "berth/sdk/error.hpp"
#include "commands.hpp"
#include "grub_modules.hpp"

namespace {

using namespace berth::boot_grub2;
using Words = std::vector<std::string>;

bool contains(const Words& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// The index of `sequence` as consecutive words in `words`, or npos.
std::size_t find_sequence(const Words& words, const Words& sequence) {
  auto it = std::search(words.begin(), words.end(), sequence.begin(), sequence.end());
  return it == words.end() ? std::string::npos : static_cast<std::size_t>(it - words.begin());
}

TEST(BaseModules, OnlyWhatTheConfigsUse) {
  EXPECT_EQ(base_modules(Platform::bios, true),
            (Words{"biosdisk", "iso9660", "search", "normal", "linux", "serial", "terminal"}));
  EXPECT_EQ(base_modules(Platform::efi, true), (Words{"iso9660", "search", "normal", "linux",
                                                      "serial", "terminal", "efi_gop", "efi_uga"}));
  EXPECT_FALSE(contains(base_modules(Platform::bios, false), "serial"));
  EXPECT_FALSE(contains(base_modules(Platform::efi, false), "terminal"));
  for (Platform platform : {Platform::bios, Platform::efi}) {
    for (const auto& name : {"font", "gfxterm", "gettext", "all_video", "memdisk"}) {
      EXPECT_FALSE(contains(base_modules(platform, true), name)) << name;
    }
  }
}

TEST(ParseModdep, ListsTheModuleNames) {
  EXPECT_EQ(parse_moddep("linux: boot mmap relocator video\nboot:\nefi_gop: video video_fb\n\n"),
            (std::set<std::string>{"boot", "efi_gop", "linux"}));
  EXPECT_TRUE(parse_moddep("").empty());
}

TEST(ChooseModules, ExtrasGoWhereTheyExistAndUnknownOnesAreReported) {
  const std::set<std::string> bios = {"biosdisk", "part_gpt", "vbe"};
  const std::set<std::string> efi = {"part_gpt", "efi_gop", "tpm"};
  const auto choice = choose_modules(true, {"part_gpt", "vbe", "tpm", "nosuch"}, bios, efi);
  EXPECT_TRUE(contains(choice.bios, "part_gpt"));
  EXPECT_TRUE(contains(choice.bios, "vbe"));
  EXPECT_FALSE(contains(choice.bios, "tpm"));
  EXPECT_TRUE(contains(choice.efi, "part_gpt"));
  EXPECT_TRUE(contains(choice.efi, "tpm"));
  EXPECT_FALSE(contains(choice.efi, "vbe"));
  EXPECT_EQ(choice.unknown, Words{"nosuch"});
  // A base module named again is not added twice.
  const auto again = choose_modules(false, {"biosdisk"}, bios, efi);
  EXPECT_EQ(std::count(again.bios.begin(), again.bios.end(), "biosdisk"), 1);
}

TEST(MkimageArgs, RunsTheSuitesGrubMkimageThroughItsLoader) {
  const Launcher launcher{"/w/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                          "/w/root/usr/lib/x86_64-linux-gnu:/w/root/lib/x86_64-linux-gnu"};
  const Words argv = mkimage_args(launcher, {"/w/root/usr/bin/grub-mkimage",
                                             "/w/root/usr/lib/grub/i386-pc",
                                             Platform::bios,
                                             "/w/early.cfg",
                                             "/iso/berth/boot/grub/bios.img",
                                             {"biosdisk", "iso9660"}});
  EXPECT_EQ(Words(argv.begin(), argv.begin() + 4),
            (Words{"/w/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "--library-path",
                   "/w/root/usr/lib/x86_64-linux-gnu:/w/root/lib/x86_64-linux-gnu",
                   "/w/root/usr/bin/grub-mkimage"}));
  EXPECT_NE(find_sequence(argv, {"--format", "i386-pc-eltorito"}), std::string::npos);
  EXPECT_NE(find_sequence(argv, {"--directory", "/w/root/usr/lib/grub/i386-pc"}),
            std::string::npos);
  EXPECT_NE(find_sequence(argv, {"--config", "/w/early.cfg"}), std::string::npos);
  EXPECT_NE(find_sequence(argv, {"--prefix", "/berth/boot/grub"}), std::string::npos);
  EXPECT_NE(find_sequence(argv, {"--output", "/iso/berth/boot/grub/bios.img"}), std::string::npos);
  EXPECT_EQ(Words(argv.end() - 2, argv.end()), (Words{"biosdisk", "iso9660"}));

  const Words efi = mkimage_args(launcher, {"/g", "/d", Platform::efi, "/c", "/o", {}});
  EXPECT_NE(find_sequence(efi, {"--format", "x86_64-efi"}), std::string::npos);
}

TEST(EspSectors, FitsThePayloadWithRoomForFat) {
  // The 2.12 EFI binary is ~680 KB: the ESP stays well under 1 MB.
  EXPECT_EQ(esp_sectors(692224), 1536u);
  for (std::uint64_t bytes : {1ull, 4096ull, 692224ull, 5ull << 20, 64ull << 20}) {
    const std::uint64_t sectors = esp_sectors(bytes);
    EXPECT_EQ(sectors % 64, 0u) << bytes;
    EXPECT_GE(sectors * 512, bytes + 64 * 1024) << bytes;
    EXPECT_LE(sectors * 512, bytes + bytes / 32 + 160 * 1024) << bytes;
  }
}

TEST(MtoolsArgs, FixedSerialAndEfiBootPath) {
  const Words format = mformat_args("/w/esp.img", 1536, "89abcdef");
  EXPECT_EQ(format.front(), "mformat");
  EXPECT_NE(find_sequence(format, {"-i", "/w/esp.img"}), std::string::npos);
  EXPECT_NE(find_sequence(format, {"-T", "1536"}), std::string::npos);
  EXPECT_NE(find_sequence(format, {"-N", "89abcdef"}), std::string::npos);
  EXPECT_TRUE(contains(format, "-C"));
  EXPECT_EQ(mmd_args("/w/esp.img", {"/EFI", "/EFI/BOOT"}),
            (Words{"mmd", "-i", "/w/esp.img", "::/EFI", "::/EFI/BOOT"}));
  EXPECT_EQ(
      mcopy_args("/w/BOOTX64.EFI.in", "/w/x.efi", "/EFI/BOOT/BOOTX64.EFI"),
      (Words{"mcopy", "-m", "-i", "/w/BOOTX64.EFI.in", "/w/x.efi", "::/EFI/BOOT/BOOTX64.EFI"}));
}

TEST(IsoTimestamp, SixteenDigitsInUtc) {
  EXPECT_EQ(iso_timestamp(0), "1970010100000000");
  EXPECT_EQ(iso_timestamp(1700000000), "2023111422132000");
  EXPECT_THROW(iso_timestamp(-1), berth::sdk::Error);
}

IsoJob sample_job() {
  IsoJob job;
  job.tree = "/w/iso";
  job.output = "/w/out/berth.iso";
  job.volume_id = "BERTH";
  job.preparer = "Berth 0.1.0";
  job.epoch = 1700000000;
  job.mbr_image = "/w/root/usr/lib/grub/i386-pc/boot_hybrid.img";
  job.bios_image = "/berth/boot/grub/bios.img";
  job.catalog = "/berth/boot/grub/boot.cat";
  job.esp_image = "/w/esp.img";
  return job;
}

TEST(XorrisoArgs, ReproducibleDatesComeBeforeTheMkisofsEmulation) {
  const Words argv = xorriso_args(sample_job());
  ASSERT_EQ(argv.front(), "xorriso");
  const std::size_t as = find_sequence(argv, {"-as", "mkisofs"});
  ASSERT_NE(as, std::string::npos);
  for (const Words& setting :
       {Words{"-volume_date", "all_file_dates", "=1700000000"},
        Words{"-volume_date", "uuid", "2023111422132000"}, Words{"-iso_nowtime", "=1700000000"},
        Words{"-boot_image", "any", "gpt_disk_guid=volume_date_uuid"}}) {
    const std::size_t at = find_sequence(argv, setting);
    EXPECT_NE(at, std::string::npos) << setting[0] << " " << setting[1];
    EXPECT_LT(at, as) << setting[0] << " " << setting[1];
  }
  EXPECT_NE(find_sequence(argv, {"-preparer", "Berth 0.1.0"}), std::string::npos);
  EXPECT_NE(find_sequence(argv, {"-V", "BERTH"}), std::string::npos);
  EXPECT_NE(find_sequence(argv, {"-o", "/w/out/berth.iso"}), std::string::npos);
  EXPECT_EQ(argv.back(), "/w/iso");
}

TEST(XorrisoArgs, HybridBiosAndUefiForCdAndDisk) {
  const Words argv = xorriso_args(sample_job());
  // BIOS, disk: GRUB's hybrid MBR; BIOS, CD: the El Torito core with boot info patched in.
  EXPECT_NE(find_sequence(argv, {"--grub2-mbr", "/w/root/usr/lib/grub/i386-pc/boot_hybrid.img"}),
            std::string::npos);
  const std::size_t bios =
      find_sequence(argv, {"-b", "/berth/boot/grub/bios.img", "-no-emul-boot", "-boot-load-size",
                           "4", "-boot-info-table", "--grub2-boot-info"});
  ASSERT_NE(bios, std::string::npos);
  // UEFI, disk: the ESP appended as a GPT partition; UEFI, CD: the same bytes as the
  // second El Torito image, after -eltorito-alt-boot.
  EXPECT_NE(find_sequence(argv, {"-append_partition", "2", "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
                                 "/w/esp.img"}),
            std::string::npos);
  EXPECT_TRUE(contains(argv, "-appended_part_as_gpt"));
  const std::size_t alt = find_sequence(
      argv, {"-eltorito-alt-boot", "-e", "--interval:appended_partition_2:all::", "-no-emul-boot"});
  ASSERT_NE(alt, std::string::npos);
  EXPECT_LT(bios, alt);
  EXPECT_NE(find_sequence(argv, {"-c", "/berth/boot/grub/boot.cat"}), std::string::npos);
  EXPECT_TRUE(contains(argv, "-r"));
  EXPECT_TRUE(contains(argv, "-no-pad"));
}

}  // namespace
