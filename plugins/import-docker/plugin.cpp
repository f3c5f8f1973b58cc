// import-docker: docker image archives on the boot medium, loaded into Docker at boot.
// The build puts the [import] images on the ISO under berth/images/ and ships the
// importer (files/rootfs/), which at boot loads every medium's berth/images/ and writes
// a wrapper command per image. See README.md beside this file.
#include "berth/sdk/plugin.hpp"

#include "settings.hpp"
#include "stages.hpp"

namespace berth::import_docker {

class ImportDockerPlugin : public sdk::Plugin {
 public:
  sdk::PluginInfo info() const override {
    return {"import-docker", "0.1.0", "import", true,
            "image archives on the medium (berth/images/), loaded into Docker at boot"};
  }

  std::vector<sdk::ConfigKey> config_schema() const override {
    return import_docker::config_schema();
  }

  void register_hooks(const sdk::ConfigTable& config, sdk::HookRegistry& hooks) override {
    const Settings settings = read_settings(config);
    // Absolute paths are checked now, before any stage runs; relative ones need the
    // config file's directory, which only the build context knows: first thing in the
    // build, then.
    bool relative = false;
    for (const auto& entry : settings.images) {
      if (fs::path(entry.path).is_absolute()) {
        check_image(settings, entry, resolve_image_path(entry.path, "/"));
      } else {
        relative = true;
      }
    }
    using sdk::Stage;
    if (relative) {
      hooks.add(Stage::bootstrap, 0, "check image archives",
                [settings](sdk::BuildContext& ctx) { check_relative_images(ctx, settings); });
    }
    // After the plugins whose files the importer builds on: engine-docker (50), persist-disk (60).
    hooks.add(Stage::customize, 70, "image importer", install_importer);
    // Before boot-grub2 writes the ISO (50).
    hooks.add(Stage::bootloader, 20, "image archives to berth/images",
              [settings](sdk::BuildContext& ctx) { ship_images(ctx, settings); });
  }
};

}  // namespace berth::import_docker

BERTH_PLUGIN(berth::import_docker::ImportDockerPlugin)
