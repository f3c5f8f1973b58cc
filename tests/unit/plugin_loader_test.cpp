#include "plugin_loader.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "berth/sdk/error.hpp"
#include "session.hpp"
#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;
using test::test_plugin_dir;

std::string load_error(const fs::path& file) {
  try {
    load_plugin_file(file);
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return "";
}

TEST(PluginLoader, LoadsAGoodPlugin) {
  const auto loaded = load_plugin_file(test_plugin_dir() / "test-good.so");
  EXPECT_EQ(loaded->info.name, "test-good");
  EXPECT_EQ(loaded->info.concern, "test");
  EXPECT_EQ(loaded->data_dir, test_plugin_dir() / "test-good");
}

TEST(PluginLoader, RefusesWrongAbi) {
  const auto error = load_error(test_plugin_dir() / "test-wrong-abi.so");
  EXPECT_NE(error.find("test-wrong-abi.so: built for SDK ABI 999"), std::string::npos) << error;
}

TEST(PluginLoader, RefusesMissingFactory) {
  const auto error = load_error(test_plugin_dir() / "test-no-factory.so");
  EXPECT_NE(error.find("test-no-factory.so: missing factory symbol berth_plugin_create"),
            std::string::npos)
      << error;
}

TEST(PluginLoader, RefusesAPluginWithoutAToolchainRecord) {
  const auto error = load_error(test_plugin_dir() / "test-no-toolchain.so");
  EXPECT_NE(error.find("test-no-toolchain.so: carries no toolchain record"), std::string::npos)
      << error;
  EXPECT_NE(error.find("rebuild it against this SDK"), std::string::npos) << error;
}

// Before 1.0 such a plugin said "ABI 1" and crashed `berth plan` with free(): invalid pointer.
TEST(PluginLoader, RefusesAPluginBuiltWithTheOtherStringAbi) {
  const auto error = load_error(test_plugin_dir() / "test-old-string-abi.so");
  EXPECT_NE(error.find("test-old-string-abi.so: built with the C++ library libstdc++/gcc4, this "
                       "berth uses libstdc++/cxx11"),
            std::string::npos)
      << error;
}

TEST(PluginLoader, RecordsTheToolchainOfAGoodPlugin) {
  const auto loaded = load_plugin_file(test_plugin_dir() / "test-good.so");
  EXPECT_EQ(loaded->toolchain.stdlib, core_toolchain().stdlib);
  EXPECT_GE(loaded->toolchain.standard, 202002L);
  EXPECT_FALSE(loaded->toolchain.compiler.empty());
  EXPECT_FALSE(loaded->toolchain.has_data);
}

TEST(PluginLoader, APluginThatShipsDataRefusesToLoadWithoutIt) {
  const auto error = load_error(test_plugin_dir() / "test-missing-data.so");
  EXPECT_NE(error.find("test-missing-data.so: its data directory " +
                       (test_plugin_dir() / "test-missing-data").string() + " is missing"),
            std::string::npos)
      << error;
  TempDir dir;
  fs::copy_file(test_plugin_dir() / "test-missing-data.so", dir.path() / "test-missing-data.so");
  fs::create_directory(dir.path() / "test-missing-data");
  EXPECT_TRUE(load_plugin_file(dir.path() / "test-missing-data.so")->toolchain.has_data);
}

TEST(PluginLoader, AFileWhoseNameIsNotThePluginsIsRefused) {
  TempDir dir;
  fs::copy_file(test_plugin_dir() / "test-good.so", dir.path() / "other-name.so");
  try {
    load_named_plugin_file("other-name", dir.path() / "other-name.so");
    FAIL() << "loaded a misnamed plugin";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("calls itself 'test-good', expected 'other-name'"),
              std::string::npos)
        << error.what();
  }
}

TEST(PluginLoader, DiscoveryListsEachNameOnceWithTheFilesItShadows) {
  const fs::path shadow = test_plugin_dir() / "shadow";
  const auto found = discover_plugin_files({test_plugin_dir(), shadow});
  int good = 0;
  for (const auto& plugin : found) {
    if (plugin.name != "test-good") continue;
    ++good;
    EXPECT_EQ(plugin.file, test_plugin_dir() / "test-good.so");
    ASSERT_EQ(plugin.shadowed.size(), 1u);
    EXPECT_EQ(plugin.shadowed[0], shadow / "test-good.so");
  }
  EXPECT_EQ(good, 1);
}

TEST(PluginLoader, RefusesAFileThatIsNotASharedObject) {
  const auto error = load_error(test_plugin_dir() / "test-not-elf.so");
  EXPECT_NE(error.find("test-not-elf.so: not a shared object"), std::string::npos) << error;
}

TEST(PluginLoader, RefusesASharedObjectThatIsNotAPlugin) {
  // Any system library will do: it is ELF but has no Berth symbols.
  const fs::path libc = "/lib/x86_64-linux-gnu/libz.so.1";
  ASSERT_TRUE(fs::exists(libc));
  TempDir dir;
  fs::copy_file(libc, dir.path() / "libz.so");
  const auto error = load_error(dir.path() / "libz.so");
  EXPECT_NE(error.find("not a Berth plugin"), std::string::npos) << error;
}

TEST(PluginLoader, UnknownNameSaysWhereItLooked) {
  try {
    load_plugin("no-such-plugin", {test_plugin_dir(), "/nowhere"});
    FAIL() << "no error";
  } catch (const sdk::Error& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("plugin 'no-such-plugin' not found"), std::string::npos) << text;
    EXPECT_NE(text.find(test_plugin_dir().string()), std::string::npos) << text;
    EXPECT_NE(text.find("/nowhere"), std::string::npos) << text;
  }
}

TEST(PluginLoader, ANameWithASlashOrDotsIsRefusedBeforeAnythingIsLoaded) {
  // test_plugin_dir() holds test-good.so: reached through "..", it would load.
  const std::string sneaky = "../" + test_plugin_dir().filename().string() + "/test-good";
  for (const std::string& name : {sneaky, std::string("/tmp/x"), std::string(".hidden"),
                                  std::string(""), std::string("a b")}) {
    try {
      load_plugin(name, {test_plugin_dir()});
      FAIL() << name << " was loaded";
    } catch (const sdk::Error& error) {
      EXPECT_EQ(std::string(error.what()),
                "plugin name '" + name +
                    "' is not a plugin name (letters, digits, - and _, starting with a letter or "
                    "digit)");
    }
  }
}

TEST(PluginLoader, SearchPathOrderConfigThenEnvThenExecutableThenInstallDir) {
  ::setenv("BERTH_PLUGIN_PATH", "/env/one:/env/two", 1);
  const auto path = plugin_search_path({"/from/config"});
  ::unsetenv("BERTH_PLUGIN_PATH");
  ASSERT_GE(path.size(), 4u);
  EXPECT_EQ(path[0], "/from/config");
  EXPECT_EQ(path[1], "/env/one");
  EXPECT_EQ(path[2], "/env/two");
  EXPECT_EQ(path.back().filename(), "plugins");
}

TEST(PluginLoader, PluginFoundThroughEnvironment) {
  ::setenv("BERTH_PLUGIN_PATH", test_plugin_dir().c_str(), 1);
  const auto loaded = load_plugin("test-good", plugin_search_path({}));
  ::unsetenv("BERTH_PLUGIN_PATH");
  EXPECT_EQ(loaded->info.name, "test-good");
}

// The session applies the rules that need the config: exclusive concerns, schema.
std::string session_error(const std::string& sections) {
  TempDir dir;
  const std::string text = "[berth]\nplugin_path = [\"" + test_plugin_dir().string() + "\"]\n" +
                           test::kDebianSection + sections;
  try {
    Session::open(dir.write("s.toml", text));
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return "";
}

TEST(Session, PluginPathFromConfig) {
  EXPECT_EQ(session_error("[t]\nplugin = \"test-good\"\nmessage = \"hi\"\n"), "");
}

TEST(Session, DuplicateExclusiveConcernIsRefused) {
  const auto error = session_error(
      "[boot]\nplugin = \"test-bootloader-a\"\n[boot2]\nplugin = \"test-bootloader-b\"\n");
  EXPECT_NE(
      error.find("s.toml:11: [boot2] plugin test-bootloader-b and [boot] plugin test-bootloader-a"),
      std::string::npos)
      << error;
  EXPECT_NE(error.find("exclusive concern 'bootloader'"), std::string::npos) << error;
}

TEST(Session, UnknownPluginNamesFileLineAndSection) {
  const auto error = session_error("[kernel]\nplugin = \"kernel-nowhere\"\n");
  EXPECT_NE(error.find("s.toml:9: [kernel] plugin 'kernel-nowhere' not found"), std::string::npos)
      << error;
}

TEST(Session, UnknownKeyForPlugin) {
  const auto error = session_error("[t]\nplugin = \"test-good\"\nmesage = \"typo\"\n");
  EXPECT_NE(error.find("s.toml:10: [t] unknown key 'mesage' (plugin test-good accepts"),
            std::string::npos)
      << error;
}

TEST(Session, WrongTypeForPluginKey) {
  const auto error = session_error("[t]\nplugin = \"test-good\"\ncount = \"many\"\n");
  EXPECT_NE(error.find("s.toml:10: [t] count must be an integer, not a string"), std::string::npos)
      << error;
}

// Calls into the plugin go through call_plugin (plugin_call_test.cpp): a throw is a message.
TEST(Session, ASchemaThatThrowsIsNamed) {
  EXPECT_EQ(session_error("[t]\nplugin = \"test-bad-schema\"\n"),
            "plugin test-bad-schema: its config schema: schema exploded");
}

TEST(Session, AnIntThrownFromRegisterHooksIsAMessageNotAnAbort) {
  EXPECT_EQ(session_error("[t]\nplugin = \"test-good\"\nthrow_int = true\n"),
            "plugin test-good: threw something that is not a std::exception");
}

TEST(Session, AMissingConcernAPluginNeedsIsRefusedWithTheSection) {
  const auto error = session_error("[filesystem]\nplugin = \"test-needs-kernel\"\n");
  EXPECT_NE(error.find("s.toml:9: [filesystem] plugin test-needs-kernel needs a plugin serving "
                       "'kernel', and none in this config does"),
            std::string::npos)
      << error;
  EXPECT_EQ(session_error("[filesystem]\nplugin = \"test-needs-kernel\"\n[kernel]\nplugin = "
                          "\"test-kernel\"\n"),
            "");
}

TEST(Session, ValidateSeesTheConfigDirectoryAndNamesTheKey) {
  const auto error = session_error("[t]\nplugin = \"test-picky\"\nmessage = \"missing.txt\"\n");
  EXPECT_NE(error.find("s.toml:10: [t] message: no file missing.txt beside the config"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace berth::core
