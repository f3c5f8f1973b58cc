// The plugin author's own unit test, on the SDK's test doubles: the hook runs against a
// FakeBuildContext, no berth and no Debian archive needed.
#include <berth/sdk.hpp>
#include <berth/sdk/testing/build_context.hpp>
#include <berth/sdk/testing/hook_registry.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

extern "C" berth::sdk::Plugin* berth_plugin_create();

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

}  // namespace

int main() {
  namespace sdk = berth::sdk;
  const std::unique_ptr<sdk::Plugin> plugin(berth_plugin_create());

  sdk::ConfigTable config("hello", "hello.toml:1");
  config.set("message", {std::string("from the unit test"), "hello.toml:2"});
  sdk::testing::RecordingHookRegistry hooks;
  plugin->register_hooks(config, hooks);
  const auto& hook = hooks.find("hello");
  expect(hook.stage == sdk::Stage::customize, "the hook runs in customize");

  sdk::testing::FakeBuildContext ctx("hello-marker");
  ctx.set_data_dir(HELLO_MARKER_DATA);
  hook.hook(ctx);
  std::ifstream written(ctx.output_dir() / "hello.txt");
  const std::string text{std::istreambuf_iterator<char>(written), {}};
  expect(text == "shipped with the hello-marker plugin\nfrom the unit test\n",
         "hello.txt holds the greeting and the message, not: " + text);
  expect(ctx.logged("wrote hello.txt"), "the hook says what it wrote");

  // Without its message the plugin refuses the config, naming the key's place.
  try {
    plugin->register_hooks(sdk::ConfigTable("hello", "hello.toml:1"), hooks);
    expect(false, "a config without message was accepted");
  } catch (const sdk::ConfigError& error) {
    expect(std::string(error.what()).find("hello.toml:1") != std::string::npos, error.what());
  }

  if (failures == 0) std::cout << "hello-marker unit test: ok\n";
  return failures == 0 ? 0 : 1;
}
