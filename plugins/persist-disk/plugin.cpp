// persist-disk: Docker's state and the user's files on a disk that survives reboots.
// At boot an initramfs hook finds the ext4 volume labelled BERTH-DATA (or named by
// berth.data=), repairs what `e2fsck -p` may repair and mounts it; rc.d/15-persist binds
// its directories over /var/lib/docker, /var/lib/berth, /home, /root and the paths of
// persist.conf. `berth data prepare` makes such a volume on a blank disk.
#include "berth/sdk/plugin.hpp"

#include "install_files.hpp"

namespace {

namespace sdk = berth::sdk;
namespace persist = berth::persist_disk;

class PersistDisk final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"persist-disk",
            "0.1.0",
            "persistence",
            true,
            "data volume (ext4, BERTH-DATA): Docker state, /home, /root, boot hooks",
            {"filesystem"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return {}; }

  void register_hooks(const sdk::ConfigTable& /*config*/, sdk::HookRegistry& hooks) override {
    // The files here name the engine's rc.d/70-docker at run time; the build needs nothing
    // of it.
    // The core installs files/ (the scripts and the early-boot hook).
    hooks.add(sdk::Stage::customize, sdk::order::kMain, "data volume programs",
              [](sdk::BuildContext& ctx) { persist::require_rootfs_programs(ctx); });
  }
};

}  // namespace

BERTH_PLUGIN(PersistDisk)
