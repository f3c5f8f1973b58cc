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
  // Concerns this plugin builds on (e.g. "kernel", "import"): `berth plan` refuses a config
  // that has no plugin serving one of them, and shows who serves each.
  std::vector<std::string> needs = {};
};

// What validate() may look at: the plugin's own directories and the archive. Nothing here
// does work; validation must be cheap, because `berth plan` runs it.
class ValidateContext {
 public:
  virtual ~ValidateContext() = default;
  virtual fs::path config_dir() const = 0;  // relative paths in the config start here
  virtual fs::path data_dir() const = 0;    // this plugin's shipped files
  virtual const DebianSources& debian() const = 0;
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
  // Called by `berth plan` and `berth build` once the config matches the schema, before any
  // hook is registered: check what the config names (files, recipes, combinations) and throw
  // ConfigError (config.fail()) naming the key. Reads only; never writes.
  virtual void validate(const ConfigTable& /*config*/, const ValidateContext& /*context*/) const {}
  // Called once the config is validated; may throw ConfigError for semantic checks.
  virtual void register_hooks(const ConfigTable& config, HookRegistry& hooks) = 0;
};

}  // namespace berth::sdk

// Put this once in a plugin's source: BERTH_PLUGIN(MyPlugin)
#define BERTH_PLUGIN(PluginClass)                                                                 \
  extern "C" __attribute__((visibility("default"))) const unsigned berth_plugin_abi_version =     \
      ::berth::sdk::kAbiVersion;                                                                  \
  extern "C" __attribute__((visibility("default"))) const char berth_plugin_toolchain[] =         \
      BERTH_SDK_TOOLCHAIN;                                                                        \
  extern "C" __attribute__((visibility("default"))) ::berth::sdk::Plugin* berth_plugin_create() { \
    return std::make_unique<PluginClass>().release();                                             \
  }
