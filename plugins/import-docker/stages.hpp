// The hooks of import-docker. Thin: the checks live in settings.cpp and image_archive.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "berth/sdk/context.hpp"
#include "settings.hpp"

namespace berth::import_docker {

// [validate] Every archive the config names (relative paths start at the config file's
// directory) is a docker image archive; ConfigError naming the entry otherwise.
void check_images(const Settings& settings, const fs::path& config_dir);

// [customize 70] the rootfs must hold the docker CLI and jq the importer runs (the core
// installs files/rootfs: the importer and its services).
void install_importer(sdk::BuildContext& ctx);

// [bootloader 20, before the ISO is written at 50] Each archive to
// iso_root()/berth/images/<file name>, byte for byte; "images" in the build report.
// Nothing at all when no archive is configured.
void ship_images(sdk::BuildContext& ctx, const Settings& settings);

}  // namespace berth::import_docker
