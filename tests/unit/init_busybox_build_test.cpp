// init-busybox's musl build of busybox: the [init] busybox key, the build chroot's packages
// from busybox's debian/control, the configuration and its check, the flags and make's
// command line, and the checks of the result.
#include <gtest/gtest.h>

#include <algorithm>

#include "berth/sdk/config.hpp"
#include "berth/sdk/error.hpp"
#include "busybox_recipe.hpp"
#include "settings.hpp"

namespace berth::init_busybox {
namespace {

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

TEST(InitBusyboxBuild, MuslUnlessDebiansBusyboxIsAsked) {
  EXPECT_EQ(read_settings(sdk::ConfigTable("init", "berth.toml:3")).busybox, BusyboxBuild::musl);
  sdk::ConfigTable table("init", "berth.toml:3");
  table.set("busybox", {std::string("debian"), "berth.toml:4"});
  EXPECT_EQ(read_settings(table).busybox, BusyboxBuild::debian);
  table.set("busybox", {std::string("musl"), "berth.toml:4"});
  EXPECT_EQ(read_settings(table).busybox, BusyboxBuild::musl);
}

TEST(InitBusyboxBuild, UnknownBusyboxIsAConfigErrorAtItsLine) {
  sdk::ConfigTable table("init", "berth.toml:3");
  table.set("busybox", {std::string("uclibc"), "berth.toml:4"});
  try {
    read_settings(table);
    FAIL() << "accepted busybox = \"uclibc\"";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("berth.toml:4"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("uclibc"), std::string::npos);
  }
}

// The Build-Depends of trixie's busybox 1:1.37.0-6.
constexpr const char* kControl =
    "Source: busybox\nPriority: optional\n"
    "Build-Depends: debhelper-compat (= 13),\n zip <!nocheck>\n"
    "Standards-Version: 4.6.2\n\nPackage: busybox\nArchitecture: any\n";

TEST(InitBusyboxBuild, ChrootHasMuslAndTheKernelHeadersButNoPackagingOrTests) {
  EXPECT_EQ(chroot_packages(kControl), (std::vector<std::string>{"musl-tools", "linux-libc-dev"}));
}

// Lines of Debian's debian/config/pkg/static around the two options Berth changes.
constexpr const char* kFlavour =
    "#\n# Settings\n#\nCONFIG_DESKTOP=y\nCONFIG_EXTRA_COMPAT=y\n# CONFIG_FEDORA_COMPAT is not "
    "set\nCONFIG_STATIC=y\n# CONFIG_PIE is not set\nCONFIG_FEATURE_VI_SEARCH=y\n"
    "CONFIG_FEATURE_VI_REGEX_SEARCH=y\nCONFIG_FEATURE_VI_USE_SIGNALS=y\nCONFIG_GREP=y\n";

TEST(InitBusyboxBuild, OverridesComeFirstSoKconfigKeepsThem) {
  const std::string initial = initial_config("# linux: nothing\n", kFlavour);
  EXPECT_EQ(initial.find("# CONFIG_EXTRA_COMPAT is not set\n"), 0U);
  EXPECT_LT(initial.find("# CONFIG_FEATURE_VI_REGEX_SEARCH is not set"),
            initial.find("# linux: nothing"));
  EXPECT_LT(initial.find("# linux: nothing"), initial.find("CONFIG_DESKTOP=y"));
  // An OS file without a final newline does not run into the flavour's first line.
  EXPECT_NE(initial_config("# linux", kFlavour).find("# linux\n#\n# Settings"), std::string::npos);
}

TEST(InitBusyboxBuild, ExpectedConfigIsDebiansWithOnlyTheOverriddenLinesChanged) {
  const std::string expected = expected_config(kFlavour);
  std::string want = kFlavour;
  want.replace(want.find("CONFIG_EXTRA_COMPAT=y"), 21, "# CONFIG_EXTRA_COMPAT is not set");
  want.replace(want.find("CONFIG_FEATURE_VI_REGEX_SEARCH=y"), 32,
               "# CONFIG_FEATURE_VI_REGEX_SEARCH is not set");
  EXPECT_EQ(expected, want);
  // Every applet stays: the overrides are options, not applets.
  EXPECT_NE(expected.find("CONFIG_GREP=y\n"), std::string::npos);
  EXPECT_NE(expected.find("CONFIG_STATIC=y\n"), std::string::npos);
}

TEST(InitBusyboxBuild, ExpectedConfigFailsWhenAnOverriddenOptionIsGone) {
  EXPECT_THROW(expected_config("CONFIG_STATIC=y\nCONFIG_FEATURE_VI_REGEX_SEARCH=y\n"), sdk::Error);
  // A symbol whose name merely starts like an overridden one is not it.
  EXPECT_THROW(expected_config("CONFIG_EXTRA_COMPAT_X=y\nCONFIG_FEATURE_VI_REGEX_SEARCH=y\n"),
               sdk::Error);
}

// dpkg-buildflags' answers in trixie's buildd chroot with hardening=+all.
const std::vector<std::string> kDebianFlags = {
    "CFLAGS=-g -O2 -Werror=implicit-function-declaration -ffile-prefix-map=/build/src=. "
    "-fstack-protector-strong -fstack-clash-protection -Wformat -Werror=format-security "
    "-fcf-protection",
    "CPPFLAGS=-Wdate-time -D_FORTIFY_SOURCE=2", "LDFLAGS=-Wl,-z,relro -Wl,-z,now"};

TEST(InitBusyboxBuild, FlagsAreDebiansWithoutO2WithTheKernelHeaders) {
  const auto flags = musl_flags(kDebianFlags);
  ASSERT_EQ(flags.size(), 3U);
  EXPECT_EQ(flags[0],
            "CFLAGS=-g -Werror=implicit-function-declaration -ffile-prefix-map=/build/src=. "
            "-fstack-protector-strong -fstack-clash-protection -Wformat -Werror=format-security "
            "-fcf-protection -Wno-error=incompatible-pointer-types");
  EXPECT_EQ(flags[1], "CPPFLAGS=-Wdate-time -D_FORTIFY_SOURCE=2 -isystem /build/kernel-headers");
  EXPECT_EQ(flags[2], "LDFLAGS=-Wl,-z,relro -Wl,-z,now");
  EXPECT_TRUE(contains(buildflags_env(), "DEB_BUILD_MAINT_OPTIONS=hardening=+all"));
}

TEST(InitBusyboxBuild, KernelHeadersAreLinkedFromLinuxLibcDev) {
  const auto links = kernel_header_links("x86_64-linux-gnu");
  const auto target = [&](const std::string& name) {
    for (const auto& link : links) {
      if (link.name == name) return link.target;
    }
    return std::string();
  };
  EXPECT_EQ(target("linux"), "/usr/include/linux");
  EXPECT_EQ(target("asm"), "/usr/include/x86_64-linux-gnu/asm");
  EXPECT_EQ(target("asm-generic"), "/usr/include/asm-generic");
  EXPECT_EQ(target("mtd"), "/usr/include/mtd");
}

TEST(InitBusyboxBuild, MakeIsDebiansFlavourBuildWithMuslGcc) {
  const auto flags = musl_flags(kDebianFlags);
  const auto all = make_args("all", flags, "1:1.37.0-6");
  EXPECT_EQ(std::vector<std::string>(all.begin(), all.begin() + 3),
            (std::vector<std::string>{"make", "-C", "/build/b"}));
  EXPECT_TRUE(contains(all, "all"));
  EXPECT_TRUE(contains(all, "SKIP_STRIP=y"));
  EXPECT_TRUE(contains(all, "CC=musl-gcc"));
  EXPECT_TRUE(contains(all, "BB_EXTRA_VERSION=Debian 1:1.37.0-6 musl"));
  EXPECT_TRUE(
      contains(all, "CONFIG_EXTRA_CFLAGS=" + flags[0].substr(7) + " " + flags[1].substr(9)));
  EXPECT_TRUE(contains(
      all, "CONFIG_EXTRA_LDFLAGS=" + flags[0].substr(7) + " " + "-Wl,-z,relro -Wl,-z,now"));
  const auto config = make_args("silentoldconfig", flags, "1:1.37.0-6");
  EXPECT_TRUE(contains(config, "silentoldconfig"));
  EXPECT_TRUE(contains(config, "KBUILD_SRC=/build/src"));
  EXPECT_TRUE(contains(config, "/build/src/Makefile"));
  EXPECT_TRUE(contains(config, "CC=musl-gcc"));
  EXPECT_FALSE(contains(config, "all"));
}

TEST(InitBusyboxBuild, VersionMustBeTheSourcesUpstreamVersion) {
  EXPECT_TRUE(reports_version(
      "BusyBox v1.37.0 (Debian 1:1.37.0-6 musl) multi-call binary.\nBusyBox is copyrighted",
      "1:1.37.0-6"));
  EXPECT_FALSE(
      reports_version("BusyBox v1.36.1 (Debian 1:1.36.1-9) multi-call binary.\n", "1:1.37.0-6"));
  EXPECT_FALSE(reports_version("BusyBox v1.37.01 multi-call binary.\n", "1:1.37.0-6"));
  EXPECT_FALSE(reports_version("applet not found\n", "1:1.37.0-6"));
}

TEST(InitBusyboxBuild, StaticMeansNoInterpreterAndNoNeededLibrary) {
  const std::string static_headers =
      "Program Headers:\n  Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align\n"
      "  LOAD 0x000000 0x0000000000400000 0x0000000000400000 0x0004e8 0x0004e8 R 0x1000\n"
      "  GNU_STACK 0x000000 0x0000000000000000 0x0000000000000000 0x000000 0x000000 RW 0x10\n";
  EXPECT_TRUE(
      static_problems(static_headers, "\nThere is no dynamic section in this file.\n").empty());
  const std::string dynamic_headers =
      "  INTERP 0x000318 0x0000000000000318 0x0000000000000318 0x00001c 0x00001c R 0x1\n"
      "      [Requesting program interpreter: /lib64/ld-linux-x86-64.so.2]\n"
      "  DYNAMIC 0x02dc78 0x000000000002ec78 0x000000000002ec78 0x0001f0 0x0001f0 RW 0x8\n";
  const std::string needed =
      " 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]\n"
      " 0x000000000000000c (INIT)               0x4000\n";
  const auto problems = static_problems(dynamic_headers, needed);
  ASSERT_EQ(problems.size(), 3U);
  EXPECT_NE(problems[0].find("PT_INTERP"), std::string::npos);
  EXPECT_NE(problems[1].find("PT_DYNAMIC"), std::string::npos);
  EXPECT_NE(problems[2].find("libc.so.6"), std::string::npos);
}

TEST(InitBusyboxBuild, AppletsMustBeDebiansEveryOne) {
  EXPECT_TRUE(applet_differences("ash\ngrep\nvi\n", "vi\nash\ngrep\n").empty());
  EXPECT_EQ(applet_differences("ash\ngrep\nvi\n", "ash\nvi\nhush\n"),
            (std::vector<std::string>{"missing grep", "extra hush"}));
  EXPECT_EQ(applet_differences("ash\n", ""), (std::vector<std::string>{"missing ash"}));
}

TEST(InitBusyboxBuild, KeyNamesSourceConfigFlagsAndChroot) {
  BuildKeyParts parts;
  parts.source = {"busybox", "1:1.37.0-6"};
  parts.multiarch = "x86_64-linux-gnu";
  parts.config = expected_config(kFlavour);
  parts.flags = musl_flags(kDebianFlags);
  parts.chroot_packages = {"musl-tools=1.2.5-3", "gcc-14=14.2.0-19"};
  const std::string base = key_text(parts);
  EXPECT_NE(base.find("source busybox 1:1.37.0-6\n"), std::string::npos);
  EXPECT_NE(base.find("make CC=musl-gcc\n"), std::string::npos);
  EXPECT_NE(base.find("config # CONFIG_EXTRA_COMPAT is not set\n"), std::string::npos);
  EXPECT_NE(base.find("chroot musl-tools=1.2.5-3\n"), std::string::npos);
  EXPECT_EQ(key_text(parts), base);  // the same inputs, the same key

  auto changed = parts;
  changed.source.version = "1:1.37.0-7";
  EXPECT_NE(key_text(changed), base);
  changed = parts;
  changed.config += "CONFIG_NEW=y\n";
  EXPECT_NE(key_text(changed), base);
  changed = parts;
  changed.flags[0] += " -O3";
  EXPECT_NE(key_text(changed), base);
  changed = parts;
  changed.chroot_packages[0] = "musl-tools=1.2.5-4";
  EXPECT_NE(key_text(changed), base);
}

}  // namespace
}  // namespace berth::init_busybox
