// Which GRUB modules go into each image. Only what the two configs use: no fonts,
// locales, themes or graphical terminal, so the menu is text on the console and serial.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace berth::boot_grub2 {

enum class Platform { bios, efi };

struct PlatformInfo {
  std::string_view directory;  // under /usr/lib/grub/
  std::string_view format;     // grub-mkimage -O
  std::string_view package;    // the Debian package holding the directory
};

PlatformInfo platform_info(Platform platform);

// The modules the configs of grub_config.hpp need on `platform`; grub-mkimage adds their
// dependencies (moddep.lst).
std::vector<std::string> base_modules(Platform platform, bool serial);

// Module names listed in a moddep.lst ("name: dependencies" per line).
std::set<std::string> parse_moddep(std::string_view moddep_lst);

struct ModuleChoice {
  std::vector<std::string> bios;
  std::vector<std::string> efi;
  std::vector<std::string> unknown;  // extra modules neither platform has
};

// The base modules plus each extra one on the platforms that have it (efi_gop exists only
// for UEFI, biosdisk only for BIOS).
ModuleChoice choose_modules(bool serial, const std::vector<std::string>& extra,
                            const std::set<std::string>& bios_available,
                            const std::set<std::string>& efi_available);

}  // namespace berth::boot_grub2
