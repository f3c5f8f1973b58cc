// boot-grub2: the [boot] table and the medium id.
#include <gtest/gtest.h>

#include <fstream>

#include "berth/sdk/error.hpp"
#include "medium_id.hpp"
#include "settings.hpp"
#include "test_support.hpp"

namespace {

using namespace berth::boot_grub2;
using berth::sdk::ConfigError;
using berth::sdk::ConfigTable;
using berth::sdk::ConfigValue;

ConfigTable table() {
  return ConfigTable("boot", "berth.toml:50");
}

void set(ConfigTable& t, const std::string& key, ConfigValue::Array strings) {
  t.set(key, {std::move(strings), "berth.toml:53"});
}

std::string error_of(const ConfigTable& t) {
  try {
    read_settings(t);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(BootSettings, Defaults) {
  const Settings settings = read_settings(table());
  EXPECT_EQ(settings.timeout, 1);
  EXPECT_TRUE(settings.cmdline.empty());
  EXPECT_TRUE(settings.serial);
  EXPECT_EQ(settings.volume_id, "BERTH");
  EXPECT_TRUE(settings.modules.empty());
}

TEST(BootSettings, ReadsEveryKey) {
  ConfigTable t = table();
  t.set("timeout", {std::int64_t{0}, "berth.toml:51"});
  t.set("cmdline", {std::string("quiet foo=\"a b\""), "berth.toml:52"});
  t.set("serial", {false, "berth.toml:53"});
  t.set("volume_id", {std::string("Berth 0.1"), "berth.toml:54"});
  set(t, "modules",
      {{std::string("part_gpt"), "x"}, {std::string("lvm"), "x"}, {std::string("part_gpt"), "x"}});
  const Settings settings = read_settings(t);
  EXPECT_EQ(settings.timeout, 0);
  EXPECT_EQ(settings.cmdline, (std::vector<std::string>{"quiet", "foo=\"a b\""}));
  EXPECT_FALSE(settings.serial);
  EXPECT_EQ(settings.volume_id, "Berth 0.1");
  EXPECT_EQ(settings.modules, (std::vector<std::string>{"part_gpt", "lvm"}));
}

TEST(BootSettings, ErrorsNameTheKeyAndItsLine) {
  ConfigTable timeout = table();
  timeout.set("timeout", {std::int64_t{-2}, "berth.toml:51"});
  EXPECT_EQ(error_of(timeout), "berth.toml:51: [boot] timeout: must be -1 (wait forever) or more");

  ConfigTable cmdline = table();
  cmdline.set("cmdline", {std::string("foo=\"bar"), "berth.toml:52"});
  EXPECT_NE(error_of(cmdline).find("berth.toml:52: [boot] cmdline: unbalanced"), std::string::npos);

  ConfigTable backslash = table();
  backslash.set("cmdline", {std::string("root=C:\\x"), "berth.toml:52"});
  EXPECT_NE(error_of(backslash).find("berth.toml:52: [boot] cmdline: GRUB would pass"),
            std::string::npos);

  for (const std::string bad : {"", "BERTH/ISO", "THIS-VOLUME-ID-IS-LONGER-THAN-32-CHARS", "a'b"}) {
    ConfigTable volume = table();
    volume.set("volume_id", {bad, "berth.toml:54"});
    EXPECT_NE(error_of(volume).find("berth.toml:54: [boot] volume_id: '" + bad + "'"),
              std::string::npos)
        << bad;
  }

  ConfigTable modules = table();
  set(modules, "modules", {{std::string("--output=/etc/passwd"), "x"}});
  EXPECT_NE(error_of(modules).find("[boot] modules: '--output=/etc/passwd' is not a GRUB module"),
            std::string::npos);
}

TEST(BootSettings, SchemaListsTheKeys) {
  std::vector<std::string> names;
  for (const auto& key : config_schema()) names.push_back(key.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"timeout", "cmdline", "serial", "volume_id", "modules"}));
}

TEST(Fnv1a64, KnownValues) {
  Fnv1a64 empty;
  EXPECT_EQ(empty.hex(), "cbf29ce484222325");
  Fnv1a64 a;
  a.update("a");
  EXPECT_EQ(a.hex(), "af63dc4c8601ec8c");
  Fnv1a64 foobar;
  foobar.update("foo");
  foobar.update("bar");
  EXPECT_EQ(foobar.hex(), "85944171f73967e8");
}

TEST(MediumId, DiffersWhenAnyInputDiffersAndRepeatsOtherwise) {
  berth::test::TempDir dir;
  const auto kernel = dir.write("vmlinuz", "kernel bytes");
  const auto initrd = dir.write("initrd.img", "initrd bytes");
  const auto other = dir.write("initrd2.img", "initrd bytes, another build");
  const std::string id = medium_id("BERTH", 1700000000, {kernel, initrd});
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(medium_id("BERTH", 1700000000, {kernel, initrd}), id);
  EXPECT_NE(medium_id("BERTH", 1700000000, {kernel, other}), id);
  EXPECT_NE(medium_id("BERTH", 1700000001, {kernel, initrd}), id);
  EXPECT_NE(medium_id("BERTH2", 1700000000, {kernel, initrd}), id);
  // A byte moved from the end of one file to the start of the next makes another id,
  // even when it is the separator byte.
  const auto ends_with_nul = dir.write("a", std::string("x\0", 2));
  const auto plain = dir.write("b", "y");
  const auto starts_with_nul = dir.write("c", std::string("\0y", 2));
  const auto plain_x = dir.write("d", "x");
  EXPECT_NE(medium_id("BERTH", 1, {ends_with_nul, plain}),
            medium_id("BERTH", 1, {plain_x, starts_with_nul}));
  EXPECT_THROW(medium_id("BERTH", 1700000000, {dir.path() / "missing"}), berth::sdk::Error);
}

}  // namespace
