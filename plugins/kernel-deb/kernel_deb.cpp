// kernel-deb: the kernel from a linux-image .deb file the user supplies (a Kali kernel,
// their own `make bindeb-pkg` build). Nothing is fetched; the package is checked,
// unpacked and handed to the shared installer.
#include <filesystem>
#include <sstream>

#include "berth/sdk/error.hpp"
#include "berth/sdk/kernel/kernel_install.hpp"
#include "berth/sdk/kernel/kernel_options.hpp"
#include "berth/sdk/plugin.hpp"
#include "deb_file.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace kernel = berth::sdk::kernel;

// Package and Version from the .deb's control file, for the manifest.
sdk::FetchedPackage identify(sdk::BuildContext& ctx, const fs::path& deb) {
  sdk::RunOptions options;
  options.capture = true;
  options.check = false;
  auto result = ctx.run({"dpkg-deb", "--field", deb.string(), "Package", "Version"}, options);
  sdk::FetchedPackage package{"", "", deb};
  std::istringstream fields(result.output);
  for (std::string line; std::getline(fields, line);) {
    if (line.starts_with("Package: ")) package.name = line.substr(9);
    if (line.starts_with("Version: ")) package.version = line.substr(9);
  }
  if (result.exit_code != 0 || package.name.empty() || package.version.empty()) {
    throw sdk::Error(deb.string() + ": unreadable control file (no Package/Version)");
  }
  return package;
}

void build_kernel(sdk::BuildContext& ctx) {
  const auto& config = ctx.config();
  const auto options = kernel::read_module_options(config);
  const fs::path deb =
      berth::kernel_deb::resolve_deb_path(config.require_string("deb"), ctx.config_dir());
  if (auto problem = berth::kernel_deb::deb_file_problem(deb)) config.fail("deb", *problem);

  const auto package = identify(ctx, deb);
  ctx.info("kernel package " + package.name + " " + package.version + " from " + deb.string());
  ctx.record_packages({package});

  const fs::path unpacked = ctx.work_dir() / "unpacked";
  fs::remove_all(unpacked);
  fs::create_directories(unpacked);
  ctx.extract_deb(deb, unpacked);
  kernel::install_kernel(ctx, unpacked, deb.string(), options);
  fs::remove_all(unpacked);
}

class KernelDeb final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"kernel-deb", "0.1.0", "kernel", true,
            "a kernel from a linux-image .deb file (Kali, your own build)"};
  }

  std::vector<sdk::ConfigKey> config_schema() const override {
    auto keys = kernel::module_config_keys();
    keys.insert(keys.begin(), {"deb",
                               sdk::ValueType::string,
                               "path to a linux-image .deb file (relative to this config file)",
                               true,
                               {}});
    return keys;
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    kernel::read_module_options(config);  // malformed patterns fail before any stage runs
    const std::string deb = config.require_string("deb");
    if (deb.empty()) config.fail("deb", "must name a .deb file");
    // An absolute path can be checked before any stage runs; a relative one needs the
    // config's directory, which only the build context knows.
    if (fs::path(deb).is_absolute()) {
      if (auto problem = berth::kernel_deb::deb_file_problem(deb)) config.fail("deb", *problem);
    }
    hooks.add(sdk::Stage::kernel, sdk::order::kMain, "kernel", build_kernel);
  }
};

}  // namespace

BERTH_PLUGIN(KernelDeb)
