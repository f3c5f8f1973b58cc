#include "grub_modules.hpp"

#include <algorithm>

namespace berth::boot_grub2 {

namespace {

void add_unique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

}  // namespace

PlatformInfo platform_info(Platform platform) {
  switch (platform) {
    // The El Torito format puts cdboot.img before the core: the BIOS loads it from the
    // CD, and boot_hybrid.img in the MBR loads the core after it from a disk.
    case Platform::bios:
      return {"i386-pc", "i386-pc-eltorito", "grub-pc-bin"};
    case Platform::efi:
      return {"x86_64-efi", "x86_64-efi", "grub-efi-amd64-bin"};
  }
  return {};
}

std::vector<std::string> base_modules(Platform platform, bool serial) {
  std::vector<std::string> modules;
  // BIOS disk and CD access; UEFI disk access (efidisk) is part of the EFI kernel.
  if (platform == Platform::bios) modules.emplace_back("biosdisk");
  // No partition table modules: the ISO 9660 filesystem starts at sector 0 of the whole
  // disk as well as of a CD, and GRUB finds it there.
  modules.emplace_back("iso9660");
  modules.emplace_back("search");  // search --file
  modules.emplace_back("normal");  // the menu, the script parser, `export` (early config)
  modules.emplace_back("linux");   // linux, initrd
  if (serial) {
    modules.emplace_back("serial");    // serial --unit --speed
    modules.emplace_back("terminal");  // terminal_input, terminal_output
  }
  if (platform == Platform::efi) {
    // The framebuffer the kernel inherits for tty0: GOP, or UGA on old firmware.
    modules.emplace_back("efi_gop");
    modules.emplace_back("efi_uga");
  }
  return modules;
}

std::set<std::string> parse_moddep(std::string_view moddep_lst) {
  std::set<std::string> names;
  std::size_t start = 0;
  while (start < moddep_lst.size()) {
    std::size_t end = moddep_lst.find('\n', start);
    if (end == std::string_view::npos) end = moddep_lst.size();
    const std::string_view line = moddep_lst.substr(start, end - start);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && colon != 0) names.emplace(line.substr(0, colon));
    start = end + 1;
  }
  return names;
}

ModuleChoice choose_modules(bool serial, const std::vector<std::string>& extra,
                            const std::set<std::string>& bios_available,
                            const std::set<std::string>& efi_available) {
  ModuleChoice choice{
      base_modules(Platform::bios, serial), base_modules(Platform::efi, serial), {}};
  for (const auto& name : extra) {
    const bool bios = bios_available.count(name) != 0;
    const bool efi = efi_available.count(name) != 0;
    if (bios) add_unique(choice.bios, name);
    if (efi) add_unique(choice.efi, name);
    if (!bios && !efi) choice.unknown.push_back(name);
  }
  return choice;
}

}  // namespace berth::boot_grub2
