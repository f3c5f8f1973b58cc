// crypt-luks: the data volume inside a LUKS2 container. At boot an initramfs hook finds
// the container labelled BERTH-DATA (or named by berth.crypt=), opens it with a key file
// (berth.key=) or a passphrase typed on the console, as /dev/mapper/berth-data, which
// persist-disk then mounts. luks.sh formats such a container for `berth install
// --encrypt`. By default cryptsetup is rebuilt with the kernel crypto backend
// ([encryption] build, cryptsetup_build.hpp), so the image needs no OpenSSL for it.
#include "berth/sdk/plugin.hpp"

#include "cryptsetup_build.hpp"
#include "cryptsetup_install.hpp"
#include "install_files.hpp"
#include "settings.hpp"

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

  std::vector<sdk::ConfigKey> config_schema() const override { return crypt::config_schema(); }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const crypt::Settings settings = crypt::read_settings(config);  // fails before any stage
    // The core installs files/: the scripts, and the early-boot hook, which at boot runs
    // before persist-disk's because its early.d name (30-unlock) sorts first: the volume
    // persist-disk looks for exists once unlocked.
    hooks.add(sdk::Stage::customize, sdk::order::kMain, "encryption programs",
              [](sdk::BuildContext& ctx) { crypt::require_rootfs_programs(ctx); });
    // After the check, so a rootfs without cryptsetup-bin fails naming the package first.
    if (settings.build == crypt::CryptsetupBuild::kernel_crypto) {
      hooks.add(sdk::Stage::customize, sdk::order::kMain, "cryptsetup (kernel crypto)",
                [](sdk::BuildContext& ctx) {
                  crypt::install_built_cryptsetup(ctx, crypt::build_cryptsetup(ctx));
                });
    }
  }
};

}  // namespace

BERTH_PLUGIN(CryptLuks)
