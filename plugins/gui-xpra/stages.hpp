// The hooks of gui-xpra. Thin: recipes, mmdebstrap and archives are image-build's.
#pragma once

#include <vector>

#include "berth/sdk/context.hpp"
#include "recipe.hpp"
#include "settings.hpp"

namespace berth::gui_xpra {

// Each `images` name read from <data_dir>/images/<name>.toml. Throws ConfigError for a
// name without a recipe (listing those that exist), for a bad recipe (image-build's
// message), and for two recipes whose archives would have the same file name on the medium.
std::vector<image_build::ImageRecipe> read_recipes(const Settings& settings,
                                                   const fs::path& data_dir);

// [validate] read_recipes(), so a wrong name or recipe stops `berth plan` and the build
// before any work.
void check_recipes(const Settings& settings, const fs::path& data_dir);

// [customize 70] the rootfs must hold the docker CLI the GUI commands run (the core
// installs files/rootfs).
void install_gui_files(sdk::BuildContext& ctx);

// [bootloader 20, before boot-grub2 writes the ISO at 50] Each image built (or taken from
// the cache) into iso_root()/berth/images/; "gui-images" in the build report.
void ship_gui_images(sdk::BuildContext& ctx, const Settings& settings);

}  // namespace berth::gui_xpra
