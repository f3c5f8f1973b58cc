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
    return {"gui-xpra",
            "0.1.0",
            "gui",
            true,
            "GUI programs in containers, shown through xpra; images built from Debian packages",
            {"engine", "import"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override { return gui_xpra::config_schema(); }

  void validate(const sdk::ConfigTable& config,
                const sdk::ValidateContext& context) const override {
    check_recipes(read_settings(config), context.data_dir());
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const Settings settings = read_settings(config);
    using sdk::Stage;
    // The GUI commands run the engine's docker CLI: on top of the engine's files.
    hooks.add(Stage::customize, sdk::order::kOnTop, "gui files", install_gui_files);
    // Inputs of the ISO, which the bootloader writes at order::kMain.
    hooks.add(Stage::bootloader, sdk::order::kInputs, "gui images to berth/images",
              [settings](sdk::BuildContext& ctx) { ship_gui_images(ctx, settings); });
  }
};

}  // namespace berth::gui_xpra

BERTH_PLUGIN(berth::gui_xpra::GuiXpraPlugin)
