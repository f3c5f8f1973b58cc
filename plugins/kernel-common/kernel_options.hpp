// The config keys every kernel plugin shares: which modules go into the rootfs and which
// into the initramfs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::kernel {

struct ModuleOptions {
  std::vector<std::string> modules;        // rootfs: `modules` (or the default) + `extra_modules`
  std::vector<std::string> early_modules;  // initramfs: `early_modules` (or the default)
  // Patterns the config gave, with the key they came from: those must match something
  // (a typo should fail the build), while the defaults may name modules a kernel lacks.
  std::map<std::string, std::string> user_patterns;
};

std::vector<sdk::ConfigKey> module_config_keys();

// Throws sdk::ConfigError (pointing at the key) for a malformed pattern.
ModuleOptions read_module_options(const sdk::ConfigTable& config);

}  // namespace berth::kernel
