// Reads the build's TOML file into SDK config tables, every value tagged with file:line.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::core {

namespace fs = std::filesystem;

// A section of the file that names a plugin: [kernel] plugin = "kernel-debian".
struct PluginSection {
  std::string name;                               // "kernel"
  std::string plugin;                             // "kernel-debian"
  std::string where;                              // file:line of the plugin key
  std::shared_ptr<const sdk::ConfigTable> table;  // without the "plugin" key
};

struct LoadedConfig {
  fs::path file;                                   // absolute
  fs::path dir;                                    // relative paths in the config start here
  std::shared_ptr<const sdk::ConfigTable> berth;   // [berth]
  std::shared_ptr<const sdk::ConfigTable> debian;  // [debian]
  std::vector<PluginSection> sections;             // in file order
};

// Sections with a fixed meaning to the core; every other table names a plugin.
inline constexpr const char* kBerthSection = "berth";
inline constexpr const char* kDebianSection = "debian";

// Parses `file` (following [berth] extends = "other.toml" first, so a test config can
// override a few keys of the default one). Throws sdk::ConfigError with file:line.
LoadedConfig load_config(const fs::path& file);

}  // namespace berth::core
