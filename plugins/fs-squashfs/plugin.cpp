// fs-squashfs: the base system as one squashfs image inside the initrd, and the /init
// that mounts it under an overlay. See README.md beside this file.
#include "berth/sdk/plugin.hpp"

#include "settings.hpp"
#include "stages.hpp"

namespace berth::fs_squashfs {

class FsSquashfsPlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"fs-squashfs", "0.1.0", "filesystem", true,
            "strips the rootfs, packs it as a squashfs and boots it from the initrd"};
  }

  std::vector<sdk::ConfigKey> config_schema() const override {
    return fs_squashfs::config_schema();
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const Settings settings = read_settings(config);
    using sdk::Stage;
    hooks.add(Stage::customize, 50, "install kernel command line helpers",
              [](sdk::BuildContext& ctx) { install_cmdline_helpers(ctx); });
    // Late, so it also strips what other plugins' customize hooks brought in.
    hooks.add(Stage::strip, 90, "strip rules",
              [settings](sdk::BuildContext& ctx) { strip_rootfs(ctx, settings); });
    hooks.add(Stage::filesystem, 50, "mksquashfs base image",
              [settings](sdk::BuildContext& ctx) { build_base_image(ctx, settings); });
    // Early, so plugins adding initramfs hooks (orders 10 to 40) find the merged-/usr
    // skeleton and busybox in place.
    hooks.add(Stage::initramfs, 5, "initramfs skeleton, busybox, /init",
              [](sdk::BuildContext& ctx) { prepare_initramfs(ctx); });
    hooks.add(Stage::initramfs, 50, "write initrd.img",
              [settings](sdk::BuildContext& ctx) { write_initramfs(ctx, settings); });
  }
};

}  // namespace berth::fs_squashfs

BERTH_PLUGIN(berth::fs_squashfs::FsSquashfsPlugin)
