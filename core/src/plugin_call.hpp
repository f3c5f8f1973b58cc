// Every call from the core into a plugin's code goes through call_plugin: whatever the plugin
// throws becomes one line naming it, and nothing it throws outlives it. A plugin may throw
// something that is not a std::exception (an int, its own type): without this, that aborts
// berth; and an exception object lives in the plugin's code, which is unloaded before the
// CLI would print it.
#pragma once

#include <string>
#include <utility>

#include "berth/sdk/error.hpp"

namespace berth::core {

// Runs `call()`; a throw becomes sdk::Error("WHO: message") (sdk::ConfigError keeps its
// file:line text, copied into the core's own object).
template <typename Call>
decltype(auto) call_plugin(const std::string& who, Call&& call) {
  try {
    return std::forward<Call>(call)();
  } catch (const sdk::ConfigError& error) {
    throw sdk::ConfigError("", error.what());
  } catch (const std::exception& error) {
    throw sdk::Error(who + ": " + error.what());
  } catch (...) {
    throw sdk::Error(who + ": threw something that is not a std::exception");
  }
}

}  // namespace berth::core
