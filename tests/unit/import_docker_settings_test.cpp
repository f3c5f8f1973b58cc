// import-docker: the [import] table. What is refused before any stage runs, with the
// file:line of the entry and the path in a one-line message.
#include <gtest/gtest.h>

#include <map>

#include "berth/sdk/error.hpp"
#include "berth/sdk/plugin.hpp"
#include "berth/sdk/testing/hook_registry.hpp"
#include "berth/sdk/testing/validate_context.hpp"
#include "import_docker_fixtures.hpp"
#include "settings.hpp"
#include "test_support.hpp"

extern "C" berth::sdk::Plugin* berth_plugin_create();

namespace berth::import_docker {
namespace {

using berth::test::TempDir;
using test::Filter;

// [import] images = [ ...one entry per line... ], the array opening on line 2.
sdk::ConfigTable images_table(const std::vector<std::string>& paths) {
  sdk::ConfigTable table("import", "images.toml:1");
  sdk::ConfigValue::Array items;
  int line = 3;
  for (const auto& path : paths) {
    items.push_back({path, "images.toml:" + std::to_string(line++)});
  }
  table.set("images", {items, "images.toml:2"});
  return table;
}

std::string settings_error(const std::vector<std::string>& paths) {
  try {
    read_settings(images_table(paths));
  } catch (const sdk::ConfigError& error) {
    return error.what();
  }
  return "";
}

std::string check_error(const std::string& path, const fs::path& config_dir) {
  const Settings settings = read_settings(images_table({path}));
  try {
    check_image(settings, settings.images.front(),
                resolve_image_path(settings.images.front().path, config_dir));
  } catch (const sdk::ConfigError& error) {
    return error.what();
  }
  return "";
}

using Recorder = sdk::testing::RecordingHookRegistry;

std::unique_ptr<sdk::Plugin> plugin() {
  return std::unique_ptr<sdk::Plugin>(berth_plugin_create());
}

std::map<sdk::Stage, int> orders(const Recorder& recorder) {
  std::map<sdk::Stage, int> out;
  for (const auto& hook : recorder.hooks) out[hook.stage] = hook.order;
  return out;
}

TEST(ImportDockerSettings, SchemaIsAListOfPathsAndWhereJqComesFrom) {
  const auto schema = plugin()->config_schema();
  ASSERT_EQ(schema.size(), 2u);
  EXPECT_EQ(schema[0].name, "images");
  EXPECT_EQ(schema[0].type, sdk::ValueType::string_array);
  EXPECT_FALSE(schema[0].required);
  EXPECT_EQ(schema[1].name, "jq");
  EXPECT_EQ(schema[1].type, sdk::ValueType::string);
  EXPECT_FALSE(schema[1].required);
}

TEST(ImportDockerSettings, NoImagesByDefault) {
  EXPECT_TRUE(read_settings(sdk::ConfigTable("import", "images.toml:1")).images.empty());
}

TEST(ImportDockerSettings, EntriesKeepWhereTheyWereWritten) {
  const Settings settings = read_settings(images_table({"images/tool.tar.gz", "/srv/db.tar"}));
  ASSERT_EQ(settings.images.size(), 2u);
  EXPECT_EQ(settings.images[0].path, "images/tool.tar.gz");
  EXPECT_EQ(settings.images[0].where, "images.toml:3");
  EXPECT_EQ(settings.images[0].file_name, "tool.tar.gz");
  EXPECT_EQ(settings.images[1].file_name, "db.tar");
  EXPECT_EQ(settings.images[1].where, "images.toml:4");
}

TEST(ImportDockerSettings, TwoArchivesWithOneFileNameAreRefused) {
  EXPECT_EQ(settings_error({"a/tool.tar", "other.tar", "/srv/b/tool.tar"}),
            "images.toml:5: [import] images: /srv/b/tool.tar: same file name as a/tool.tar "
            "(images.toml:3); both would be berth/images/tool.tar on the medium");
}

TEST(ImportDockerSettings, NamesTheImporterWouldSkipAreRefused) {
  EXPECT_EQ(settings_error({""}), "images.toml:3: [import] images: an empty path");
  EXPECT_EQ(settings_error({"images/"}),
            "images.toml:3: [import] images: images/: names a directory, not a file");
  EXPECT_EQ(settings_error({".."}),
            "images.toml:3: [import] images: ..: names a directory, not a file");
  EXPECT_EQ(settings_error({"x/.tool.tar"}),
            "images.toml:3: [import] images: x/.tool.tar: '.tool.tar' is a hidden file name, "
            "which the importer at boot skips");
  EXPECT_EQ(settings_error({"my tool.tar"}),
            "images.toml:3: [import] images: my tool.tar: 'my tool.tar' holds a space or a "
            "control character; the importer at boot takes one file name per word");
  EXPECT_EQ(settings_error({"tool.tar.sha256"}),
            "images.toml:3: [import] images: tool.tar.sha256: 'tool.tar.sha256' ends in "
            ".sha256, which the importer at boot takes for a note and skips");
}

TEST(ImportDockerSettings, RelativePathsStartAtTheConfigDirectory) {
  EXPECT_EQ(resolve_image_path("images/tool.tar", "/home/me/berth"),
            fs::path("/home/me/berth/images/tool.tar"));
  EXPECT_EQ(resolve_image_path("../tool.tar", "/home/me/berth"), fs::path("/home/me/tool.tar"));
  EXPECT_EQ(resolve_image_path("/srv/tool.tar", "/home/me/berth"), fs::path("/srv/tool.tar"));
}

TEST(ImportDockerSettings, MissingFileAndDirectoryAreRefused) {
  TempDir dir;
  fs::create_directories(dir.path() / "images/tool.tar");
  EXPECT_EQ(check_error("missing.tar", dir.path()),
            "images.toml:3: [import] images: " + (dir.path() / "missing.tar").string() +
                ": no such file");
  EXPECT_EQ(check_error("images/tool.tar", dir.path()),
            "images.toml:3: [import] images: " + (dir.path() / "images/tool.tar").string() +
                ": a directory, not an archive file");
}

TEST(ImportDockerSettings, FilesThatAreNoImageArchiveAreRefused) {
  TempDir dir;
  dir.write("tool.tar", "not a tar\n");
  EXPECT_EQ(check_error("tool.tar", dir.path()),
            "images.toml:3: [import] images: " + (dir.path() / "tool.tar").string() +
                ": not a docker image archive (Unrecognized archive format)");
}

TEST(ImportDockerSettings, ImageArchivesPass) {
  TempDir dir;
  test::write_tar(dir.path() / "tool.tar.zst", test::docker_save_members(), Filter::zstd);
  EXPECT_EQ(check_error("tool.tar.zst", dir.path()), "");
}

TEST(ImportDockerPlugin, ABadArchiveFailsValidation) {
  TempDir dir;
  const fs::path text = dir.write("tool.tar", "hello\n");
  try {
    plugin()->validate(images_table({text.string()}), sdk::testing::FakeValidateContext("/"));
    FAIL() << "a text file was taken for an image archive";
  } catch (const sdk::ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "images.toml:3: [import] images: " + text.string() +
                  ": not a docker image archive (Unrecognized archive format)");
  }
}

TEST(ImportDockerPlugin, ValidationFindsRelativePathsBesideTheConfigAndNoHookChecksAgain) {
  TempDir dir;
  test::write_tar(dir.path() / "tool.tar", test::oci_members(), Filter::none);
  const sdk::testing::FakeValidateContext context(dir.path());
  EXPECT_NO_THROW(plugin()->validate(images_table({"tool.tar"}), context));
  EXPECT_THROW(plugin()->validate(images_table({"images/tool.tar"}), context), sdk::ConfigError);
  Recorder recorder;
  plugin()->register_hooks(images_table({"tool.tar"}), recorder);
  const auto registered = orders(recorder);
  EXPECT_EQ(registered.count(sdk::Stage::bootstrap), 0u);
  EXPECT_EQ(registered.at(sdk::Stage::customize), 70);
  EXPECT_EQ(registered.at(sdk::Stage::bootloader), 20);  // before boot-grub2 writes the ISO
}

TEST(ImportDockerPlugin, NoImagesStillShipsTheImporter) {
  Recorder recorder;
  plugin()->register_hooks(sdk::ConfigTable("import", "images.toml:1"), recorder);
  const auto registered = orders(recorder);
  EXPECT_EQ(registered.count(sdk::Stage::bootstrap), 0u);
  EXPECT_EQ(registered.count(sdk::Stage::customize), 1u);
}

}  // namespace
}  // namespace berth::import_docker
