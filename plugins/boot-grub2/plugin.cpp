// boot-grub2: berth.iso, a hybrid image that boots BIOS and UEFI from a CD and from a
// disk or USB stick, with GRUB from the configured Debian suite trimmed to what it uses;
// and GRUB for a disk Berth is installed on (berth/boot/disk/, written by install-disk's
// `berth install`). It passes berth.medium=ID; the base (fs-squashfs's rc.d/12-medium)
// finds and mounts that medium on the running system.
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
    hooks.add(sdk::Stage::bootloader, sdk::order::kMain, "GRUB images and berth.iso",
              [settings](sdk::BuildContext& ctx) { build_medium(ctx, settings); });
  }
};

}  // namespace berth::boot_grub2

BERTH_PLUGIN(berth::boot_grub2::BootGrub2Plugin)
