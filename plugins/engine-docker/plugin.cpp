// engine-docker: Docker Engine from Debian's docker.io. The build writes
// /etc/docker/daemon.json from [engine] and does what the packages' maintainer scripts
// would have done; at run time /etc/berth/rc.d/70-docker starts dockerd (which runs its
// own containerd) under a supervisor that restarts it, with the data root on a tmpfs
// unless a disk filesystem holds it.
#include "berth/sdk/plugin.hpp"

#include "customize.hpp"
#include "daemon_config.hpp"

namespace {

namespace sdk = berth::sdk;
namespace engine = berth::engine_docker;

class EngineDocker final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"engine-docker",
            "0.1.0",
            "engine",
            true,
            "Docker Engine (docker.io): daemon.json, iptables-nft, supervised dockerd",
            {"bootstrap", "init", "filesystem"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return engine::config_schema(); }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const engine::Settings settings = engine::read_settings(config);  // fails before any stage
    hooks.add(sdk::Stage::customize, sdk::order::kMain, "docker",
              [settings](sdk::BuildContext& ctx) { engine::install_engine(ctx, settings); });
  }
};

}  // namespace

BERTH_PLUGIN(EngineDocker)
