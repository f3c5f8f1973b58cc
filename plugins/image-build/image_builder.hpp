// A recipe in, a `docker load`-able archive out: from the result cache when nothing that
// goes into the image changed, else mmdebstrap, a tidy-up, the recipe's files and the
// archive writer. The entry point other plugins call.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "berth/sdk/context.hpp"
#include "mmdebstrap_image_args.hpp"
#include "recipe.hpp"

namespace berth::image_build {

struct BuildOptions {
  fs::path mmdebstrap = kMmdebstrapProgram;  // tests put a stand-in here
};

// "<last component of the name>.tar.zst" (or .tar.xz, ...): "berth/xpra" -> "xpra.tar.zst".
std::string archive_file_name(const ImageRecipe& recipe, sdk::Compression compression);

// Builds (or takes from <cache_dir>/images/) the image of `recipe` and puts it into
// `out_dir` as archive_file_name(), a hard link to the cache entry when possible.
// Scratch space: ctx.work_dir()/images/. Returns the archive's path.
fs::path build_image(sdk::BuildContext& ctx, const ImageRecipe& recipe,
                     sdk::Compression compression, const fs::path& out_dir,
                     const BuildOptions& options = {});

}  // namespace berth::image_build
