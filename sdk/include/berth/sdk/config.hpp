// A plugin's view of its TOML table, independent of the TOML library the core uses
// (so that plugins do not have to match the core's toml++ version).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::sdk {

// What a plugin declares about each key of its table; the core checks the file against
// it before any stage runs, so plugins can read values without re-validating types.
enum class ValueType { string, integer, boolean, string_array, table, table_array };

inline const char* value_type_name(ValueType type) {
  switch (type) {
    case ValueType::string:
      return "a string";
    case ValueType::integer:
      return "an integer";
    case ValueType::boolean:
      return "a boolean";
    case ValueType::string_array:
      return "an array of strings";
    case ValueType::table:
      return "a table";
    case ValueType::table_array:
      return "an array of tables";
  }
  return "a value";
}

struct ConfigKey {
  // A constructor rather than aggregate initialisation, so schemas can leave out the
  // trailing members without -Wmissing-field-initializers noise in every plugin.
  ConfigKey(std::string key_name, ValueType key_type, std::string key_description,
            bool key_required = false, std::vector<ConfigKey> key_fields = {})
      : name(std::move(key_name)),
        type(key_type),
        description(std::move(key_description)),
        required(key_required),
        fields(std::move(key_fields)) {}

  std::string name;
  ValueType type = ValueType::string;
  std::string description;
  bool required = false;
  // For table and table_array: the keys allowed inside. A table with no fields is
  // free-form (any keys, any types), e.g. a daemon.json fragment.
  std::vector<ConfigKey> fields;
};

class ConfigTable;

// One value with the place it came from, for error messages.
struct ConfigValue {
  using Array = std::vector<ConfigValue>;
  using Table = std::shared_ptr<const ConfigTable>;
  std::variant<std::string, std::int64_t, bool, double, Array, Table> data;
  std::string where;  // "file:line"
};

class ConfigTable {
 public:
  ConfigTable() = default;
  ConfigTable(std::string name, std::string where)
      : name_(std::move(name)), where_(std::move(where)) {}

  void set(const std::string& key, ConfigValue value) { values_[key] = std::move(value); }

  const std::string& name() const { return name_; }  // e.g. "bootstrap" or "bootstrap.pins[0]"
  const std::string& where() const { return where_; }
  const std::map<std::string, ConfigValue>& values() const { return values_; }
  bool has(const std::string& key) const { return values_.count(key) != 0; }

  std::string where_of(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? where_ : it->second.where;
  }

  std::string get_string(const std::string& key, const std::string& fallback) const {
    const auto* value = find<std::string>(key);
    return value ? *value : fallback;
  }
  std::string require_string(const std::string& key) const {
    const auto* value = find<std::string>(key);
    if (!value) throw missing(key, ValueType::string);
    return *value;
  }
  std::int64_t get_int(const std::string& key, std::int64_t fallback) const {
    const auto* value = find<std::int64_t>(key);
    return value ? *value : fallback;
  }
  bool get_bool(const std::string& key, bool fallback) const {
    const auto* value = find<bool>(key);
    return value ? *value : fallback;
  }
  std::vector<std::string> get_strings(const std::string& key,
                                       const std::vector<std::string>& fallback = {}) const {
    const auto* array = find<ConfigValue::Array>(key);
    if (!array) return fallback;
    std::vector<std::string> out;
    for (const auto& item : *array) {
      const auto* text = std::get_if<std::string>(&item.data);
      if (!text)
        throw ConfigError(item.where, "[" + name_ + "] " + key + " must hold strings only");
      out.push_back(*text);
    }
    return out;
  }
  std::vector<std::shared_ptr<const ConfigTable>> get_tables(const std::string& key) const {
    std::vector<std::shared_ptr<const ConfigTable>> out;
    if (const auto* array = find<ConfigValue::Array>(key)) {
      for (const auto& item : *array) {
        if (const auto* table = std::get_if<ConfigValue::Table>(&item.data)) out.push_back(*table);
      }
    }
    return out;
  }
  std::shared_ptr<const ConfigTable> get_table(const std::string& key) const {
    const auto* table = find<ConfigValue::Table>(key);
    return table ? *table : std::make_shared<const ConfigTable>(name_ + "." + key, where_);
  }

  // Throw a ConfigError pointing at `key`; for checks a schema cannot express.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw ConfigError(where_of(key), "[" + name_ + "] " + key + ": " + message);
  }

 private:
  template <typename T>
  const T* find(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : std::get_if<T>(&it->second.data);
  }
  ConfigError missing(const std::string& key, ValueType type) const {
    return ConfigError(where_,
                       "[" + name_ + "] missing key '" + key + "' (" + value_type_name(type) + ")");
  }

  std::string name_;
  std::string where_;
  std::map<std::string, ConfigValue> values_;
};

}  // namespace berth::sdk
