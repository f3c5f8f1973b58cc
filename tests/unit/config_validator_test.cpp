#include "config_validator.hpp"

#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "config_loader.hpp"
#include "core_schema.hpp"
#include "test_support.hpp"

namespace berth::core {
namespace {

using sdk::ConfigKey;
using sdk::ValueType;
using test::TempDir;

const std::vector<ConfigKey> kSchema = {
    {"name", ValueType::string, "", true},
    {"count", ValueType::integer, ""},
    {"list", ValueType::string_array, ""},
    {"free", ValueType::table, ""},
    {"pins", ValueType::table_array, "", false, {{"package", ValueType::string, "", true}}},
};

std::string error_for(const std::string& toml) {
  TempDir dir;
  const auto config = load_config(dir.write("v.toml", toml));
  try {
    validate_table(*config.sections.at(0).table, kSchema, "plugin p");
  } catch (const sdk::ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(ConfigValidator, AcceptsAValidTable) {
  EXPECT_EQ(error_for("[s]\nplugin = \"p\"\nname = \"a\"\ncount = 3\nlist = [\"x\"]\n"
                      "free = { anything = 1, nested = { ok = true } }\n"
                      "[[s.pins]]\npackage = \"x\"\n"),
            "");
}

TEST(ConfigValidator, UnknownKeyNamesFileLineSectionAndKey) {
  const auto error = error_for("[s]\nplugin = \"p\"\nname = \"a\"\ncolour = \"red\"\n");
  EXPECT_NE(error.find("v.toml:4"), std::string::npos) << error;
  EXPECT_NE(error.find("[s] unknown key 'colour'"), std::string::npos) << error;
  EXPECT_NE(error.find("plugin p accepts"), std::string::npos) << error;
}

TEST(ConfigValidator, WrongTypeNamesExpectedAndActual) {
  const auto error = error_for("[s]\nplugin = \"p\"\nname = \"a\"\ncount = \"three\"\n");
  EXPECT_NE(error.find("v.toml:4: [s] count must be an integer, not a string"), std::string::npos)
      << error;
}

TEST(ConfigValidator, ArrayOfWrongElementsIsRefused) {
  const auto error = error_for("[s]\nplugin = \"p\"\nname = \"a\"\nlist = [1, 2]\n");
  EXPECT_NE(error.find("list must be an array of strings"), std::string::npos) << error;
}

TEST(ConfigValidator, MissingRequiredKey) {
  const auto error = error_for("[s]\nplugin = \"p\"\ncount = 1\n");
  EXPECT_NE(error.find("v.toml:1: [s] missing required key 'name'"), std::string::npos) << error;
}

TEST(ConfigValidator, NestedTableArrayFieldsAreChecked) {
  const auto error =
      error_for("[s]\nplugin = \"p\"\nname = \"a\"\n[[s.pins]]\npackage = \"x\"\nprio = 3\n");
  EXPECT_NE(error.find("v.toml:6"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown key 'prio'"), std::string::npos) << error;
}

TEST(DebianSources, ExpandsSuitesAndPins) {
  TempDir dir;
  const auto config = load_config(dir.write(
      "d.toml",
      std::string(test::kDebianSection) +
          "[[debian.sources]]\nuri = \"http://security\"\nsuites = [\"trixie-security\"]\n"
          "components = [\"main\", \"contrib\"]\n"
          "[[debian.pins]]\npackage = \"*\"\nrelease = \"trixie-backports\"\npriority = 100\n"));
  const auto debian = read_debian_sources(config);
  EXPECT_EQ(debian.suite, "trixie");
  EXPECT_EQ(debian.architecture, "amd64");
  ASSERT_EQ(debian.sources.size(), 2u);
  EXPECT_EQ(debian.sources[1].suite, "trixie-security");
  EXPECT_EQ(debian.sources[1].components.size(), 2u);
  ASSERT_EQ(debian.pins.size(), 1u);
  EXPECT_EQ(debian.pins[0].priority, 100);
}

TEST(DebianSources, PinWithoutPriorityIsAnError) {
  TempDir dir;
  const auto config =
      load_config(dir.write("d.toml", std::string(test::kDebianSection) +
                                          "[[debian.pins]]\npackage = \"x\"\nrelease = \"y\"\n"));
  try {
    read_debian_sources(config);
    FAIL() << "no error";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("missing required key 'priority'"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace berth::core
