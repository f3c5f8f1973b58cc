// gui-xpra, build side: the [gui] settings and their errors, the hooks the plugin adds, the
// recipe checks (an unknown name lists the recipes there are), the rootfs files, and the
// images landing on the ISO tree (from a seeded result cache: no mmdebstrap here).
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "berth/sdk/error.hpp"
#include "berth/sdk/plugin.hpp"
#include "berth/sdk/testing/hook_registry.hpp"
#include "image_build_context.hpp"
#include "image_builder.hpp"
#include "image_cache.hpp"
#include "settings.hpp"
#include "stages.hpp"

extern "C" berth::sdk::Plugin* berth_plugin_create();

namespace berth::gui_xpra {
namespace {

using image_build::test::bytes_of;
using image_build::test::FakeContext;
using image_build::test::write_file;

std::string recipe_text(const std::string& name) {
  return "[image]\nname = \"" + name +
         "\"\n[debian]\nsuite = \"bookworm\"\n"
         "sources = [ { uri = \"http://deb.debian.org/debian\", suites = [\"bookworm\"] } ]\n"
         "[packages]\ninclude = [\"xterm\"]\n";
}

sdk::ConfigTable table(const std::vector<std::string>* images, const std::string& compression) {
  sdk::ConfigTable t("gui", "berth.toml:20");
  if (images) {
    sdk::ConfigValue::Array items;
    int line = 22;
    for (const auto& name : *images)
      items.push_back({name, "berth.toml:" + std::to_string(line++)});
    t.set("images", {items, "berth.toml:21"});
  }
  if (!compression.empty()) t.set("compression", {compression, "berth.toml:30"});
  return t;
}

Settings settings_for(const std::vector<std::string>& images, const std::string& compression = "") {
  return read_settings(table(&images, compression));
}

std::string config_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const sdk::ConfigError& error) {
    return error.what();
  }
  return "no ConfigError";
}

TEST(GuiXpraSettings, DefaultsAreTheFourImagesAsZstd) {
  const Settings settings = read_settings(table(nullptr, ""));
  std::vector<std::string> names;
  for (const auto& image : settings.images) names.push_back(image.name);
  EXPECT_EQ(names, (std::vector<std::string>{"xpra", "xephyr", "xterm", "console"}));
  EXPECT_EQ(settings.compression, sdk::Compression::zstd);
}

TEST(GuiXpraSettings, ChosenImagesAndXz) {
  const Settings settings = settings_for({"xterm"}, "xz");
  ASSERT_EQ(settings.images.size(), 1u);
  EXPECT_EQ(settings.images[0].name, "xterm");
  EXPECT_EQ(settings.images[0].where, "berth.toml:22");
  EXPECT_EQ(settings.compression, sdk::Compression::xz);
  EXPECT_TRUE(settings_for({}).images.empty());
}

TEST(GuiXpraSettings, BadValuesNameTheLineAndKey) {
  EXPECT_EQ(config_error([] { settings_for({"xterm"}, "gzip"); }),
            "berth.toml:30: [gui] compression: 'gzip' is not zstd or xz");
  EXPECT_EQ(config_error([] {
              settings_for({"xterm", "../etc/x"});
            }).rfind("berth.toml:23: [gui] images: '../etc/x' is not a recipe name", 0),
            0u);
  EXPECT_EQ(config_error([] {
              settings_for({"xterm", "xterm"});
            }),
            "berth.toml:23: [gui] images: 'xterm' listed twice");
}

struct Added {
  std::string stage;
  int order;
  std::string name;
  bool operator==(const Added&) const = default;
};

std::vector<Added> added(const sdk::testing::RecordingHookRegistry& registry) {
  std::vector<Added> out;
  for (const auto& hook : registry.hooks) {
    out.push_back({std::string(sdk::stage_name(hook.stage)), hook.order, hook.name});
  }
  return out;
}

TEST(GuiXpraPlugin, ExclusiveGuiConcernWithItsHooksBeforeTheIsoIsWritten) {
  std::unique_ptr<sdk::Plugin> plugin(berth_plugin_create());
  const auto info = plugin->info();
  EXPECT_EQ(info.name, "gui-xpra");
  EXPECT_EQ(info.concern, "gui");
  EXPECT_TRUE(info.exclusive);
  EXPECT_EQ(info.description.find('\n'), std::string::npos);
  sdk::testing::RecordingHookRegistry registry;
  plugin->register_hooks(table(nullptr, ""), registry);
  EXPECT_EQ(added(registry),
            (std::vector<Added>{{"customize", 70, "gui files"},
                                // boot-grub2 writes the ISO at bootloader 50.
                                {"bootloader", 20, "gui images to berth/images"}}));
  EXPECT_THROW(plugin->register_hooks(table(nullptr, "lz4"), registry), sdk::ConfigError);
}

class GuiStagesTest : public ::testing::Test {
 protected:
  GuiStagesTest() {
    ctx_.set_data_dir(ctx_.top() / "data");
    write_file(recipe_file(ctx_.data_dir(), "xterm"), recipe_text("berth/xterm"));
    write_file(recipe_file(ctx_.data_dir(), "console"), recipe_text("berth/console"));
    write_file(ctx_.data_dir() / "images/README", "not a recipe");
  }

  // What an earlier build left in the result cache for `name`.
  std::string seed_cache(const std::string& name, sdk::Compression compression) {
    const auto recipe = image_build::read_recipe(recipe_file(ctx_.data_dir(), name));
    const auto key =
        image_build::image_cache_key(recipe, compression, "amd64", ctx_.berth_version());
    const fs::path entry =
        image_build::cached_archive_path(ctx_.cache_dir(), recipe, key, compression);
    const std::string bytes = "archive of " + name + std::string(3000, 'x');
    write_file(entry, bytes);
    return bytes;
  }

  FakeContext ctx_;
};

TEST_F(GuiStagesTest, AnUnknownImageListsTheRecipesThereAre) {
  const Settings settings = settings_for({"xterm", "firefox"});
  EXPECT_EQ(config_error([&] { check_recipes(settings, ctx_.data_dir()); }),
            "berth.toml:23: [gui] images: no recipe 'firefox' (recipes in " +
                (ctx_.data_dir() / "images").string() + ": console, xterm)");
  EXPECT_EQ(available_recipes(ctx_.data_dir()), (std::vector<std::string>{"console", "xterm"}));
  EXPECT_NO_THROW(check_recipes(settings_for({"xterm", "console"}), ctx_.data_dir()));
}

TEST_F(GuiStagesTest, ABadRecipeFailsTheCheckWithItsOwnMessage) {
  write_file(recipe_file(ctx_.data_dir(), "xterm"), "[image]\nname = \"XTerm\"\n");
  const std::string message =
      config_error([&] { check_recipes(settings_for({"xterm"}), ctx_.data_dir()); });
  EXPECT_EQ(message.rfind(recipe_file(ctx_.data_dir(), "xterm").string() + ":2: [image] name: ", 0),
            0u)
      << message;
}

TEST_F(GuiStagesTest, TwoRecipesForOneArchiveNameAreRefused) {
  write_file(recipe_file(ctx_.data_dir(), "xterm2"), recipe_text("other/xterm"));
  const std::string message = config_error([&] {
    read_recipes(settings_for({"xterm", "xterm2"}), ctx_.data_dir());
  });
  EXPECT_NE(message.find("both make berth/images/xterm.tar.zst"), std::string::npos) << message;
}

TEST_F(GuiStagesTest, GuiFilesNeedTheDockerCli) {
  try {
    install_gui_files(ctx_);
    FAIL() << "installed without docker";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("no /usr/bin/docker in the rootfs"),
              std::string::npos);
  }
  write_file(ctx_.rootfs() / "usr/bin/docker", "");
  EXPECT_NO_THROW(install_gui_files(ctx_));
}

TEST_F(GuiStagesTest, CachedImagesLandOnTheIsoTreeAndInTheReport) {
  const std::string xterm = seed_cache("xterm", sdk::Compression::xz);
  const std::string console = seed_cache("console", sdk::Compression::xz);
  ship_gui_images(ctx_, settings_for({"xterm", "console"}, "xz"));
  const fs::path medium = ctx_.iso_root() / "berth/images";
  EXPECT_EQ(bytes_of(medium / "xterm.tar.xz"), xterm);
  EXPECT_EQ(bytes_of(medium / "console.tar.xz"), console);
  EXPECT_TRUE(ctx_.runs.empty());  // no mmdebstrap: both came from the cache
  EXPECT_EQ(ctx_.sizes.at("gui-images"), xterm.size() + console.size());
  EXPECT_TRUE(ctx_.logged("berth/images/xterm.tar.xz: berth/xterm:latest, 0.0 MiB"));
}

TEST_F(GuiStagesTest, NoImagesLeaveTheIsoTreeAlone) {
  ship_gui_images(ctx_, settings_for({}));
  EXPECT_FALSE(fs::exists(ctx_.iso_root() / "berth"));
  EXPECT_EQ(ctx_.sizes.count("gui-images"), 0u);
}

}  // namespace
}  // namespace berth::gui_xpra
