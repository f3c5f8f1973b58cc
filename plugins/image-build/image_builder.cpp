#include "image_builder.hpp"

#include <fstream>

#include "apt_preferences.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/sizes.hpp"
#include "deb_cache.hpp"
#include "docker_archive_writer.hpp"
#include "file_util.hpp"
#include "image_cache.hpp"
#include "image_reference.hpp"
#include "image_tree.hpp"

namespace berth::image_build {
namespace {

std::string architecture_of(const sdk::BuildContext& ctx) {
  const std::string& architecture = ctx.debian().architecture;
  return architecture.empty() ? "amd64" : architecture;
}

std::string created_by(const ImageRecipe& recipe) {
  std::string line = "berth image-build: mmdebstrap --variant=essential " + recipe.suite;
  for (const auto& package : recipe.include) line += " " + package;
  return line;
}

// mmdebstrap into `tree`, offered the cached .debs of the suite; the ones it downloaded
// go into that cache afterwards.
void install_packages(sdk::BuildContext& ctx, const ImageRecipe& recipe,
                      const std::string& architecture, const fs::path& work, const fs::path& tree,
                      const BuildOptions& options) {
  require_mmdebstrap(options.mmdebstrap);
  MmdebstrapImageRun run;
  run.program = options.mmdebstrap;
  run.tree = tree;
  run.architecture = architecture;
  run.keyring = ctx.debian().keyring;
  if (!recipe.pins.empty()) {
    // A name apt reads in preferences.d: no extension, letters, digits and '-'.
    run.preferences = work / "berth-image-pins";
    std::ofstream out(run.preferences);
    out << bootstrap::render_apt_preferences(recipe.pins);
    out.close();
    if (!out) throw sdk::Error("cannot write " + run.preferences.string());
  }
  const fs::path debs = deb_cache_dir(ctx.cache_dir(), recipe.suite);
  if (holds_debs(debs)) run.seed_debs = debs;

  sdk::RunOptions env;
  env.env["LC_ALL"] = "C";
  // mmdebstrap clamps what it can to this, for a reproducible tree.
  env.env["SOURCE_DATE_EPOCH"] = std::to_string(ctx.source_date_epoch());
  ctx.run(mmdebstrap_image_argv(recipe, run), env);

  const std::size_t added = keep_debs(tree / "var/cache/apt/archives", debs);
  ctx.info(recipe.reference() + ": " + std::to_string(added) + " new package(s) in " +
           debs.string());
}

}  // namespace

std::string archive_file_name(const ImageRecipe& recipe, sdk::Compression compression) {
  return last_component(recipe.name) + "." + archive_extension(compression);
}

fs::path build_image(sdk::BuildContext& ctx, const ImageRecipe& recipe,
                     sdk::Compression compression, const fs::path& out_dir,
                     const BuildOptions& options) {
  const std::string architecture = architecture_of(ctx);
  const OciPlatform platform = oci_platform(architecture);
  const std::string key = image_cache_key(recipe, compression, architecture, ctx.berth_version());
  const fs::path cached = cached_archive_path(ctx.cache_dir(), recipe, key, compression);
  fs::create_directories(out_dir);
  const fs::path out = out_dir / archive_file_name(recipe, compression);

  if (fs::is_regular_file(cached)) {
    sdk::link_or_copy(cached, out);
    ctx.info(recipe.reference() + ": recipe unchanged, image from the cache " + cached.string());
    return out;
  }
  ctx.info(recipe.reference() + ": building from " + recipe.file.string() +
           " (no cached image for this recipe)");
  const fs::path work = ctx.work_dir() / "images" / (dashed(recipe.name) + "-" + recipe.tag);
  remove_tree(work);
  fs::create_directories(work);
  const fs::path tree = work / "rootfs";

  install_packages(ctx, recipe, architecture, work, tree, options);
  prune_image_tree(tree);
  if (!recipe.rootfs.empty()) ctx.copy_tree(recipe.rootfs, tree);
  ensure_tmp(tree);

  const fs::path archive = work / ("image." + archive_extension(compression));
  const ArchiveImage image{recipe.name, recipe.tag, platform, recipe.config, created_by(recipe)};
  const WrittenArchive written =
      write_docker_archive(ctx, tree, image, work / "staging", archive, compression);
  fs::create_directories(cached.parent_path());
  move_into_place(archive, cached);
  remove_tree(work);
  sdk::link_or_copy(cached, out);
  ctx.info(recipe.reference() + ": built, image ID sha256:" + written.config_digest.substr(0, 12) +
           ", " + sdk::mebibytes(fs::file_size(cached)) + ", cached as " + cached.string());
  return out;
}

}  // namespace berth::image_build
