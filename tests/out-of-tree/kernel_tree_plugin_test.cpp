// The kernel-tree author's unit test: validate() on made-up trees, the hook's stage, and
// the SDK's module selection (Berth::kernel) over a modules.dep the test writes. No berth,
// no kernel package: out_of_tree_kernel_plugin (kernel-run.sh) does the real build.
#include <berth/sdk.hpp>
#include <berth/sdk/kernel/module_index.hpp>
#include <berth/sdk/kernel/module_selection.hpp>
#include <berth/sdk/testing/hook_registry.hpp>
#include <berth/sdk/testing/temp_dir.hpp>
#include <berth/sdk/testing/validate_context.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

extern "C" berth::sdk::Plugin* berth_plugin_create();

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace kernel = berth::sdk::kernel;

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

sdk::ConfigTable config_naming(const std::string& tree) {
  sdk::ConfigTable config("kernel", "kernel.toml:1");
  config.set("tree", {tree, "kernel.toml:2"});
  return config;
}

// The error validate() gives for `tree`, or "" when it accepts it.
std::string validate_error(const sdk::Plugin& plugin, const std::string& tree,
                           const fs::path& config_dir) {
  try {
    plugin.validate(config_naming(tree), sdk::testing::FakeValidateContext(config_dir));
    return "";
  } catch (const sdk::ConfigError& error) {
    return error.what();
  }
}

}  // namespace

int main() {
  const std::unique_ptr<sdk::Plugin> plugin(berth_plugin_create());
  const sdk::testing::TempDir scratch;
  const fs::path tree = scratch.path() / "staging";
  const fs::path modules = tree / "usr/lib/modules/6.1.0-test";
  fs::create_directories(modules / "kernel/net");
  fs::create_directories(tree / "boot");
  std::ofstream(tree / "boot/vmlinuz-6.1.0-test") << "not really a kernel";

  // A tree with one kernel passes, named relative to the config's directory.
  const std::string accepted = validate_error(*plugin, "staging", scratch.path());
  expect(accepted.empty(), "a tree with one kernel is refused: " + accepted);
  // A directory without a kernel, or none at all: refused at the key's place.
  fs::create_directories(scratch.path() / "empty");
  const std::string empty = validate_error(*plugin, "empty", scratch.path());
  expect(empty.find("kernel.toml:2") != std::string::npos, "no kernel: " + empty);
  const std::string missing = validate_error(*plugin, "missing", scratch.path());
  expect(missing.find("is not a directory") != std::string::npos, "missing tree: " + missing);

  sdk::testing::RecordingHookRegistry hooks;
  plugin->register_hooks(config_naming(tree.string()), hooks);
  expect(hooks.find("kernel").stage == sdk::Stage::kernel, "the hook runs in the kernel stage");

  // What the plugin hands to install_kernel: vxlan pulls in what modules.dep says it needs.
  std::ofstream(modules / "modules.dep")
      << "kernel/net/vxlan.ko: kernel/net/udp_tunnel.ko kernel/net/ip6_udp_tunnel.ko\n"
         "kernel/net/udp_tunnel.ko:\nkernel/net/ip6_udp_tunnel.ko:\nkernel/net/veth.ko:\n";
  const auto selection = kernel::select_modules(kernel::load_module_index(modules), {"vxlan"});
  expect(selection.modules == std::set<std::string>{"vxlan", "udp_tunnel", "ip6_udp_tunnel"},
         "vxlan's closure is vxlan, udp_tunnel and ip6_udp_tunnel");

  if (failures == 0) std::cout << "kernel-tree unit test: ok\n";
  return failures == 0 ? 0 : 1;
}
