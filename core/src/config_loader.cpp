#include "config_loader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <set>

#include "berth/sdk/error.hpp"

namespace berth::core {
namespace {

using sdk::ConfigError;
using sdk::ConfigTable;
using sdk::ConfigValue;

std::string where(const fs::path& file, const toml::source_region& region) {
  // Relative to the working directory when that is shorter: the path the user typed.
  std::error_code error;
  fs::path shown = fs::proximate(file, error);
  if (error || shown.string().size() > file.string().size()) shown = file;
  return shown.string() + ":" + std::to_string(region.begin.line);
}

std::shared_ptr<const ConfigTable> convert_table(const toml::table& table, const std::string& name,
                                                 const fs::path& file);

ConfigValue convert_node(const toml::node& node, const std::string& name, const fs::path& file) {
  ConfigValue value;
  value.where = where(file, node.source());
  if (auto text = node.as_string()) {
    value.data = text->get();
  } else if (auto integer = node.as_integer()) {
    value.data = integer->get();
  } else if (auto boolean = node.as_boolean()) {
    value.data = boolean->get();
  } else if (auto floating = node.as_floating_point()) {
    value.data = floating->get();
  } else if (auto array = node.as_array()) {
    ConfigValue::Array items;
    std::size_t index = 0;
    for (const auto& item : *array) {
      items.push_back(convert_node(item, name + "[" + std::to_string(index++) + "]", file));
    }
    value.data = std::move(items);
  } else if (auto sub = node.as_table()) {
    value.data = convert_table(*sub, name, file);
  } else {
    // Dates and times have no use in a build description.
    throw ConfigError(value.where, "[" + name + "] dates and times are not supported here");
  }
  return value;
}

std::shared_ptr<const ConfigTable> convert_table(const toml::table& table, const std::string& name,
                                                 const fs::path& file) {
  auto out = std::make_shared<ConfigTable>(name, where(file, table.source()));
  for (const auto& [key, node] : table) {
    const std::string key_name(key.str());
    out->set(key_name, convert_node(node, name + "." + key_name, file));
  }
  return out;
}

// Later files override earlier ones key by key inside each top-level table.
using TopLevel = std::vector<std::pair<std::string, std::shared_ptr<const ConfigTable>>>;

std::string plugin_of(const ConfigTable& table) {
  const auto it = table.values().find("plugin");
  if (it == table.values().end()) return "";
  const auto* name = std::get_if<std::string>(&it->second.data);
  return name ? *name : "";
}

void merge_into(TopLevel& base, const TopLevel& overlay) {
  for (const auto& [name, table] : overlay) {
    auto it =
        std::find_if(base.begin(), base.end(), [&](const auto& e) { return e.first == name; });
    if (it == base.end()) {
      base.emplace_back(name, table);
      continue;
    }
    // Another plugin for the section: the base's keys were meant for the plugin it named
    // (kernel-debian's package is not kernel-source's), so none of them carry over.
    const std::string plugin = plugin_of(*table);
    if (!plugin.empty() && plugin != plugin_of(*it->second)) {
      it->second = table;
      continue;
    }
    auto merged = std::make_shared<ConfigTable>(*it->second);
    for (const auto& [key, value] : table->values()) merged->set(key, value);
    it->second = merged;
  }
}

TopLevel read_file(const fs::path& file, std::set<fs::path>& seen) {
  const fs::path absolute = fs::weakly_canonical(fs::absolute(file));
  if (!fs::exists(absolute)) throw ConfigError("", absolute.string() + ": config file not found");
  if (!seen.insert(absolute).second) {
    throw ConfigError(absolute.filename().string(), "extends loops back to this file");
  }
  toml::table document;
  try {
    document = toml::parse_file(absolute.string());
  } catch (const toml::parse_error& error) {
    throw ConfigError(where(absolute, error.source()), std::string(error.description()));
  }
  TopLevel top;
  std::string extends;
  for (const auto& [key, node] : document) {
    const std::string name(key.str());
    const auto* table = node.as_table();
    if (!table) {
      throw ConfigError(where(absolute, node.source()),
                        "top-level key '" + name + "' must be a [table]");
    }
    if (name == kBerthSection) {
      if (const auto* base = table->get("extends")) {
        const auto* text = base->as_string();
        if (!text)
          throw ConfigError(where(absolute, base->source()), "[berth] extends must be a string");
        extends = text->get();
      }
    }
    top.emplace_back(name, convert_table(*table, name, absolute));
  }
  if (extends.empty()) return top;
  fs::path base_file = extends;
  if (base_file.is_relative()) base_file = absolute.parent_path() / base_file;
  TopLevel merged = read_file(base_file, seen);
  merge_into(merged, top);
  return merged;
}

}  // namespace

LoadedConfig load_config(const fs::path& file) {
  std::set<fs::path> seen;
  TopLevel top = read_file(file, seen);

  LoadedConfig config;
  config.file = fs::weakly_canonical(fs::absolute(file));
  config.dir = config.file.parent_path();
  for (const auto& [name, table] : top) {
    if (name == kBerthSection) {
      config.berth = table;
    } else if (name == kDebianSection) {
      config.debian = table;
    } else {
      const auto it = table->values().find("plugin");
      if (it == table->values().end()) {
        throw ConfigError(table->where(),
                          "[" + name + "] has no 'plugin' key: every section but " +
                              "[berth] and [debian] names the plugin that serves it");
      }
      const auto* plugin = std::get_if<std::string>(&it->second.data);
      if (!plugin) throw ConfigError(it->second.where, "[" + name + "] plugin must be a string");
      auto rest = std::make_shared<ConfigTable>(name, table->where());
      for (const auto& [key, value] : table->values()) {
        if (key != "plugin") rest->set(key, value);
      }
      config.sections.push_back({name, *plugin, it->second.where, rest});
    }
  }
  const std::string here = config.file.filename().string() + ":1";
  if (!config.berth) config.berth = std::make_shared<ConfigTable>(kBerthSection, here);
  if (!config.debian) config.debian = std::make_shared<ConfigTable>(kDebianSection, here);
  return config;
}

}  // namespace berth::core
