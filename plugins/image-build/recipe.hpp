// An image recipe: a TOML file saying which Debian packages make a Docker image, and the
// image's run-time config. See README.md beside this file for the format.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::image_build {

namespace fs = std::filesystem;

inline constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The "config" object of the image config ([config] in the recipe).
struct ImageConfig {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // KEY=VALUE; always holds PATH (kDefaultPath unless given)
  std::string workdir;           // empty, or an absolute path
  std::string user;
  std::vector<std::string> exposed_ports;  // "14500/tcp", in recipe order
  std::map<std::string, std::string> labels;
};

struct ImageRecipe {
  fs::path file;     // the recipe file, as given to read_recipe
  std::string name;  // repository, e.g. "berth/xpra"
  std::string tag = "latest";
  std::string suite;                    // mmdebstrap's SUITE
  std::vector<sdk::AptSource> sources;  // one per (uri, suite)
  std::vector<sdk::AptPin> pins;
  std::vector<std::string> include;  // packages
  std::vector<std::string> exclude;  // dpkg path-exclude globs
  std::vector<std::string> keep;     // dpkg path-include globs
  fs::path rootfs;                   // [files] rootfs, resolved; empty when not given
  ImageConfig config;

  std::string reference() const { return name + ":" + tag; }
};

// Reads and checks a recipe. Throws sdk::ConfigError "<file>:<line>: [table] key: what is
// wrong" for a syntax error, an unknown table or key, a wrong type or a bad value.
ImageRecipe read_recipe(const fs::path& file);

}  // namespace berth::image_build
