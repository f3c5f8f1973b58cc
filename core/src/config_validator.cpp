#include "config_validator.hpp"

#include <algorithm>

#include "berth/sdk/error.hpp"

namespace berth::core {
namespace {

using sdk::ConfigError;
using sdk::ConfigValue;
using sdk::ValueType;

std::string describe(const ConfigValue& value) {
  switch (value.data.index()) {
    case 0:
      return "a string";
    case 1:
      return "an integer";
    case 2:
      return "a boolean";
    case 3:
      return "a float";
    case 4:
      return "an array";
    default:
      return "a table";
  }
}

bool is_table(const ConfigValue& value) {
  return std::holds_alternative<ConfigValue::Table>(value.data);
}

bool matches(const ConfigValue& value, ValueType type) {
  switch (type) {
    case ValueType::string:
      return std::holds_alternative<std::string>(value.data);
    case ValueType::integer:
      return std::holds_alternative<std::int64_t>(value.data);
    case ValueType::boolean:
      return std::holds_alternative<bool>(value.data);
    case ValueType::table:
      return is_table(value);
    case ValueType::string_array:
    case ValueType::table_array: {
      const auto* items = std::get_if<ConfigValue::Array>(&value.data);
      if (!items) return false;
      const bool want_tables = type == ValueType::table_array;
      return std::all_of(items->begin(), items->end(), [&](const ConfigValue& item) {
        return want_tables ? is_table(item) : std::holds_alternative<std::string>(item.data);
      });
    }
  }
  return false;
}

std::string key_list(const std::vector<sdk::ConfigKey>& schema) {
  if (schema.empty()) return "none";
  std::string out;
  for (const auto& key : schema) out += (out.empty() ? "" : ", ") + key.name;
  return out;
}

}  // namespace

void validate_table(const sdk::ConfigTable& table, const std::vector<sdk::ConfigKey>& schema,
                    const std::string& owner) {
  for (const auto& [name, value] : table.values()) {
    auto key = std::find_if(schema.begin(), schema.end(),
                            [&](const sdk::ConfigKey& k) { return k.name == name; });
    if (key == schema.end()) {
      throw ConfigError(value.where, "[" + table.name() + "] unknown key '" + name + "' (" + owner +
                                         " accepts: " + key_list(schema) + ")");
    }
    if (!matches(value, key->type)) {
      throw ConfigError(value.where, "[" + table.name() + "] " + name + " must be " +
                                         sdk::value_type_name(key->type) + ", not " +
                                         describe(value));
    }
    // Free-form tables (no fields declared) are passed through as they are.
    if (key->fields.empty()) continue;
    if (key->type == ValueType::table) {
      validate_table(*std::get<ConfigValue::Table>(value.data), key->fields, owner);
    } else if (key->type == ValueType::table_array) {
      for (const auto& item : std::get<ConfigValue::Array>(value.data)) {
        validate_table(*std::get<ConfigValue::Table>(item.data), key->fields, owner);
      }
    }
  }
  for (const auto& key : schema) {
    if (key.required && !table.has(key.name)) {
      throw ConfigError(table.where(), "[" + table.name() + "] missing required key '" + key.name +
                                           "' (" + sdk::value_type_name(key.type) + ")");
    }
  }
}

}  // namespace berth::core
