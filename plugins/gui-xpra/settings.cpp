#include "settings.hpp"

#include <algorithm>
#include <set>

#include "berth/sdk/error.hpp"

namespace berth::gui_xpra {
namespace {

// A recipe name is a file name under images/: lower-case letters, digits, '.', '_', '-',
// not starting with a '.' or '-'.
bool valid_name(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

std::vector<sdk::ConfigKey> config_schema() {
  return {
      {"images", sdk::ValueType::string_array,
       "image recipes to build and put on the ISO under berth/images/ (default: xpra, xephyr, "
       "xterm, console)"},
      {"compression", sdk::ValueType::string, "image archive compression: zstd (default) or xz"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;
  settings.section = table.name();
  if (!table.has("images")) {
    for (const auto& name : kDefaultImages) settings.images.push_back({name, table.where()});
  } else {
    const auto* items = std::get_if<sdk::ConfigValue::Array>(&table.values().at("images").data);
    if (!items) table.fail("images", "must be an array of strings");
    std::set<std::string> seen;
    for (const auto& item : *items) {
      const auto* name = std::get_if<std::string>(&item.data);
      if (!name) {
        throw sdk::ConfigError(item.where,
                               "[" + settings.section + "] images: must hold strings only");
      }
      if (!valid_name(*name)) {
        throw sdk::ConfigError(item.where, "[" + settings.section + "] images: '" + *name +
                                               "' is not a recipe name (lower-case letters, "
                                               "digits, '.', '_', '-')");
      }
      if (!seen.insert(*name).second) {
        throw sdk::ConfigError(item.where,
                               "[" + settings.section + "] images: '" + *name + "' listed twice");
      }
      settings.images.push_back({*name, item.where});
    }
  }
  const std::string compression = table.get_string("compression", "zstd");
  if (compression == "zstd") {
    settings.compression = sdk::Compression::zstd;
  } else if (compression == "xz") {
    settings.compression = sdk::Compression::xz;
  } else {
    table.fail("compression", "'" + compression + "' is not zstd or xz");
  }
  return settings;
}

fs::path recipe_dir(const fs::path& data_dir) {
  return data_dir / "images";
}

fs::path recipe_file(const fs::path& data_dir, const std::string& name) {
  return recipe_dir(data_dir) / (name + ".toml");
}

std::vector<std::string> available_recipes(const fs::path& data_dir) {
  std::vector<std::string> names;
  const fs::path dir = recipe_dir(data_dir);
  if (!fs::is_directory(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void check_recipes_exist(const Settings& settings, const fs::path& data_dir) {
  const auto available = available_recipes(data_dir);
  for (const auto& [name, where] : settings.images) {
    if (std::find(available.begin(), available.end(), name) != available.end()) continue;
    std::string list;
    for (const auto& known : available) list += (list.empty() ? "" : ", ") + known;
    throw sdk::ConfigError(where, "[" + settings.section + "] images: no recipe '" + name +
                                      "' (recipes in " + recipe_dir(data_dir).string() + ": " +
                                      (list.empty() ? "none" : list) + ")");
  }
}

}  // namespace berth::gui_xpra
