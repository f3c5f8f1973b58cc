// kernel-source: Berth's own kernel, compiled from source. By default the suite's
// linux-source-X.Y package with the Docker, hardware and size fragments on defconfig;
// or any source tarball or tree (Kali's included) with the user's base, fragments,
// patches and options. Compiled kernels are cached by what decides their bytes, then
// installed like a Debian kernel package by the shared installer.
#include <filesystem>

#include "berth/sdk/error.hpp"
#include "berth/sdk/kernel/kernel_install.hpp"
#include "berth/sdk/plugin.hpp"
#include "cache_key.hpp"
#include "kernel_build.hpp"
#include "object_flags.hpp"
#include "settings.hpp"
#include "source_tree.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace ks = berth::kernel_source;

void build_kernel(sdk::BuildContext& ctx) {
  if (ctx.debian().architecture != "amd64") {
    throw sdk::Error("kernel-source builds amd64 kernels only (the [debian] architecture is " +
                     ctx.debian().architecture + ")");
  }
  const auto settings = ks::read_settings(ctx.config());
  const auto requests = ks::collect_requests(ctx, settings);
  const auto tree = ks::prepare_source(ctx, settings);
  if (tree.package) ctx.record_packages({*tree.package});

  const std::string config = ks::configure(ctx, tree, settings, requests);
  const auto make_variables = ks::object_flags(config);
  const std::string key =
      ks::cache_key({tree.id, tree.patch_hashes, config, ks::toolchain(ctx), make_variables});
  const fs::path entry = ks::compiled_kernel(ctx, tree, settings, key, make_variables);
  berth::sdk::kernel::install_kernel(ctx, entry, tree.label + " (kernel-source " + key + ")",
                                     settings.modules);
}

class KernelSource final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"kernel-source", "0.1.0", "kernel", true,
            "a kernel compiled from source (Debian's linux-source or your tree) with what "
            "Docker needs built in"};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return ks::config_keys(); }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    ks::read_settings(config);  // malformed settings fail before any stage runs
    hooks.add(sdk::Stage::kernel, sdk::order::kMain, "kernel", build_kernel);
  }
};

}  // namespace

BERTH_PLUGIN(KernelSource)
