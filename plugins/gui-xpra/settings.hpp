// The [gui] table of gui-xpra: which image recipes to build, and how to compress them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"

namespace berth::gui_xpra {

namespace fs = std::filesystem;

inline const std::vector<std::string> kDefaultImages = {"xpra", "xephyr", "xterm", "console"};

// One entry of `images`: a recipe's name, and where it was asked for.
struct ImageName {
  std::string name;
  std::string where;  // file:line of the entry (of the table for the defaults)
};

struct Settings {
  std::string section = "gui";  // the table's name, for errors
  std::vector<ImageName> images;
  sdk::Compression compression = sdk::Compression::zstd;
};

std::vector<sdk::ConfigKey> config_schema();

// Reads the table. Throws ConfigError naming file:line and key for a name that cannot be a
// recipe file's name, a name given twice, or a compression other than zstd or xz.
Settings read_settings(const sdk::ConfigTable& table);

// The shipped recipes: <data_dir>/images/<name>.toml.
fs::path recipe_dir(const fs::path& data_dir);
fs::path recipe_file(const fs::path& data_dir, const std::string& name);

// The names of the *.toml files in recipe_dir(data_dir), sorted.
std::vector<std::string> available_recipes(const fs::path& data_dir);

// Throws ConfigError "<where>: [gui] images: no recipe 'x' (recipes in <dir>: a, b)" for
// the first name without a recipe file.
void check_recipes_exist(const Settings& settings, const fs::path& data_dir);

}  // namespace berth::gui_xpra
