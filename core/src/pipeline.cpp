#include "pipeline.hpp"

#include <algorithm>
#include <tuple>

#include "berth/sdk/error.hpp"

namespace berth::core {

void Pipeline::add(sdk::Stage stage, int order, const std::string& name, sdk::Hook hook) {
  if (!hook) throw sdk::Error("plugin " + current_plugin_ + ": hook '" + name + "' is empty");
  if (name.empty()) throw sdk::Error("plugin " + current_plugin_ + ": a hook has no name");
  for (const auto& existing : hooks_) {
    if (existing.plugin == current_plugin_ && existing.name == name && existing.stage == stage) {
      throw sdk::Error("plugin " + current_plugin_ + ": hook '" + name + "' registered twice");
    }
  }
  hooks_.push_back({stage, order, current_plugin_, name, std::move(hook)});
}

std::vector<const HookEntry*> Pipeline::ordered() const {
  std::vector<const HookEntry*> out;
  for (const auto& hook : hooks_) out.push_back(&hook);
  std::stable_sort(out.begin(), out.end(), [](const HookEntry* a, const HookEntry* b) {
    return std::tie(a->stage, a->order, a->plugin, a->name) <
           std::tie(b->stage, b->order, b->plugin, b->name);
  });
  return out;
}

}  // namespace berth::core
