// boot-grub2: berth.iso, a hybrid image that boots BIOS and UEFI from a CD and from a
// disk or USB stick, with GRUB from the configured Debian suite trimmed to what it uses;
// and the service that mounts that medium again on the running system (berth.medium).
#include "berth/sdk/plugin.hpp"

#include "medium.hpp"
#include "settings.hpp"

namespace berth::boot_grub2 {

class BootGrub2Plugin : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"boot-grub2",
            "0.1.0",
            "bootloader",
            true,
            "GRUB 2 hybrid ISO: BIOS and UEFI, CD and USB stick, ~1 MB of GRUB",
            {"kernel", "filesystem"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return boot_grub2::config_schema(); }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const Settings settings = read_settings(config);
    // The core installs files/: rc.d/12-medium and its helpers (the running system finds
    // the medium again), and the early-boot hook early.d/20-from, which at boot runs before
    // crypt-luks's and persist-disk's (file names decide): they find the data file it
    // attaches.
    hooks.add(sdk::Stage::bootloader, sdk::order::kMain, "GRUB images and berth.iso",
              [settings](sdk::BuildContext& ctx) { build_medium(ctx, settings); });
  }
};

}  // namespace berth::boot_grub2

BERTH_PLUGIN(berth::boot_grub2::BootGrub2Plugin)
