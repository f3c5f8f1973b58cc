// A HookRegistry for plugin authors' unit tests: keeps what register_hooks() added, so a
// test can check the stages and places, and run a hook against a FakeBuildContext.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "berth/sdk/error.hpp"
#include "berth/sdk/plugin.hpp"

namespace berth::sdk::testing {

class RecordingHookRegistry : public HookRegistry {
 public:
  struct Added {
    Stage stage;
    int order;
    std::string name;
    sdk::Hook hook;
  };

  void add(Stage stage, int order, const std::string& name, sdk::Hook hook) override {
    hooks.push_back({stage, order, name, std::move(hook)});
  }

  // The hook called `name`; throws Error when none was added.
  const Added& find(const std::string& name) const {
    for (const auto& added : hooks) {
      if (added.name == name) return added;
    }
    throw Error("no hook named '" + name + "' was added");
  }

  std::vector<Added> hooks;
};

}  // namespace berth::sdk::testing
