#include "toml_reader.hpp"

#include <algorithm>

#include "berth/sdk/error.hpp"

namespace berth::image_build {
namespace {

std::string joined(std::initializer_list<const char*> names) {
  std::string out;
  for (const char* name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

bool listed(std::initializer_list<const char*> names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return name == n; });
}

}  // namespace

std::string toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

TomlReader::TomlReader(std::filesystem::path file) : file_(std::move(file)) {
  if (!std::filesystem::is_regular_file(file_)) {
    throw sdk::ConfigError("", file_.string() + ": no such recipe file");
  }
  try {
    document_ = toml::parse_file(file_.string());
  } catch (const toml::parse_error& error) {
    throw sdk::ConfigError(file_.string() + ":" + std::to_string(error.source().begin.line),
                           std::string(error.description()));
  }
}

std::string TomlReader::where(const toml::node& node) const {
  const auto line = node.source().begin.line;
  return line == 0 ? file_.string() : file_.string() + ":" + std::to_string(line);
}

void TomlReader::fail(const toml::node& node, const std::string& label,
                      const std::string& message) const {
  throw sdk::ConfigError(where(node), label + ": " + message);
}

const toml::table* TomlReader::section(const std::string& name, bool required) const {
  const toml::node* node = document_.get(name);
  if (!node) {
    if (!required) return nullptr;
    throw sdk::ConfigError(file_.string(), "[" + name + "]: missing (a recipe needs it)");
  }
  const toml::table* table = node->as_table();
  if (!table) fail(*node, "[" + name + "]", "must be a table, not " + toml_type_name(*node));
  return table;
}

void TomlReader::only_sections(std::initializer_list<const char*> allowed) const {
  for (const auto& [key, node] : document_) {
    const std::string name(key.str());
    if (!listed(allowed, name)) {
      fail(node, "[" + name + "]", "unknown table (a recipe has: " + joined(allowed) + ")");
    }
  }
}

void TomlReader::only_keys(const toml::table& table, const std::string& label,
                           std::initializer_list<const char*> allowed) const {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (!listed(allowed, name)) {
      fail(node, label + " " + name, "unknown key (" + label + " has: " + joined(allowed) + ")");
    }
  }
}

const toml::node* TomlReader::lookup(const toml::table& table, const std::string& label,
                                     const std::string& key, bool required) const {
  const toml::node* node = table.get(key);
  if (!node && required) fail(table, label + " " + key, "missing");
  return node;
}

Located<std::string> TomlReader::string(const toml::table& table, const std::string& label,
                                        const std::string& key, bool required,
                                        const std::string& fallback) const {
  const toml::node* node = lookup(table, label, key, required);
  if (!node) return {fallback, nullptr};
  const auto* text = node->as_string();
  if (!text) fail(*node, label + " " + key, "must be a string, not " + toml_type_name(*node));
  return {text->get(), node};
}

Located<std::int64_t> TomlReader::integer(const toml::table& table, const std::string& label,
                                          const std::string& key, bool required) const {
  const toml::node* node = lookup(table, label, key, required);
  if (!node) return {0, nullptr};
  const auto* number = node->as_integer();
  if (!number) fail(*node, label + " " + key, "must be an integer, not " + toml_type_name(*node));
  return {number->get(), node};
}

std::vector<Located<std::string>> TomlReader::strings(const toml::table& table,
                                                      const std::string& label,
                                                      const std::string& key, bool required) const {
  std::vector<Located<std::string>> out;
  const toml::node* node = lookup(table, label, key, required);
  if (!node) return out;
  const auto* array = node->as_array();
  if (!array) {
    fail(*node, label + " " + key, "must be an array of strings, not " + toml_type_name(*node));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    const auto* text = item.as_string();
    if (!text) {
      fail(item, label + " " + key + "[" + std::to_string(i) + "]",
           "must be a string, not " + toml_type_name(item));
    }
    out.push_back({text->get(), &item});
  }
  return out;
}

std::vector<Located<const toml::table*>> TomlReader::tables(const toml::table& table,
                                                            const std::string& label,
                                                            const std::string& key,
                                                            bool required) const {
  std::vector<Located<const toml::table*>> out;
  const toml::node* node = lookup(table, label, key, required);
  if (!node) return out;
  const auto* array = node->as_array();
  if (!array) {
    fail(*node, label + " " + key, "must be an array of tables, not " + toml_type_name(*node));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    const auto* sub = item.as_table();
    if (!sub) {
      fail(item, label + " " + key + "[" + std::to_string(i) + "]",
           "must be a table, not " + toml_type_name(item));
    }
    out.push_back({sub, &item});
  }
  return out;
}

const toml::table* TomlReader::inline_table(const toml::table& table, const std::string& label,
                                            const std::string& key) const {
  const toml::node* node = lookup(table, label, key, false);
  if (!node) return nullptr;
  const auto* sub = node->as_table();
  if (!sub) fail(*node, label + " " + key, "must be a table, not " + toml_type_name(*node));
  return sub;
}

}  // namespace berth::image_build
