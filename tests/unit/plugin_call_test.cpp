// Calls into plugins never abort berth: whatever a plugin throws becomes one line naming it.
#include "plugin_call.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

#include "berth/sdk/error.hpp"
#include "session.hpp"
#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;
using test::test_plugin_dir;

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

std::string session_error(const std::string& sections) {
  TempDir dir;
  const std::string text = "[berth]\nplugin_path = [\"" + test_plugin_dir().string() + "\"]\n" +
                           test::kDebianSection + sections;
  try {
    Session::open(dir.write("s.toml", text));
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return "";
}

TEST(PluginCall, ASchemaThatThrowsIsNamed) {
  EXPECT_EQ(session_error("[t]\nplugin = \"test-bad-schema\"\n"),
            "plugin test-bad-schema: its config schema: schema exploded");
}

TEST(PluginCall, AnIntThrownFromRegisterHooksIsAMessageNotAnAbort) {
  EXPECT_EQ(session_error("[t]\nplugin = \"test-good\"\nthrow_int = true\n"),
            "plugin test-good: threw something that is not a std::exception");
}

}  // namespace
}  // namespace berth::core
