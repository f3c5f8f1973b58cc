// remote-access: using Berth from another machine (issue 16). The Docker API over TLS with
// client certificates (`berth tls`, berth.docker=tls, [engine] tls): rc.d/66-docker-tls
// makes the CA and certificates at boot and hands dockerd its listener through a
// daemon.json drop-in that engine-docker's supervisor merges. SSH with keys only:
// rc.d/72-ssh starts dropbear (-s) when a key to let in exists. By default dropbear is rebuilt
// with its bundled libtomcrypt and libtommath ([remote] build, dropbear_build.hpp), so the
// image needs none of Debian's libtomcrypt, libtommath, libgmp, zlib and libcrypt for it.
#include "berth/sdk/plugin.hpp"

#include "dropbear_build.hpp"
#include "dropbear_install.hpp"
#include "install_files.hpp"
#include "settings.hpp"

namespace {

namespace sdk = berth::sdk;
namespace remote = berth::remote_access;

class RemoteAccess final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"remote-access",
            "0.1.0",
            "remote",
            true,
            "using Berth from another machine: the Docker API over TLS, SSH with keys only",
            {"engine", "init"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return remote::config_schema(); }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const remote::Settings settings = remote::read_settings(config);  // fails before any stage
    // Inputs of the engine's hook: engine-docker refuses [engine] tls or proxy without them.
    hooks.add(sdk::Stage::customize, sdk::order::kInputs, "remote access scripts",
              [](sdk::BuildContext& ctx) { remote::install_rootfs_files(ctx); });
    // After the check, so a rootfs without dropbear-bin fails naming the package first.
    if (settings.build == remote::DropbearBuild::bundled_libtom) {
      hooks.add(sdk::Stage::customize, sdk::order::kMain, "dropbear (bundled libtom)",
                [](sdk::BuildContext& ctx) {
                  remote::install_built_dropbear(ctx, remote::build_dropbear(ctx));
                });
    }
  }
};

}  // namespace

BERTH_PLUGIN(RemoteAccess)
