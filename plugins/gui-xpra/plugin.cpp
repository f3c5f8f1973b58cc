// gui-xpra: GUI programs from containers (issue 6). The build makes the GUI images from
// Debian packages by recipe (files/images/*.toml, built by plugins/image-build) and puts
// them on the ISO under berth/images/, where import-docker loads them at boot;
// files/rootfs/ holds the on-target side.
#include "berth/sdk/plugin.hpp"

#include "settings.hpp"
#include "stages.hpp"

namespace berth::gui_xpra {

class GuiXpraPlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"gui-xpra", "0.1.0", "gui", true,
            "GUI programs in containers, shown through xpra; images built from Debian packages"};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return gui_xpra::config_schema(); }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const Settings settings = read_settings(config);
    using sdk::Stage;
    // The recipes live in the data directory, which only the build context knows: check
    // them first thing in the build, before any stage does work.
    hooks.add(Stage::bootstrap, 0, "check image recipes",
              [settings](sdk::BuildContext& ctx) { check_recipes(ctx, settings); });
    // After the plugins whose files the GUI commands build on: engine-docker (50),
    // persist-disk (60).
    hooks.add(Stage::customize, 70, "gui files", install_gui_files);
    // Before boot-grub2 writes the ISO (50).
    hooks.add(Stage::bootloader, 20, "gui images to berth/images",
              [settings](sdk::BuildContext& ctx) { ship_gui_images(ctx, settings); });
  }
};

}  // namespace berth::gui_xpra

BERTH_PLUGIN(berth::gui_xpra::GuiXpraPlugin)
