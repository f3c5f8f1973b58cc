// crypt-luks: the data volume inside a LUKS2 container. At boot an initramfs hook finds
// the container labelled BERTH-DATA (or named by berth.crypt=), opens it with a key file
// (berth.key=) or a passphrase typed on the console, as /dev/mapper/berth-data, which
// persist-disk then mounts. luks.sh formats such a container for `berth install
// --encrypt`.
#include "berth/sdk/plugin.hpp"

#include "install_files.hpp"

namespace {

namespace sdk = berth::sdk;
namespace crypt = berth::crypt_luks;

class CryptLuks final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"crypt-luks",
            "0.1.0",
            "encryption",
            true,
            "encrypted data volume (LUKS2, argon2id): unlock at boot, luks.sh for installs",
            {"filesystem", "persistence"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return {}; }

  void register_hooks(const sdk::ConfigTable& /*config*/, sdk::HookRegistry& hooks) override {
    // The core installs files/: the scripts, and the early-boot hook, which at boot runs
    // before persist-disk's because its early.d name (30-unlock) sorts first: the volume
    // persist-disk looks for exists once unlocked.
    hooks.add(sdk::Stage::customize, sdk::order::kMain, "encryption programs",
              [](sdk::BuildContext& ctx) { crypt::require_rootfs_programs(ctx); });
  }
};

}  // namespace

BERTH_PLUGIN(CryptLuks)
