// Command lines of the tools that build the medium: grub-mkimage, mtools and xorriso.
// Pure functions, so the flags are unit-tested and documented in one place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "grub_config.hpp"
#include "grub_modules.hpp"

namespace berth::boot_grub2 {

namespace fs = std::filesystem;

// How to start a program from the Debian suite's packages on an older host: through the
// suite's own dynamic loader, with the suite's libraries (see grub_tools.cpp for why).
struct Launcher {
  fs::path loader;           // .../ld-linux-x86-64.so.2 of the suite
  std::string library_path;  // colon-separated library directories of the suite
};

std::vector<std::string> launch(const Launcher& launcher, const fs::path& program);

struct MkimageJob {
  fs::path mkimage;       // the suite's grub-mkimage
  fs::path platform_dir;  // .../usr/lib/grub/<platform>
  Platform platform = Platform::bios;
  fs::path early_config;
  fs::path output;
  std::vector<std::string> modules;
  // GRUB's $prefix; "(,gpt2)/dir" means partition 2 of the disk GRUB was loaded from.
  std::string prefix{kGrubDir};
  // grub-mkimage's --format when not the platform's medium format (platform_info): an
  // installed disk's BIOS core is "i386-pc", diskboot.img first, not the CD's cdboot.img.
  std::string format{};
};

std::vector<std::string> mkimage_args(const Launcher& launcher, const MkimageJob& job);

// The EFI system partition image: FAT, big enough for the EFI binary and FAT's own tables.
std::uint64_t esp_sectors(std::uint64_t payload_bytes);
std::vector<std::string> mformat_args(const fs::path& image, std::uint64_t sectors,
                                      const std::string& serial_hex);
std::vector<std::string> mmd_args(const fs::path& image, const std::vector<std::string>& dirs);
std::vector<std::string> mcopy_args(const fs::path& image, const fs::path& source,
                                    const std::string& target);

// ISO 9660's 16-digit time stamp (YYYYMMDDhhmmsscc, UTC) of a Unix time.
std::string iso_timestamp(std::int64_t epoch);

struct IsoJob {
  fs::path tree;    // becomes the ISO root
  fs::path output;  // berth.iso
  std::string volume_id;
  std::string preparer;    // written instead of xorriso's own version string
  std::int64_t epoch = 0;  // every time stamp in the image
  fs::path mbr_image;      // GRUB's boot_hybrid.img
  std::string bios_image;  // El Torito BIOS image, path inside the tree
  std::string catalog;     // El Torito boot catalog, path inside the tree
  fs::path esp_image;      // appended as partition 2, also the El Torito UEFI image
};

std::vector<std::string> xorriso_args(const IsoJob& job);

}  // namespace berth::boot_grub2
