// remote-access's dropbear build: the [remote] build key, the build chroot's packages from
// dropbear's debian/control, configure's flags and environment, localoptions.h, the checks
// of the result, the cache key, and the install over Debian's dropbear-bin.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/testing/build_context.hpp"
#include "dropbear_install.hpp"
#include "dropbear_recipe.hpp"
#include "settings.hpp"

namespace berth::remote_access {
namespace {

namespace fs = std::filesystem;

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

TEST(RemoteAccessBuild, BundledLibtomUnlessDebiansBinariesAreAsked) {
  EXPECT_EQ(read_settings(sdk::ConfigTable("remote", "berth.toml:3")).build,
            DropbearBuild::bundled_libtom);
  sdk::ConfigTable table("remote", "berth.toml:3");
  table.set("build", {std::string("debian"), "berth.toml:4"});
  EXPECT_EQ(read_settings(table).build, DropbearBuild::debian);
  table.set("build", {std::string("bundled-libtom"), "berth.toml:4"});
  EXPECT_EQ(read_settings(table).build, DropbearBuild::bundled_libtom);
}

TEST(RemoteAccessBuild, UnknownBuildIsAConfigErrorAtItsLine) {
  sdk::ConfigTable table("remote", "berth.toml:3");
  table.set("build", {std::string("openssh"), "berth.toml:4"});
  try {
    read_settings(table);
    FAIL() << "accepted build = \"openssh\"";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("berth.toml:4"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("openssh"), std::string::npos);
  }
}

// The Build-Depends of trixie's dropbear 2025.89-1~deb13u1.
constexpr const char* kControl =
    "Source: dropbear\nSection: net\nPriority: optional\n"
    "Maintainer: Guilhem Moulin <guilhem@debian.org>\n"
    "Build-Depends: debhelper,\n               debhelper-compat (= 13),\n"
    "               libcrypt-dev,\n               libtomcrypt-dev (>= 1.18.2~),\n"
    "               libtommath-dev (>= 1.2.0~),\n               libz-dev\n"
    "Rules-Requires-Root: no\n\nPackage: dropbear-bin\nArchitecture: any\n";

TEST(RemoteAccessBuild, ChrootHasNoSharedLibtomOrZlib) {
  EXPECT_EQ(chroot_packages(kControl), (std::vector<std::string>{"libcrypt-dev"}));
}

TEST(RemoteAccessBuild, ConfigureAsksForTheBundledLibtomWithoutZlib) {
  const auto args = configure_args();
  EXPECT_TRUE(contains(args, "--enable-bundled-libtom"));
  EXPECT_FALSE(contains(args, "--disable-bundled-libtom"));
  EXPECT_TRUE(contains(args, "--disable-zlib"));
  EXPECT_TRUE(contains(args, "--disable-lastlog"));
  EXPECT_TRUE(contains(args, "--prefix=/usr"));
}

TEST(RemoteAccessBuild, EnvironmentIsDebiansFlagsWithRulesAdditions) {
  const auto env =
      configure_env({"CFLAGS=-g -O2", "CPPFLAGS=-D_FORTIFY_SOURCE=2", "LDFLAGS=-Wl,-z,now"});
  EXPECT_EQ(env, (std::vector<std::string>{"CFLAGS=-g -O2", "CPPFLAGS=-D_FORTIFY_SOURCE=2",
                                           "LDFLAGS=-Wl,-z,now -fPIE -pie -Wl,--as-needed",
                                           "LTM_CFLAGS=-Os"}));
  EXPECT_EQ(configure_env({"LDFLAGS="})[0], "LDFLAGS=-fPIE -pie -Wl,--as-needed");
  EXPECT_EQ(buildflags_env(), std::vector<std::string>{"DEB_BUILD_MAINT_OPTIONS=hardening=+all"});
}

TEST(RemoteAccessBuild, OneProgramForTheServerAndTheKeyGenerator) {
  const auto args = make_args();
  EXPECT_TRUE(contains(args, "PROGRAMS=dropbear dropbearkey"));
  EXPECT_TRUE(contains(args, "MULTI=1"));
  EXPECT_EQ(std::string(kMultiProgram), "dropbearmulti");
}

TEST(RemoteAccessBuild, LocalOptionsAreDebiansThenNoPasswordAuth) {
  const std::string debian = "#define DROPBEAR_SFTPSERVER 1\n#define DEFAULT_PATH \"/usr/bin\"";
  const std::string options = local_options(debian);
  EXPECT_EQ(options.rfind(debian + "\n", 0), 0u);
  EXPECT_NE(options.find("\n#define DROPBEAR_SVR_PASSWORD_AUTH 0\n"), std::string::npos);
  EXPECT_NE(local_options("").find("#define DROPBEAR_SVR_PASSWORD_AUTH 0\n"), std::string::npos);
}

TEST(RemoteAccessBuild, VersionMustBeTheSourcesUpstreamVersion) {
  EXPECT_TRUE(reports_version("Dropbear v2025.89\n", "2025.89-1~deb13u1"));
  EXPECT_TRUE(reports_version("Dropbear v2025.89", "2025.89-1~deb13u1"));
  EXPECT_FALSE(reports_version("Dropbear v2025.8\n", "2025.89-1~deb13u1"));
  EXPECT_FALSE(reports_version("Dropbear v2025.890\n", "2025.89-1~deb13u1"));
  EXPECT_FALSE(reports_version("Dropbear v2024.86\n", "2025.89-1~deb13u1"));
  EXPECT_FALSE(reports_version("", "2025.89-1~deb13u1"));
}

TEST(RemoteAccessBuild, UnwantedLibrariesAreFound) {
  const std::string debian =
      " 0x0000000000000001 (NEEDED)             Shared library: [libtomcrypt.so.1]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libtommath.so.1]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libz.so.1]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libcrypt.so.1]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]\n";
  EXPECT_EQ(unwanted_libraries(debian),
            (std::vector<std::string>{"libtomcrypt.so.1", "libtommath.so.1", "libz.so.1",
                                      "libcrypt.so.1"}));
  EXPECT_EQ(unwanted_libraries(" (NEEDED) Shared library: [libgmp.so.10]\n"),
            std::vector<std::string>{"libgmp.so.10"});
  const std::string bundled =
      " 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libcryptsetup.so.12]\n";
  EXPECT_TRUE(unwanted_libraries(bundled).empty());
}

TEST(RemoteAccessBuild, KeyChangesWithEveryInput) {
  BuildKeyParts parts;
  parts.source = {"dropbear", "2025.89-1~deb13u1"};
  parts.flags = {"CFLAGS=-O2", "CPPFLAGS=", "LDFLAGS=-Wl,-z,now"};
  parts.debian_local_options = "#define DROPBEAR_SFTPSERVER 1\n";
  parts.chroot_packages = {"gcc-14=14.2.0-19"};
  const std::string key = key_text(parts);
  EXPECT_NE(key.find("--enable-bundled-libtom"), std::string::npos);
  EXPECT_NE(key.find("LTM_CFLAGS=-Os"), std::string::npos);
  EXPECT_NE(key.find("DROPBEAR_SVR_PASSWORD_AUTH 0"), std::string::npos);
  auto other = parts;
  other.source.version = "2025.89-2";
  EXPECT_NE(key_text(other), key);
  other = parts;
  other.flags[0] = "CFLAGS=-O3";
  EXPECT_NE(key_text(other), key);
  other = parts;
  other.debian_local_options = "#define DROPBEAR_SFTPSERVER 0\n";
  EXPECT_NE(key_text(other), key);
  other = parts;
  other.chroot_packages = {"gcc-14=14.2.0-20"};
  EXPECT_NE(key_text(other), key);
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

TEST(RemoteAccessInstall, OneProgramReplacesDebiansUnderBothNames) {
  sdk::testing::FakeBuildContext ctx("remote-access");
  const fs::path root = ctx.rootfs();
  write(root / "usr/sbin/dropbear", "debian server");
  write(root / "usr/bin/dropbearkey", "debian keygen");
  fs::create_symlink("usr/sbin", root / "sbin");
  const fs::path outside = ctx.work_dir() / "outside";
  write(outside, "keep me");
  fs::remove(root / "usr/bin/dropbearkey");
  fs::create_symlink(outside, root / "usr/bin/dropbearkey");  // replaced, not written through

  BuiltDropbear built{ctx.cache_dir() / "remote-access/dropbear-x",
                      {"dropbear", "2025.89-1~deb13u1"}};
  write(built.root / "usr/sbin/dropbear", "bundled multi");
  fs::permissions(built.root / "usr/sbin/dropbear", fs::perms(0755));
  install_built_dropbear(ctx, built);

  EXPECT_EQ(sdk::read_text(root / "usr/sbin/dropbear"), "bundled multi");
  EXPECT_EQ(sdk::lstat_of(root / "usr/sbin/dropbear").st_mode & 07777, 0755u);
  EXPECT_FALSE(fs::is_symlink(root / "usr/bin/dropbearkey"));
  EXPECT_TRUE(fs::equivalent(root / "usr/bin/dropbearkey", root / "usr/sbin/dropbear"));
  EXPECT_EQ(sdk::read_text(outside), "keep me");
  EXPECT_EQ(sdk::read_text(built.root / "usr/sbin/dropbear"), "bundled multi");

  const auto lists = ctx.lookup(sdk::facts::kFileOwners);
  ASSERT_TRUE(lists.has_value());
  const std::string owners = sdk::read_text(*lists);
  EXPECT_NE(owners.find("usr/sbin/dropbear\tdropbear-bundled-libtom\n"), std::string::npos);
  EXPECT_NE(owners.find("usr/bin/dropbearkey\tdropbear-bundled-libtom\n"), std::string::npos);
  EXPECT_EQ(ctx.sizes.count("remote-access: dropbear (bundled libtom)"), 1u);
}

}  // namespace
}  // namespace berth::remote_access
