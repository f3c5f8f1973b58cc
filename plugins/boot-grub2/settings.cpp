#include "settings.hpp"

#include <algorithm>

#include "berth/sdk/error.hpp"
#include "kernel_cmdline.hpp"

namespace berth::boot_grub2 {

namespace {

// ISO 9660 allows 32 characters in the volume id. Letters, digits and a few separators
// survive every tool that shows or matches the label (blkid, udev's by-label links).
bool valid_volume_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ' ';
  });
}

// GRUB module names are lower-case words (part_gpt, efi_gop, luks2); anything else would
// be read by grub-mkimage as an option or a path.
bool valid_module_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::vector<sdk::ConfigKey> config_schema() {
  using sdk::ValueType;
  return {
      {"timeout", ValueType::integer,
       "seconds the boot menu waits before the default entry (default 1; 0 boots at once, "
       "-1 waits forever)"},
      {"cmdline", ValueType::string, "extra kernel parameters for every menu entry"},
      {"serial", ValueType::boolean,
       "menu and kernel console on the screen and on the first serial port, 115200 baud "
       "(default true)"},
      {"volume_id", ValueType::string, "ISO 9660 volume id of berth.iso (default \"BERTH\")"},
      {"modules", ValueType::string_array,
       "extra GRUB modules to build into the BIOS and UEFI images (each where it exists)"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;
  settings.timeout = table.get_int("timeout", settings.timeout);
  if (settings.timeout < -1) table.fail("timeout", "must be -1 (wait forever) or more");

  try {
    settings.cmdline = split_kernel_cmdline(table.get_string("cmdline", ""));
    // Now rather than in the bootloader stage: throws for what GRUB cannot pass on.
    for (const auto& param : settings.cmdline) grub_linux_arg(param);
  } catch (const sdk::Error& error) {
    table.fail("cmdline", error.what());
  }

  settings.serial = table.get_bool("serial", settings.serial);

  settings.volume_id = table.get_string("volume_id", settings.volume_id);
  if (!valid_volume_id(settings.volume_id)) {
    table.fail("volume_id", "'" + settings.volume_id +
                                "' must be 1 to 32 letters, digits, spaces or '_', '-', '.'");
  }

  for (const auto& name : table.get_strings("modules")) {
    if (!valid_module_name(name)) {
      table.fail("modules", "'" + name + "' is not a GRUB module name (lower-case, digits, '_')");
    }
    if (std::find(settings.modules.begin(), settings.modules.end(), name) ==
        settings.modules.end()) {
      settings.modules.push_back(name);
    }
  }
  return settings;
}

}  // namespace berth::boot_grub2
