#include "stages.hpp"

#include <array>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "berth/sdk/sizes.hpp"

namespace berth::import_docker {

namespace {

constexpr const char* kMediumDir = "berth/images";

}  // namespace

void check_images(const Settings& settings, const fs::path& config_dir) {
  for (const auto& entry : settings.images) {
    check_image(settings, entry, resolve_image_path(entry.path, config_dir));
  }
}

void install_importer(sdk::BuildContext& ctx) {
  // The importer's programs: the docker CLI, and jq, which reads what images say about
  // themselves (OCI indexes, labels) instead of a shell script parsing it.
  for (const auto& [program, package, why] :
       {std::array<const char*, 3>{"docker", "docker-cli", "runs the docker CLI"},
        std::array<const char*, 3>{"jq", "jq", "reads image labels and OCI indexes with jq"}}) {
    const auto found = sdk::resolve_in_root(ctx.rootfs(), std::string("/usr/bin/") + program,
                                            {.last = sdk::LastLink::keep});
    const auto status = found ? fs::symlink_status(*found) : fs::file_status();
    if (!fs::is_regular_file(status) && !fs::is_symlink(status)) {
      throw sdk::Error(std::string("no /usr/bin/") + program +
                       " in the rootfs: the image importer " + why + "; add " + package +
                       " to [bootstrap] packages");
    }
  }
}

void ship_images(sdk::BuildContext& ctx, const Settings& settings) {
  if (settings.images.empty()) return;
  const fs::path dir = ctx.iso_root() / kMediumDir;
  fs::create_directories(dir);
  std::uint64_t total = 0;
  for (const auto& entry : settings.images) {
    const fs::path source = resolve_image_path(entry.path, ctx.config_dir());
    // Checked before the build began; a file removed since then fails here, by name.
    if (!fs::is_regular_file(source)) {
      throw sdk::Error(source.string() + " (" + entry.where + "): no longer a file");
    }
    const fs::path target = dir / entry.file_name;
    // A link where the work directory shares a file system with the archive (no copy of what
    // may be gigabytes); either way the bytes are the archive's own.
    const bool linked = sdk::link_or_copy(source, target);
    const std::uint64_t size = fs::file_size(target);
    total += size;
    ctx.info(std::string(kMediumDir) + "/" + entry.file_name + ": " + sdk::human_size(size) +
             (linked ? "" : " (copied)"));
  }
  ctx.report_size("images", total);
}

}  // namespace berth::import_docker
