// fs-squashfs: the base system as one squashfs image inside the initrd, and the /init
// that mounts it under an overlay; and the base every build has on the target: the shell
// library (lib.sh, cmdline.sh, early.sh) and the boot medium service (rc.d/12-medium,
// early.d/20-from). See README.md beside this file.
#include "berth/sdk/plugin.hpp"

#include "settings.hpp"
#include "stages.hpp"

namespace berth::fs_squashfs {

class FsSquashfsPlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"fs-squashfs",
            "0.1.0",
            "filesystem",
            true,
            "strips the rootfs, packs it as a squashfs and boots it from the initrd",
            {"bootstrap", "kernel", "init"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override {
    return fs_squashfs::config_schema();
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const Settings settings = read_settings(config);
    using sdk::Stage;
    // Strips what every plugin's customize hooks brought in, too. The library check and
    // contents.txt come last, so they see what other plugins' strip hooks added after the
    // rules (init-busybox's applet links, kOnTop).
    hooks.add(Stage::strip, sdk::order::kMain, "strip rules",
              [settings](sdk::BuildContext& ctx) { strip_rootfs(ctx, settings); });
    hooks.add(Stage::strip, sdk::order::kLast, "library check, contents.txt",
              [settings](sdk::BuildContext& ctx) {
                check_libraries(ctx);
                report_contents(ctx, settings);
              });
    hooks.add(Stage::filesystem, sdk::order::kMain, "mksquashfs base image",
              [settings](sdk::BuildContext& ctx) { build_base_image(ctx, settings); });
    // Plugins adding early-boot hooks (order::kInputs) find the merged-/usr skeleton and
    // busybox in place; the initrd is written after them.
    hooks.add(Stage::initramfs, sdk::order::kLayout, "initramfs skeleton, busybox",
              [](sdk::BuildContext& ctx) { prepare_initramfs(ctx); });
    hooks.add(Stage::initramfs, sdk::order::kMain, "write initrd.img",
              [settings](sdk::BuildContext& ctx) { write_initramfs(ctx, settings); });
  }
};

}  // namespace berth::fs_squashfs

BERTH_PLUGIN(berth::fs_squashfs::FsSquashfsPlugin)
