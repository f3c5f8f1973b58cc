// remote-access: using Berth from another machine (issue 16). The Docker API over TLS with
// client certificates (`berth tls`, berth.docker=tls, [engine] tls): rc.d/66-docker-tls
// makes the CA and certificates at boot and hands dockerd its listener through a
// daemon.json drop-in that engine-docker's supervisor merges. SSH with keys only:
// rc.d/72-ssh starts dropbear (-s) when a key to let in exists.
#include "berth/sdk/plugin.hpp"

#include "install_files.hpp"

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

  std::vector<sdk::ConfigKey> config_schema() const override { return {}; }

  void register_hooks(const sdk::ConfigTable& /*config*/, sdk::HookRegistry& hooks) override {
    // Inputs of the engine's hook: engine-docker refuses [engine] tls or proxy without them.
    hooks.add(sdk::Stage::customize, sdk::order::kInputs, "remote access scripts",
              [](sdk::BuildContext& ctx) { remote::install_rootfs_files(ctx); });
  }
};

}  // namespace

BERTH_PLUGIN(RemoteAccess)
