// The mmdebstrap command line that turns a recipe into an installed Debian tree (maintainer
// scripts run: --variant=essential plus the recipe's packages).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "recipe.hpp"

namespace berth::image_build {

inline constexpr const char* kMmdebstrapProgram = "/usr/bin/mmdebstrap";

struct MmdebstrapImageRun {
  fs::path program = kMmdebstrapProgram;
  fs::path tree;             // the directory mmdebstrap creates and fills
  std::string architecture;  // dpkg architecture, e.g. amd64
  fs::path keyring;          // empty: apt's default keyrings on the build host
  fs::path preferences;      // apt_preferences(5) file with the pins; empty: no pins
  fs::path seed_debs;        // directory of cached .debs to offer apt; empty: none
};

// "deb [arch=amd64] http://deb.debian.org/debian bookworm main": one MIRROR argument.
std::string image_source_line(const std::string& architecture, const sdk::AptSource& source);

// A path as one word of a special hook, which mmdebstrap splits like a shell
// (Text::ParseWords): single-quoted, with any ' inside written as '\''.
std::string hook_word(const fs::path& path);

// The whole argv, program first. The .debs apt downloads stay in the tree's
// /var/cache/apt/archives (--skip=essential/unlink, --skip=cleanup/apt/cache) for the
// caller to put into the package cache.
std::vector<std::string> mmdebstrap_image_argv(const ImageRecipe& recipe,
                                               const MmdebstrapImageRun& run);

// Throws a one-line Error naming `program` when it is not an executable.
void require_mmdebstrap(const fs::path& program);

}  // namespace berth::image_build
