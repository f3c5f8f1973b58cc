// install-disk: putting Berth on a disk of the machine it runs on. `berth install DISK`
// writes a GPT with GRUB (the bootloader's disk images from the medium's berth/boot/disk/),
// the kernel, the initrd and a data volume (plain or LUKS2); `berth install --frugal`
// puts the same files into a directory of an existing filesystem; `berth upgrade` swaps
// in a new kernel and initrd for one trial boot, which rc.d/78-upgrade-check confirms once
// Docker runs.
#include "berth/sdk/plugin.hpp"

#include "required_programs.hpp"

namespace {

namespace sdk = berth::sdk;

class InstallDisk final : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    // What its scripts build on: the bootloader's disk images on the medium, the base's
    // medium service and shell library, persist-disk's persist.sh and disk.sh (the data
    // volume it makes, the checks before a disk is erased), crypt-luks's luks.sh
    // (--encrypt). The build checks that every library they source is in the image.
    return {"install-disk",
            "0.1.0",
            "installer",
            true,
            "berth install (a disk, or a directory: frugal) and berth upgrade with a trial boot",
            {"bootloader", "filesystem", "persistence", "encryption"}};
  }

  void register_hooks(const sdk::ConfigTable& /*config*/, sdk::HookRegistry& hooks) override {
    // The core installs files/ (the commands, disk-boot.sh, rc.d/78-upgrade-check).
    hooks.add(sdk::Stage::customize, sdk::order::kMain, "installer programs",
              [](sdk::BuildContext& ctx) { berth::install_disk::require_rootfs_programs(ctx); });
  }
};

}  // namespace

BERTH_PLUGIN(InstallDisk)
