// A kernel plugin from outside Berth's tree: the kernel comes from a prebuilt tree laid out
// like an unpacked linux-image package (boot/vmlinuz-<ver>, boot/config-<ver>,
// usr/lib/modules/<ver>/), e.g. what `make install modules_install` wrote under a staging
// directory. The SDK's Berth::kernel does the kernel-stage contract (docs/sdk.md).
#include <berth/sdk.hpp>
#include <berth/sdk/kernel/kernel_install.hpp>
#include <berth/sdk/kernel/kernel_options.hpp>
#include <berth/sdk/kernel/kernel_tree.hpp>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace kernel = berth::sdk::kernel;

fs::path tree_of(const sdk::ConfigTable& config, const fs::path& config_dir) {
  const fs::path tree = config.require_string("tree");
  return tree.is_absolute() ? tree : config_dir / tree;
}

class KernelTree final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"kernel-tree", "1.0.0", "kernel", true, "a prebuilt kernel from a directory tree"};
  }

  std::vector<sdk::ConfigKey> config_schema() const override {
    auto keys = kernel::module_config_keys();
    keys.insert(keys.begin(), {"tree",
                               sdk::ValueType::string,
                               "directory holding boot/vmlinuz-<ver> and usr/lib/modules/<ver>/ "
                               "(relative to this config file)",
                               true,
                               {}});
    return keys;
  }

  // `berth plan` already says when the tree holds no kernel, or several.
  void validate(const sdk::ConfigTable& config,
                const sdk::ValidateContext& context) const override {
    kernel::read_module_options(config);
    const fs::path tree = tree_of(config, context.config_dir());
    if (!fs::is_directory(tree)) config.fail("tree", tree.string() + " is not a directory");
    try {
      kernel::find_kernel_tree(tree, tree.string());
    } catch (const sdk::Error& error) {
      config.fail("tree", error.what());
    }
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const auto options = kernel::read_module_options(config);
    hooks.add(sdk::Stage::kernel, sdk::order::kMain, "kernel",
              [config, options](sdk::BuildContext& ctx) {
                const fs::path tree = tree_of(config, ctx.config_dir());
                kernel::install_kernel(ctx, tree, tree.string(), options);
              });
  }
};

}  // namespace

BERTH_PLUGIN(KernelTree)
