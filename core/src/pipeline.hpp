// The ordered list of hooks plugins registered, stage by stage.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/plugin.hpp"

namespace berth::core {

struct HookEntry {
  sdk::Stage stage;
  int order;
  std::string plugin;  // who registered it
  std::string name;    // the plugin's name for the hook
  sdk::Hook hook;
};

// The name the core's own hooks (checks between plugins' hooks) run under.
inline constexpr const char* kCoreHooks = "berth";

class Pipeline : public sdk::HookRegistry {
 public:
  // Hooks added from now on belong to `plugin`.
  void set_current_plugin(std::string plugin) { current_plugin_ = std::move(plugin); }
  void add(sdk::Stage stage, int order, const std::string& name, sdk::Hook hook) override;

  // Sorted by stage, then order key, then plugin and hook name (a stable, documented
  // tie-break so two plugins at the same order always run the same way round).
  std::vector<const HookEntry*> ordered() const;
  bool empty() const { return hooks_.empty(); }

 private:
  std::string current_plugin_;
  std::vector<HookEntry> hooks_;
};

}  // namespace berth::core
