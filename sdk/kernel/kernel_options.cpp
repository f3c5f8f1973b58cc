#include "berth/sdk/kernel/kernel_options.hpp"

#include "berth/sdk/kernel/module_lists.hpp"
#include "berth/sdk/kernel/module_selection.hpp"

namespace berth::sdk::kernel {
namespace {

std::vector<std::string> user_list(const sdk::ConfigTable& config, const std::string& key,
                                   ModuleOptions& options) {
  auto patterns = config.get_strings(key);
  for (const auto& pattern : patterns) {
    if (auto problem = pattern_problem(pattern)) config.fail(key, *problem);
    options.user_patterns.emplace(pattern, key);
  }
  return patterns;
}

}  // namespace

std::vector<sdk::ConfigKey> module_config_keys() {
  using sdk::ValueType;
  return {
      {"modules",
       ValueType::string_array,
       "modules for the rootfs, replacing the built-in list: names, globs (nft_*) or "
       "directories of lib/modules/<version>/ ending in '/'; dependencies are added",
       false,
       {}},
      {"extra_modules",
       ValueType::string_array,
       "modules added to the rootfs list (same patterns as modules)",
       false,
       {}},
      {"early_modules",
       ValueType::string_array,
       "modules for the initramfs (finding the boot medium and the data volume), "
       "replacing the built-in list; dependencies are added",
       false,
       {}},
  };
}

ModuleOptions read_module_options(const sdk::ConfigTable& config) {
  return read_module_options(config, default_modules(), default_early_modules());
}

ModuleOptions read_module_options(const sdk::ConfigTable& config,
                                  const std::vector<std::string>& fallback_modules,
                                  const std::vector<std::string>& fallback_early_modules) {
  ModuleOptions options;
  options.modules =
      config.has("modules") ? user_list(config, "modules", options) : fallback_modules;
  auto extra = user_list(config, "extra_modules", options);
  options.modules.insert(options.modules.end(), extra.begin(), extra.end());
  options.early_modules = config.has("early_modules") ? user_list(config, "early_modules", options)
                                                      : fallback_early_modules;
  return options;
}

}  // namespace berth::sdk::kernel
