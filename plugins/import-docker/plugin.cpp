// import-docker: docker image archives on the boot medium, loaded into Docker at boot.
// The build puts the [import] images on the ISO under berth/images/ and ships the
// importer (files/rootfs/), which at boot loads every medium's berth/images/ and writes
// a wrapper command per image. By default the importer's jq is rebuilt without regular
// expressions ([import] jq, jq_build.hpp), so the image needs no Oniguruma and no libjq.so.
// See README.md beside this file.
#include "berth/sdk/plugin.hpp"

#include "jq_build.hpp"
#include "jq_install.hpp"
#include "settings.hpp"
#include "stages.hpp"

namespace berth::import_docker {

class ImportDockerPlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"import-docker",
            "0.1.0",
            "import",
            true,
            "image archives on the medium (berth/images/), loaded into Docker at boot",
            {"engine", "filesystem"}};
  }

  std::vector<sdk::ConfigKey> config_schema() const override {
    return import_docker::config_schema();
  }

  void validate(const sdk::ConfigTable& config,
                const sdk::ValidateContext& context) const override {
    check_images(read_settings(config), context.config_dir());
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const Settings settings = read_settings(config);
    using sdk::Stage;
    // The importer runs the engine's docker CLI: on top of the engine's files.
    hooks.add(Stage::customize, sdk::order::kOnTop, "image importer", install_importer);
    // After the check, so a rootfs without jq fails naming the package first; before the
    // strip, which then takes libonig and libjq (nothing links them any more).
    if (settings.jq == JqBuild::without_regex) {
      hooks.add(Stage::customize, sdk::order::kOnTop, "jq (without regex)",
                [](sdk::BuildContext& ctx) { install_built_jq(ctx, build_jq(ctx)); });
    }
    // Inputs of the ISO, which the bootloader writes at order::kMain.
    hooks.add(Stage::bootloader, sdk::order::kInputs, "image archives to berth/images",
              [settings](sdk::BuildContext& ctx) { ship_images(ctx, settings); });
  }
};

}  // namespace berth::import_docker

BERTH_PLUGIN(berth::import_docker::ImportDockerPlugin)
