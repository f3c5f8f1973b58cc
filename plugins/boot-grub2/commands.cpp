#include "commands.hpp"

#include <ctime>

#include "berth/sdk/error.hpp"
#include "grub_config.hpp"

namespace berth::boot_grub2 {

namespace {

constexpr std::uint64_t kSector = 512;
// GPT partition type of an EFI system partition, and of the ISO 9660 data ("basic data",
// what Windows and Linux tools expect for a readable data partition).
constexpr const char* kEspType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
constexpr const char* kBasicDataType = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";

void append(std::vector<std::string>& argv, std::initializer_list<std::string> words) {
  argv.insert(argv.end(), words);
}

}  // namespace

std::vector<std::string> launch(const Launcher& launcher, const fs::path& program) {
  return {launcher.loader.string(), "--library-path", launcher.library_path, program.string()};
}

std::vector<std::string> mkimage_args(const Launcher& launcher, const MkimageJob& job) {
  const PlatformInfo info = platform_info(job.platform);
  std::vector<std::string> argv = launch(launcher, job.mkimage);
  append(argv, {"--directory", job.platform_dir.string()});
  append(argv, {"--format", job.format.empty() ? std::string(info.format) : job.format});
  // The medium's images: the prefix GRUB keeps when the early config's search fails.
  append(argv, {"--prefix", job.prefix});
  append(argv, {"--config", job.early_config.string()});
  append(argv, {"--output", job.output.string()});
  argv.insert(argv.end(), job.modules.begin(), job.modules.end());
  return argv;
}

std::uint64_t esp_sectors(std::uint64_t payload_bytes) {
  const std::uint64_t payload = (payload_bytes + kSector - 1) / kSector;
  // Room for the boot sector, two FATs (at most 4 bytes per cluster: payload / 64 covers
  // them) and the root and EFI/BOOT directories; rounded to 32 KiB.
  const std::uint64_t total = payload + payload / 64 + 128;
  return (total + 63) / 64 * 64;
}

std::vector<std::string> mformat_args(const fs::path& image, std::uint64_t sectors,
                                      const std::string& serial_hex) {
  std::vector<std::string> argv = {"mformat", "-i", image.string()};
  append(argv, {"-C", "-T", std::to_string(sectors)});  // create it, size in 512-byte sectors
  append(argv, {"-h", "64", "-s", "32"});  // mtools needs a geometry; this one fits any size
  append(argv, {"-N", serial_hex});        // a fixed volume serial: reproducible
  append(argv, {"-v", "BERTH-EFI", "::"});
  return argv;
}

std::vector<std::string> mmd_args(const fs::path& image, const std::vector<std::string>& dirs) {
  std::vector<std::string> argv = {"mmd", "-i", image.string()};
  for (const auto& dir : dirs) argv.push_back("::" + dir);
  return argv;
}

std::vector<std::string> mcopy_args(const fs::path& image, const fs::path& source,
                                    const std::string& target) {
  // -m keeps the source's mtime (set to SOURCE_DATE_EPOCH by the caller).
  return {"mcopy", "-m", "-i", image.string(), source.string(), "::" + target};
}

std::string iso_timestamp(std::int64_t epoch) {
  const std::time_t time = static_cast<std::time_t>(epoch);
  std::tm utc{};
  if (epoch < 0 || gmtime_r(&time, &utc) == nullptr || utc.tm_year + 1900 > 9999) {
    throw sdk::Error("SOURCE_DATE_EPOCH " + std::to_string(epoch) +
                     " is not a date ISO 9660 can hold");
  }
  char text[17];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &utc);
  return std::string(text) + "00";
}

std::vector<std::string> xorriso_args(const IsoJob& job) {
  const std::string epoch = "=" + std::to_string(job.epoch);
  std::vector<std::string> argv = {"xorriso", "-report_about", "WARNING"};
  // Reproducible: every file, the volume dates, the volume uuid (which GRUB and blkid
  // show) and the GPT disk GUID derive from SOURCE_DATE_EPOCH, not from the clock.
  append(argv, {"-volume_date", "all_file_dates", epoch});
  append(argv, {"-volume_date", "uuid", iso_timestamp(job.epoch)});
  append(argv, {"-iso_nowtime", epoch});
  append(argv, {"-boot_image", "any", "gpt_disk_guid=volume_date_uuid"});

  append(argv, {"-as", "mkisofs", "-o", job.output.string()});
  // Rock Ridge (long names for GRUB and Linux) with owner 0 and readable modes, so the
  // image does not depend on who built it.
  append(argv, {"-r"});
  append(argv, {"-iso-level", "3"});  // files over 4 GiB (image archives): multi-extent
  append(argv, {"-V", job.volume_id});
  append(argv, {"-preparer", job.preparer});  // instead of xorriso's version string
  // No 300 KiB tail: it guarded against read-ahead bugs on burnt CDs; here the ESP follows
  // the ISO data anyway.
  append(argv, {"-no-pad"});

  // BIOS from a disk: GRUB's MBR code, which loads the core after the El Torito image's
  // cdboot.img; --mbr-force-bootable for BIOSes that boot only an active partition.
  append(argv, {"--grub2-mbr", job.mbr_image.string(), "--mbr-force-bootable"});
  // The ISO data as GPT partition 1 from 32 KiB on (a mountable partition), the ESP as
  // partition 2 after it: UEFI from a disk.
  append(argv, {"-partition_offset", "16", "-iso_mbr_part_type", kBasicDataType});
  append(argv, {"-append_partition", "2", kEspType, job.esp_image.string()});
  append(argv, {"-appended_part_as_gpt"});

  append(argv, {"-c", job.catalog});
  // BIOS from a CD: the El Torito image, no floppy emulation, 4 sectors loaded by the BIOS
  // (cdboot.img loads the rest); --grub2-boot-info patches in where the core is.
  append(argv, {"-b", job.bios_image, "-no-emul-boot", "-boot-load-size", "4"});
  append(argv, {"-boot-info-table", "--grub2-boot-info"});
  // UEFI from a CD: the ESP's bytes as a second El Torito image, stored once.
  append(argv, {"-eltorito-alt-boot", "-e", "--interval:appended_partition_2:all::"});
  append(argv, {"-no-emul-boot"});

  argv.push_back(job.tree.string());
  return argv;
}

}  // namespace berth::boot_grub2
