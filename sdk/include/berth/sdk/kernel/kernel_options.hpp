// The config keys every kernel plugin shares: which modules go into the rootfs and which
// into the initramfs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::sdk::kernel {

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

// The same with other defaults than the built-in lists (a kernel built for Berth has the
// early-boot drivers built in and only the modules its config chose).
ModuleOptions read_module_options(const sdk::ConfigTable& config,
                                  const std::vector<std::string>& fallback_modules,
                                  const std::vector<std::string>& fallback_early_modules);

}  // namespace berth::sdk::kernel
