// [kernel] with plugin = "kernel-source": where the source comes from, the config's base,
// the fragments, patches and single options on top, and the module lists.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/config.hpp"
#include "berth/sdk/kernel/kernel_options.hpp"
#include "kconfig.hpp"

namespace berth::kernel_source {

struct Settings {
  std::string package;  // the Debian package holding the source (default linux-source)
  std::string source;   // a tarball or directory instead (relative to the config file)
  std::string sha256;   // the tarball's, when given
  std::string base;     // defconfig, tinyconfig, source, or a config file
  bool size = true;     // the plugin's size fragment (xz, -Os, no debugging aids)
  std::vector<std::string> fragments;  // the user's, after the plugin's (paths)
  std::vector<std::string> patches;    // applied with patch -p1, in order (paths)
  std::vector<Request> options;        // [kernel.options], applied last
  int jobs = 0;                        // make -j; 0: one per processor
  sdk::kernel::ModuleOptions modules;
};

std::vector<sdk::ConfigKey> config_keys();

// Throws sdk::ConfigError pointing at the key for anything malformed.
Settings read_settings(const sdk::ConfigTable& config);

// A TOML value of [kernel.options] as Kconfig writes it: true/false -> y/n, integers as
// they are, "y"/"m"/"n" as they are, any other string quoted. Empty when the type is
// none of these.
std::string kconfig_value(const sdk::ConfigValue& value);

// The modules a built kernel ships by default: every module it built (the config already
// chose them), and none in the initramfs (what the early boot needs is built in).
std::vector<std::string> default_modules();

}  // namespace berth::kernel_source
