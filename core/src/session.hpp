// A build description made ready to run: config read, plugins loaded and checked,
// hooks registered. `berth plan` prints it; `berth build` runs it.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "config_loader.hpp"
#include "pipeline.hpp"
#include "plugin_loader.hpp"

namespace berth::core {

struct ActivePlugin {
  std::unique_ptr<LoadedPlugin> loaded;
  PluginSection section;
};

class Session {
 public:
  // Throws sdk::ConfigError / sdk::Error naming the file, line, section, plugin or key.
  static std::unique_ptr<Session> open(const fs::path& config_file);

  const LoadedConfig& config() const { return config_; }
  const sdk::DebianSources& debian() const { return debian_; }
  const std::vector<ActivePlugin>& plugins() const { return plugins_; }
  const Pipeline& pipeline() const { return pipeline_; }
  const std::vector<fs::path>& search_path() const { return search_path_; }
  // The plugin serving `concern`, or nullptr (the first, for a concern shared by several).
  const ActivePlugin* serving(const std::string& concern) const;

 private:
  Session() = default;

  LoadedConfig config_;
  sdk::DebianSources debian_;
  std::vector<fs::path> search_path_;
  // Declared before the pipeline: hooks (std::function objects made by plugin code)
  // must be destroyed while the plugin libraries are still loaded.
  std::vector<ActivePlugin> plugins_;
  Pipeline pipeline_;
};

}  // namespace berth::core
