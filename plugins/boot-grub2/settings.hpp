// The [boot] table of boot-grub2: its schema and the checked values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::boot_grub2 {

struct Settings {
  std::int64_t timeout = 1;          // seconds the menu waits; 0 boots at once, -1 waits forever
  std::vector<std::string> cmdline;  // extra kernel parameters, split the way the kernel does
  bool serial = true;                // GRUB and the kernel talk to the screen and to ttyS0
  std::string volume_id = "BERTH";   // ISO 9660 volume id (the medium's label)
  std::vector<std::string> modules;  // extra GRUB modules, built into the images that have them
};

std::vector<sdk::ConfigKey> config_schema();

// Reads and checks the table; throws ConfigError naming the key.
Settings read_settings(const sdk::ConfigTable& table);

}  // namespace berth::boot_grub2
