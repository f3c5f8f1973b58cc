#include "stages.hpp"

#include <map>

#include "berth/sdk/error.hpp"
#include "berth/sdk/programs.hpp"
#include "berth/sdk/sizes.hpp"
#include "image_builder.hpp"

namespace berth::gui_xpra {

namespace {

constexpr const char* kMediumDir = "berth/images";

}  // namespace

std::vector<image_build::ImageRecipe> read_recipes(const Settings& settings,
                                                   const fs::path& data_dir) {
  check_recipes_exist(settings, data_dir);
  std::vector<image_build::ImageRecipe> recipes;
  std::map<std::string, fs::path> by_archive;  // archive file name -> recipe file
  for (const auto& entry : settings.images) {
    auto recipe = image_build::read_recipe(recipe_file(data_dir, entry.name));
    const std::string archive = image_build::archive_file_name(recipe, settings.compression);
    const auto [it, added] = by_archive.emplace(archive, recipe.file);
    if (!added) {
      throw sdk::ConfigError(entry.where,
                             "[" + settings.section + "] images: " + it->second.string() + " and " +
                                 recipe.file.string() + " both make " + kMediumDir + "/" + archive);
    }
    recipes.push_back(std::move(recipe));
  }
  return recipes;
}

void check_recipes(const Settings& settings, const fs::path& data_dir) {
  read_recipes(settings, data_dir);
}

void install_gui_files(sdk::BuildContext& ctx) {
  // `berth gui` runs the docker CLI; everything else it needs is in the display images.
  sdk::require_programs(ctx.rootfs(), {{"/usr/bin/docker", "docker-cli"}});
}

void ship_gui_images(sdk::BuildContext& ctx, const Settings& settings) {
  const auto recipes = read_recipes(settings, ctx.data_dir());
  if (recipes.empty()) return;
  const fs::path dir = ctx.iso_root() / kMediumDir;
  std::uintmax_t total = 0;
  for (const auto& recipe : recipes) {
    const fs::path archive = image_build::build_image(ctx, recipe, settings.compression, dir);
    const auto size = fs::file_size(archive);
    total += size;
    ctx.info(std::string(kMediumDir) + "/" + archive.filename().string() + ": " +
             recipe.reference() + ", " + sdk::mebibytes(size));
  }
  ctx.report_size("gui-images", total);
}

}  // namespace berth::gui_xpra
