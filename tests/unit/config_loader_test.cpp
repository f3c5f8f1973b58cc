#include "config_loader.hpp"

#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;

TEST(ConfigLoader, ReadsSectionsWithPluginNamesAndLines) {
  TempDir dir;
  const auto file = dir.write("b.toml",
                              "[berth]\nname = \"x\"\n\n[kernel]\nplugin = "
                              "\"kernel-debian\"\npackage = \"linux-image-amd64\"\n");
  const auto config = load_config(file);
  ASSERT_EQ(config.sections.size(), 1u);
  EXPECT_EQ(config.sections[0].name, "kernel");
  EXPECT_EQ(config.sections[0].plugin, "kernel-debian");
  EXPECT_FALSE(config.sections[0].table->has("plugin"));
  EXPECT_EQ(config.sections[0].table->get_string("package", ""), "linux-image-amd64");
  EXPECT_NE(config.sections[0].table->where_of("package").find("b.toml:6"), std::string::npos);
  EXPECT_EQ(config.berth->get_string("name", ""), "x");
}

TEST(ConfigLoader, SyntaxErrorNamesFileAndLine) {
  TempDir dir;
  const auto file = dir.write("bad.toml", "[berth]\nname = \"x\"\nbroken = = 3\n");
  try {
    load_config(file);
    FAIL() << "no error";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.toml:3"), std::string::npos) << error.what();
  }
}

TEST(ConfigLoader, SectionWithoutPluginIsAnError) {
  TempDir dir;
  const auto file = dir.write("c.toml", "[kernel]\npackage = \"x\"\n");
  try {
    load_config(file);
    FAIL() << "no error";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("c.toml:1: [kernel] has no 'plugin' key"),
              std::string::npos)
        << error.what();
  }
}

TEST(ConfigLoader, MissingFileIsNamed) {
  EXPECT_THROW(
      {
        try {
          load_config("/nonexistent/berth.toml");
        } catch (const sdk::ConfigError& error) {
          EXPECT_NE(std::string(error.what()).find("/nonexistent/berth.toml"), std::string::npos);
          throw;
        }
      },
      sdk::ConfigError);
}

TEST(ConfigLoader, ExtendsOverridesKeyByKey) {
  TempDir dir;
  dir.write("base.toml", "[fs]\nplugin = \"fs-squashfs\"\ncompression = \"xz\"\nblock_size = 4\n");
  const auto file =
      dir.write("test.toml", "[berth]\nextends = \"base.toml\"\n[fs]\ncompression = \"zstd\"\n");
  const auto config = load_config(file);
  ASSERT_EQ(config.sections.size(), 1u);
  EXPECT_EQ(config.sections[0].plugin, "fs-squashfs");
  EXPECT_EQ(config.sections[0].table->get_string("compression", ""), "zstd");
  EXPECT_EQ(config.sections[0].table->get_int("block_size", 0), 4);
  EXPECT_NE(config.sections[0].table->where_of("compression").find("test.toml:4"),
            std::string::npos);
}

TEST(ConfigLoader, ExtendsWithAnotherPluginStartsTheSectionAfresh) {
  TempDir dir;
  dir.write("base.toml", "[kernel]\nplugin = \"kernel-debian\"\npackage = \"linux-image-amd64\"\n");
  const auto file = dir.write(
      "test.toml", "[berth]\nextends = \"base.toml\"\n[kernel]\nplugin = \"kernel-source\"\n");
  const auto config = load_config(file);
  ASSERT_EQ(config.sections.size(), 1u);
  EXPECT_EQ(config.sections[0].plugin, "kernel-source");
  EXPECT_FALSE(config.sections[0].table->has("package"));
}

TEST(ConfigLoader, ExtendsLoopIsRefused) {
  TempDir dir;
  dir.write("a.toml", "[berth]\nextends = \"b.toml\"\n");
  const auto file = dir.write("b.toml", "[berth]\nextends = \"a.toml\"\n");
  EXPECT_THROW(load_config(file), sdk::ConfigError);
}

}  // namespace
}  // namespace berth::core
