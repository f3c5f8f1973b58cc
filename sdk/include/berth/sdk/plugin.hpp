// The interface a plugin implements, and the macro that exports it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/sdk/abi.hpp"
#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"
#include "berth/sdk/stage.hpp"

namespace berth::sdk {

struct PluginInfo {
  std::string name;  // matches the file name: <name>.so
  std::string version;
  std::string concern;      // bootstrap, kernel, engine, filesystem, bootloader, init, ...
  bool exclusive = true;    // only one plugin of this concern per build
  std::string description;  // one line for `berth plugins`
};

using Hook = std::function<void(BuildContext&)>;

// Hooks run stage by stage; inside a stage by ascending order key, then plugin name.
class HookRegistry {
 public:
  virtual ~HookRegistry() = default;
  virtual void add(Stage stage, int order, const std::string& name, Hook hook) = 0;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo info() const = 0;
  // Keys this plugin accepts in its table (besides "plugin"); others are errors.
  virtual std::vector<ConfigKey> config_schema() const { return {}; }
  // Called once the config is validated; may throw ConfigError for semantic checks.
  virtual void register_hooks(const ConfigTable& config, HookRegistry& hooks) = 0;
};

}  // namespace berth::sdk

// Put this once in a plugin's source: BERTH_PLUGIN(MyPlugin)
#define BERTH_PLUGIN(PluginClass)                                                                 \
  extern "C" __attribute__((visibility("default"))) const unsigned berth_plugin_abi_version =     \
      ::berth::sdk::kAbiVersion;                                                                  \
  extern "C" __attribute__((visibility("default"))) ::berth::sdk::Plugin* berth_plugin_create() { \
    return std::make_unique<PluginClass>().release();                                             \
  }
