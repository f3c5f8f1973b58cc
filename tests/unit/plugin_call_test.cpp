// Calls into plugins never abort berth: whatever a plugin throws becomes one line naming it.
#include "plugin_call.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

#include "berth/sdk/error.hpp"

namespace berth::core {
namespace {

std::string message_of(const std::function<void()>& call) {
  try {
    call_plugin("customize: kernel-x/modules", call);
  } catch (const sdk::ConfigError& error) {
    return std::string("config: ") + error.what();
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return "";
}

TEST(PluginCall, AnythingThrownBecomesOneLineNamingThePlugin) {
  EXPECT_EQ(message_of([] { throw std::runtime_error("disk full"); }),
            "customize: kernel-x/modules: disk full");
  EXPECT_EQ(message_of([] { throw 42; }),
            "customize: kernel-x/modules: threw something that is not a std::exception");
  EXPECT_EQ(message_of([] { throw sdk::ConfigError("berth.toml:3", "[kernel] bad value"); }),
            "config: berth.toml:3: [kernel] bad value");
  EXPECT_EQ(message_of([] {}), "");
  EXPECT_EQ(call_plugin("x", [] { return 7; }), 7);
}

}  // namespace
}  // namespace berth::core
