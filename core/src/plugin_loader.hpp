// Finds plugin files and loads them, refusing anything that is not a plugin for this SDK.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "berth/sdk/plugin.hpp"
#include "plugin_toolchain.hpp"

namespace berth::core {

namespace fs = std::filesystem;

// A loaded plugin. The library must outlive the object it created, hence the member
// order: members are destroyed in reverse, so `plugin` goes before `library`.
struct LoadedPlugin {
  boost::dll::shared_library library;
  std::unique_ptr<sdk::Plugin> plugin;
  sdk::PluginInfo info;
  fs::path file;
  fs::path data_dir;  // <dir>/<name>/ beside the .so (exists when the plugin has data)
  PluginToolchain toolchain;
};

// Where plugins are looked for, in order: the config's plugin_path (already made
// absolute), $BERTH_PLUGIN_PATH (colon separated), <exe>/../lib/berth/plugins, and the
// install directory.
std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& from_config);

// Loads one file. Throws sdk::Error naming the file: not a shared object, not a Berth
// plugin (no ABI symbol), built for another ABI or C++ library, no factory, factory failed,
// data directory missing. Nothing of the plugin's C++ code runs before the checks pass.
std::unique_ptr<LoadedPlugin> load_plugin_file(const fs::path& file);

// load_plugin_file(), and the plugin must call itself `name` (its file is <name>.so).
std::unique_ptr<LoadedPlugin> load_named_plugin_file(const std::string& name, const fs::path& file);

// Finds <name>.so on the search path and loads it; the plugin must call itself `name`.
std::unique_ptr<LoadedPlugin> load_plugin(const std::string& name,
                                          const std::vector<fs::path>& search_path);

// Every <name>.so on the search path, for `berth plugins`: one entry per name, sorted by
// name; `file` is what load_plugin() would load, `shadowed` the files of the same name
// later on the path, which a build never sees.
struct PluginFiles {
  std::string name;
  fs::path file;
  std::vector<fs::path> shadowed;
};
std::vector<PluginFiles> discover_plugin_files(const std::vector<fs::path>& search_path);

}  // namespace berth::core
