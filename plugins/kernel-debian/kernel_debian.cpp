// kernel-debian: the kernel from the configured Debian archive. A metapackage
// (linux-image-amd64) is resolved by apt, with the [debian] sources and pins, to the
// versioned linux-image package, which is unpacked and handed to the shared installer.
#include <filesystem>

#include "berth/sdk/kernel/kernel_install.hpp"
#include "berth/sdk/kernel/kernel_options.hpp"
#include "berth/sdk/plugin.hpp"
#include "kernel_package.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace kernel = berth::sdk::kernel;

constexpr const char* kDefaultPackage = "linux-image-amd64";

void build_kernel(sdk::BuildContext& ctx) {
  const auto& config = ctx.config();
  const std::string requested = config.get_string("package", kDefaultPackage);
  const auto options = kernel::read_module_options(config);

  // With dependencies: that is how the metapackage brings its versioned image.
  const auto fetched = ctx.fetch_packages({requested}, true);
  const auto image = berth::kernel_debian::pick_kernel_package(fetched, requested);
  ctx.info("kernel package " + image.name + " " + image.version + " (for " + requested + ")");
  ctx.record_packages({image});

  const fs::path unpacked = ctx.work_dir() / "unpacked";
  fs::remove_all(unpacked);
  fs::create_directories(unpacked);
  ctx.extract_deb(image.deb, unpacked);
  kernel::install_kernel(ctx, unpacked, image.name + " " + image.version, options);
  fs::remove_all(unpacked);  // ~100 MB of modules the image does not ship
}

class KernelDebian final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"kernel-debian", "0.1.0", "kernel", true,
            "Debian's kernel package, modules pruned to what a Docker host needs"};
  }

  std::vector<sdk::ConfigKey> config_schema() const override {
    auto keys = kernel::module_config_keys();
    keys.insert(keys.begin(), {"package",
                               sdk::ValueType::string,
                               std::string("kernel package or metapackage to install (default ") +
                                   kDefaultPackage + ")",
                               false,
                               {}});
    return keys;
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    kernel::read_module_options(config);  // malformed patterns fail before any stage runs
    if (config.has("package") && config.get_string("package", "").empty()) {
      config.fail("package", "must name a package");
    }
    hooks.add(sdk::Stage::kernel, sdk::order::kMain, "kernel", build_kernel);
  }
};

}  // namespace

BERTH_PLUGIN(KernelDebian)
