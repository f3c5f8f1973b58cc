// The build's check that every library a shipped shell script sources is in the image: a
// script sourcing a library no plugin of the config installed fails the build in one line
// naming the script, the library and the plugin that would ship it.
#include "sourced_libraries.hpp"

#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;

std::vector<std::string> paths_of(std::string_view script) {
  std::vector<std::string> paths;
  for (const auto& library : sourced_libraries(script)) paths.push_back(library.path);
  return paths;
}

TEST(SourcedLibraries, ReadsThePathsAScriptSourcesFromTheImage) {
  const std::string script =
      "#!/bin/sh\n"
      ". /usr/lib/berth/cmdline.sh\n"
      "  . \"${BERTH_LIB:-/usr/lib/berth}/persist.sh\"\n"
      ". \"$root/usr/lib/berth/medium.sh\" || exit 1\n"
      "source ${BERTH_TEST_ROOT:-}/etc/profile.d/a.sh\n"
      ". '/usr/lib/berth/quoted.sh'; echo next\n";
  EXPECT_EQ(paths_of(script),
            (std::vector<std::string>{"/usr/lib/berth/cmdline.sh", "/usr/lib/berth/persist.sh",
                                      "/usr/lib/berth/medium.sh", "/etc/profile.d/a.sh",
                                      "/usr/lib/berth/quoted.sh"}));
  EXPECT_EQ(sourced_libraries(script).at(1).line, 3);
}

TEST(SourcedLibraries, LeavesStateFilesVariablesAndCommentsAlone) {
  EXPECT_TRUE(paths_of("#!/bin/sh\n"
                       ". /run/berth/medium.env\n"  // made at run time
                       ". \"$hook\"\n"              // a path held in a variable
                       ". \"$LIB/disk.sh\"\n"       // a directory held in a variable
                       "# . /usr/lib/berth/old.sh\n"
                       "echo . /usr/lib/berth/x.sh\n"
                       "./usr/lib/berth/run\n")
                  .empty());
}

TEST(SourcedLibraries, KnowsShellScriptsByTheirFirstLine) {
  EXPECT_TRUE(is_shell_script("#!/bin/sh\nset -eu\n"));
  EXPECT_TRUE(is_shell_script("#!/bin/sh -e\n"));
  EXPECT_TRUE(is_shell_script("# shellcheck shell=sh\n# a library\n"));
  EXPECT_FALSE(is_shell_script("#!/usr/bin/python3\n"));
  EXPECT_FALSE(is_shell_script("#!/bin/shx\n"));
  EXPECT_FALSE(is_shell_script("[section]\n. /usr/lib/berth/x.sh\n"));
}

class SourcedLibraryCheck : public ::testing::Test {
 protected:
  SourcedLibraryCheck() {
    // Two plugins on the plugin path; only "uses" is in the config and installed.
    top_.write("plugins/uses.so", "");
    top_.write("plugins/provides.so", "");
    top_.write("plugins/provides/rootfs/usr/lib/berth/provided.sh", "# shellcheck shell=sh\n");
    top_.write("plugins/uses/rootfs/usr/lib/berth/commands/tool",
               "#!/bin/sh\n. /usr/lib/berth/own.sh\n. /usr/lib/berth/provided.sh\n");
    top_.write("image/usr/lib/berth/commands/tool",
               "#!/bin/sh\n. /usr/lib/berth/own.sh\n. /usr/lib/berth/provided.sh\n");
    top_.write("image/usr/lib/berth/own.sh", "# shellcheck shell=sh\n");
  }

  std::string message() const {
    try {
      check_sourced_libraries(image_, {{"uses", top_.path() / "plugins/uses/rootfs"}},
                              shipper_on_path({top_.path() / "plugins"}, {"rootfs", "both"}));
    } catch (const sdk::Error& error) {
      return error.what();
    }
    return "";
  }

  TempDir top_;
  fs::path image_ = top_.path() / "image";
};

TEST_F(SourcedLibraryCheck, AMissingLibraryFailsNamingScriptLibraryAndItsPlugin) {
  EXPECT_EQ(message(),
            "/usr/lib/berth/commands/tool (uses) line 3 sources /usr/lib/berth/provided.sh, "
            "which is not in the image: plugin provides ships it; add it to the config");
}

TEST_F(SourcedLibraryCheck, ALibraryNoPluginShipsIsSaidSo) {
  fs::remove(top_.path() / "plugins/provides/rootfs/usr/lib/berth/provided.sh");
  EXPECT_NE(message().find("no plugin on the plugin path ships it"), std::string::npos);
}

TEST_F(SourcedLibraryCheck, PassesOnceTheLibraryIsInTheImage) {
  top_.write("image/usr/lib/berth/provided.sh", "# shellcheck shell=sh\n");
  EXPECT_EQ(message(), "");
}

TEST_F(SourcedLibraryCheck, LinksAreResolvedInsideTheImage) {
  // /lib -> /usr/lib (absolute, as merged /usr may make it): the image's /usr/lib, never
  // the build host's.
  top_.write("image/usr/lib/berth/provided.sh", "# shellcheck shell=sh\n");
  top_.write("plugins/uses/rootfs/usr/lib/berth/commands/tool",
             "#!/bin/sh\n. /lib/berth/provided.sh\n. /lib/berth/nowhere.sh\n");
  top_.write("image/usr/lib/berth/commands/tool",
             "#!/bin/sh\n. /lib/berth/provided.sh\n. /lib/berth/nowhere.sh\n");
  fs::create_symlink("/usr/lib", image_ / "lib");
  EXPECT_NE(message().find("line 3 sources /lib/berth/nowhere.sh"), std::string::npos) << message();
}

TEST_F(SourcedLibraryCheck, AScriptTheImageNoLongerHoldsIsNotChecked) {
  fs::remove(image_ / "usr/lib/berth/commands/tool");  // stripped
  EXPECT_EQ(message(), "");
}

}  // namespace
}  // namespace berth::core
