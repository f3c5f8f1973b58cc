// bootstrap-mmdebstrap: the rootfs made by mmdebstrap --variant=extract, the same
// request and result as bootstrap-multistrap on hosts without multistrap (Debian 13).
// What happens before and after the tool is shared (plugins/bootstrap-common).
#include <filesystem>

#include "berth/sdk/plugin.hpp"
#include "bootstrap.hpp"
#include "fs_util.hpp"
#include "mmdebstrap_args.hpp"
#include "package_list.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace bs = berth::bootstrap;

class MmdebstrapTool final : public bs::Tool {
 public:
  std::string name() const override { return "mmdebstrap"; }
  void require_available() const override { bs::require_mmdebstrap(bs::kMmdebstrapProgram); }

  std::vector<fs::path> extract(sdk::BuildContext& ctx, const bs::ToolRun& run) override {
    // The pins, where mmdebstrap's apt (Dir = the rootfs) reads preferences.
    const fs::path preferences = run.rootfs / "etc" / "apt" / "preferences.d" / "berth";
    fs::create_directories(preferences.parent_path());
    fs::copy_file(run.preferences, preferences, fs::copy_options::overwrite_existing);

    sdk::RunOptions options;
    options.env["LC_ALL"] = "C";
    ctx.run(bs::mmdebstrap_argv({run.rootfs, run.debian.architecture, run.debian.suite,
                                 run.debian.keyring, run.debian.sources, run.packages}),
            options);

    const fs::path list = run.rootfs / bs::kExtractedList;
    if (!fs::is_regular_file(list)) {
      throw sdk::Error("mmdebstrap ran no extract hook (" + list.string() + " missing)");
    }
    const fs::path archives = bs::apt_archives(run.rootfs);
    std::vector<fs::path> debs;
    for (const auto& name : bs::extracted_debs(bs::read_file(list))) {
      const fs::path deb = archives / name;
      if (!fs::is_regular_file(deb)) {
        throw sdk::Error("mmdebstrap extracted " + name + " but " + deb.string() + " is gone");
      }
      debs.push_back(deb);
    }
    return debs;
  }
};

class BootstrapMmdebstrap final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"bootstrap-mmdebstrap", "0.1.0", "bootstrap", true,
            "Debian rootfs unpacked by mmdebstrap --variant=extract, no maintainer scripts"};
  }
  std::vector<sdk::ConfigKey> config_schema() const override { return bs::bootstrap_config_keys(); }
  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    bs::read_package_list(config);  // a bad package name fails before any stage runs
    hooks.add(sdk::Stage::bootstrap, sdk::order::kMain, "bootstrap", [](sdk::BuildContext& ctx) {
      MmdebstrapTool tool;
      bs::run_bootstrap(ctx, tool);
    });
  }
};

}  // namespace

BERTH_PLUGIN(BootstrapMmdebstrap)
