#include "core_schema.hpp"

#include "config_validator.hpp"

namespace berth::core {

using sdk::ConfigKey;
using sdk::ValueType;

const std::vector<ConfigKey>& berth_schema() {
  static const std::vector<ConfigKey> schema = {
      {"name", ValueType::string, "name of the build, used for the ISO volume and file names"},
      {"extends", ValueType::string, "another config file this one overrides, key by key"},
      {"plugin_path", ValueType::string_array, "extra plugin directories, relative to this file"},
      {"source_date_epoch", ValueType::integer,
       "timestamp for every file in the output (default: $SOURCE_DATE_EPOCH or 1700000000)"},
  };
  return schema;
}

const std::vector<ConfigKey>& debian_schema() {
  static const std::vector<ConfigKey> schema = {
      {"suite", ValueType::string, "the Debian release the image is made of", true},
      {"architecture", ValueType::string, "dpkg architecture (default amd64)"},
      {"keyring", ValueType::string, "OpenPGP keyring that signs the sources"},
      {"sources",
       ValueType::table_array,
       "apt sources",
       true,
       {{"uri", ValueType::string, "archive URI", true},
        {"suites", ValueType::string_array, "suites from this URI", true},
        {"components", ValueType::string_array, "components (default: main)"}}},
      {"pins",
       ValueType::table_array,
       "apt pinning, as in apt_preferences(5)",
       false,
       {{"package", ValueType::string, "package name, glob or *", true},
        {"release", ValueType::string, "suite or codename (n=...)", true},
        {"priority", ValueType::integer, "Pin-Priority", true}}},
  };
  return schema;
}

sdk::DebianSources read_debian_sources(const LoadedConfig& config) {
  const sdk::ConfigTable& table = *config.debian;
  validate_table(table, debian_schema(), "berth");
  sdk::DebianSources debian;
  debian.suite = table.require_string("suite");
  debian.architecture = table.get_string("architecture", "amd64");
  debian.keyring = table.get_string("keyring", "/usr/share/keyrings/debian-archive-keyring.gpg");
  if (debian.keyring.is_relative()) debian.keyring = config.dir / debian.keyring;
  for (const auto& source : table.get_tables("sources")) {
    for (const auto& suite : source->get_strings("suites")) {
      debian.sources.push_back(
          {source->require_string("uri"), suite, source->get_strings("components", {"main"})});
    }
  }
  for (const auto& pin : table.get_tables("pins")) {
    const auto priority = pin->get_int("priority", 500);
    if (priority < -32768 || priority > 32767) pin->fail("priority", "out of range");
    debian.pins.push_back({pin->require_string("package"), pin->require_string("release"),
                           static_cast<int>(priority)});
  }
  return debian;
}

}  // namespace berth::core
