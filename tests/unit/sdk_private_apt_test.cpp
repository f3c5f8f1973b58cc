// The SDK's confined apt: every path apt reads or writes lies under the plugin's root,
// and the layout it expects is there.
#include <gtest/gtest.h>

#include <algorithm>

#include "berth/sdk/private_apt.hpp"
#include "berth/sdk/testing/temp_dir.hpp"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;

TEST(SdkPrivateApt, EveryPathAptUsesIsUnderTheRoot) {
  const fs::path root = "/var/cache/berth/plugin/apt";
  const auto options = private_apt_options(root);
  ASSERT_EQ(options.size() % 2, 0u);
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < options.size(); i += 2) {
    EXPECT_EQ(options[i], "-o");
    const std::string& option = options[i + 1];
    const auto equals = option.find('=');
    ASSERT_NE(equals, std::string::npos) << option;
    keys.push_back(option.substr(0, equals));
    const std::string value = option.substr(equals + 1);
    if (option.rfind("Dir::", 0) == 0) {
      EXPECT_EQ(value.rfind(root.string() + "/", 0), 0u) << option;
    }
  }
  // The host's sources, pins, configuration parts, lists and dpkg status play no part.
  for (const char* key : {"Dir::Etc::SourceList", "Dir::Etc::SourceParts", "Dir::Etc::Preferences",
                          "Dir::Etc::PreferencesParts", "Dir::Etc::Parts", "Dir::State",
                          "Dir::State::status", "Dir::Cache", "Debug::NoLocking"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
  }
}

TEST(SdkPrivateApt, PrepareMakesTheLayoutWithNothingInstalled) {
  const testing::TempDir dir;
  const fs::path root = dir.path() / "apt";
  dir.write("apt/state/status", "Package: stale\n");
  prepare_private_apt(root);
  for (const char* sub : {"etc/sources.list.d", "etc/preferences.d", "etc/apt.conf.d",
                          "state/lists/partial", "cache/archives/partial"}) {
    EXPECT_TRUE(fs::is_directory(root / sub)) << sub;
  }
  EXPECT_EQ(dir.read("apt/state/status"), "");
}

}  // namespace
}  // namespace berth::sdk
