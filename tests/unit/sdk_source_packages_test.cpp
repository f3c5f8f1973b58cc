// The SDK's Debian source package helpers: apt's download list, the quilt layout, the
// source of a binary, Build-Depends and their profiles, the build chroot's command line and
// cache name, the series and patches of an unpacked tree, the lock builds share.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "berth/sdk/build_chroot.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/file_lock.hpp"
#include "berth/sdk/source_packages.hpp"
#include "berth/sdk/source_tree.hpp"
#include "berth/sdk/testing/build_context.hpp"
#include "berth/sdk/testing/temp_dir.hpp"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

const char* kPrintUris =
    "'http://deb.debian.org/debian/pool/main/d/docker.io/docker.io_26.1.5%2bdfsg1-9%2bdeb13u1.dsc' "
    "docker.io_26.1.5+dfsg1-9+deb13u1.dsc 7997 "
    "SHA256:7cd1bd886b554122c10bb45f8f9426c84f1045a2736a0d6c2f469eb5b23767e5\n"
    "'http://deb.debian.org/debian/pool/main/d/docker.io/"
    "docker.io_26.1.5%2bdfsg1.orig-buildkit.tar.xz' "
    "docker.io_26.1.5+dfsg1.orig-buildkit.tar.xz 1406148 "
    "SHA256:3a4a472c237b1caf456aac2cae810fea2b4fae9d0e9e71af5540645b510ff10c\n"
    "'http://deb.debian.org/debian/pool/main/d/docker.io/docker.io_26.1.5%2bdfsg1.orig-cli.tar.xz' "
    "docker.io_26.1.5+dfsg1.orig-cli.tar.xz 1176732 "
    "SHA256:477e396c50ea9e617cf6a9d70eef9509e587508faeaa5ab8e0304d600612c11b\n"
    "'http://deb.debian.org/debian/pool/main/d/docker.io/docker.io_26.1.5%2bdfsg1.orig.tar.xz' "
    "docker.io_26.1.5+dfsg1.orig.tar.xz 4443500 "
    "SHA256:e06baad2dbca2a79d3569ee358a4442cf9e550a355872484631860941bee73c9\n"
    "'http://deb.debian.org/debian/pool/main/d/docker.io/"
    "docker.io_26.1.5%2bdfsg1-9%2bdeb13u1.debian.tar.xz' "
    "docker.io_26.1.5+dfsg1-9+deb13u1.debian.tar.xz 71544 "
    "SHA256:a579e61d4a60407d52347bb2af497cc16eeb964b9a7ebe3445ea854f5b9d8ee2\n";

TEST(SdkSourcePackages, ReadsApsDownloadList) {
  const auto files = parse_print_uris(kPrintUris);
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[1].uri,
            "http://deb.debian.org/debian/pool/main/d/docker.io/"
            "docker.io_26.1.5%2bdfsg1.orig-buildkit.tar.xz");
  EXPECT_EQ(files[1].file, "docker.io_26.1.5+dfsg1.orig-buildkit.tar.xz");
  EXPECT_EQ(files[1].size, 1406148u);
  EXPECT_EQ(files[1].sha256, "3a4a472c237b1caf456aac2cae810fea2b4fae9d0e9e71af5540645b510ff10c");
}

TEST(SdkSourcePackages, FileNamesCannotLeaveTheDownloadDirectory) {
  const std::string hash = " 1 SHA256:" + std::string(64, 'a');
  EXPECT_THROW(parse_print_uris("'http://x/y' ../x.dsc" + hash), sdk::Error);
  EXPECT_THROW(parse_print_uris("'http://x/y' .." + hash), sdk::Error);
  EXPECT_THROW(parse_print_uris("'http://x/y' x.dsc 1 MD5Sum:abc"), sdk::Error);
  EXPECT_THROW(parse_print_uris("http://x/y x.dsc" + hash), sdk::Error);
  EXPECT_EQ(parse_print_uris("'http://x/y' x.dsc" + hash).size(), 1u);
}

TEST(SdkSourcePackages, QuiltSourceLayout) {
  const auto layout =
      source_layout(parse_print_uris(kPrintUris), "docker.io", "26.1.5+dfsg1-9+deb13u1");
  EXPECT_EQ(layout.orig, "docker.io_26.1.5+dfsg1.orig.tar.xz");
  EXPECT_EQ(layout.debian, "docker.io_26.1.5+dfsg1-9+deb13u1.debian.tar.xz");
  ASSERT_EQ(layout.components.size(), 2u);
  EXPECT_EQ(layout.components[0].first, "buildkit");
  EXPECT_EQ(layout.components[1].first, "cli");
  EXPECT_EQ(layout.components[1].second, "docker.io_26.1.5+dfsg1.orig-cli.tar.xz");
  // Another version's files are not this version's source.
  EXPECT_THROW(source_layout(parse_print_uris(kPrintUris), "docker.io", "26.1.5+dfsg1-10"),
               sdk::Error);
}

TEST(SdkSourcePackages, FileNamesHaveNoEpoch) {
  const std::string hash = " 1 SHA256:" + std::string(64, 'a') + "\n";
  const auto files = parse_print_uris("'http://m/c.dsc' cryptsetup_2.7.5-2.dsc" + hash +
                                      "'http://m/c.orig' cryptsetup_2.7.5.orig.tar.gz" + hash +
                                      "'http://m/c.deb' cryptsetup_2.7.5-2.debian.tar.xz" + hash);
  const auto layout = source_layout(files, "cryptsetup", "2:2.7.5-2");
  EXPECT_EQ(layout.orig, "cryptsetup_2.7.5.orig.tar.gz");
  EXPECT_EQ(layout.debian, "cryptsetup_2.7.5-2.debian.tar.xz");
  EXPECT_TRUE(layout.components.empty());
}

TEST(SdkSourcePackages, FilesExcludedOfTheFirstField) {
  const std::string copyright =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
      "Files-Excluded:\n    .github\n    vendor/cloud.google.com\n"
      "   ~vendor/code.cloudfoundry.org\n ~B~vendor/github.com/armon/go-radix\n"
      "    vendor/github.com/moby/buildkit\n    ../escape\n    /absolute\n"
      "Files-Excluded-distribution:\n    */docs\n\nFiles: *\nCopyright: x\n";
  EXPECT_EQ(files_excluded(copyright),
            (std::vector<std::string>{".github", "vendor/cloud.google.com",
                                      "vendor/github.com/moby/buildkit"}));
  EXPECT_TRUE(files_excluded("Files: *\nLicense: MIT\n").empty());
}

TEST(SdkSourcePackages, SourceOfABinaryPackage) {
  const auto binnmu =
      source_of("docker.io", "26.1.5+dfsg1-9+deb13u1+b1", "docker.io (26.1.5+dfsg1-9+deb13u1)");
  EXPECT_EQ(binnmu.name, "docker.io");
  EXPECT_EQ(binnmu.version, "26.1.5+dfsg1-9+deb13u1");
  const auto renamed = source_of("docker-cli", "26.1.5+dfsg1-9+deb13u1", "docker.io");
  EXPECT_EQ(renamed.name, "docker.io");
  EXPECT_EQ(renamed.version, "26.1.5+dfsg1-9+deb13u1");
  const auto same = source_of("containerd", "1.7.24~ds1-6+deb13u1", "");
  EXPECT_EQ(same.name, "containerd");
  EXPECT_EQ(same.version, "1.7.24~ds1-6+deb13u1");
  EXPECT_THROW(source_of("x", "1", "x 1.0"), sdk::Error);
}

TEST(SdkSourcePackages, UpstreamVersion) {
  EXPECT_EQ(upstream_version("26.1.5+dfsg1-9+deb13u1"), "26.1.5+dfsg1");
  EXPECT_EQ(upstream_version("2:1.24~2"), "1.24~2");
  EXPECT_EQ(upstream_version("1.7.24~ds1-6+deb13u1"), "1.7.24~ds1");
  EXPECT_EQ(upstream_version("1.0"), "1.0");
}

// trixie's jq 1.7.1-6+deb13u4 is listed by the point release and by the security archive.
TEST(SdkSourcePackages, PoolsOfEveryIndexListingTheVersion) {
  const std::string showsrc =
      "Package: jq\nVersion: 1.7.1-6+deb13u4\nDirectory: pool/main/j/jq\n\n"
      "Package: jq\nVersion: 1.7.1-6\nDirectory: pool/main/j/jq-old\n\n"
      "Package: jq\nVersion: 1.7.1-6+deb13u4\nDirectory: pool/updates/main/j/jq\n\n"
      "Package: jq\nVersion: 1.7.1-6+deb13u4\nDirectory: pool/main/j/jq\n\n"
      "Package: jq\nVersion: 1.7.1-6+deb13u4\nDirectory: ../../etc\n\n"
      "Package: jq\nVersion: 1.7.1-6+deb13u4\nDirectory: /etc\n";
  EXPECT_EQ(source_directories(showsrc, "1.7.1-6+deb13u4"),
            (std::vector<std::string>{"pool/main/j/jq", "pool/updates/main/j/jq"}));
  EXPECT_TRUE(source_directories(showsrc, "1.8").empty());
}

TEST(SdkSourcePackages, AlternativeUrisKeepTheEscapedNameAndLeaveOutTheFirst) {
  const std::string uri =
      "http://deb.debian.org/debian/pool/main/j/jq/jq_1.7.1-6%2bdeb13u4.debian.tar.xz";
  EXPECT_EQ(
      alternative_uris(uri,
                       {"http://deb.debian.org/debian", "http://deb.debian.org/debian-security/"},
                       {"pool/main/j/jq", "pool/updates/main/j/jq"}),
      (std::vector<std::string>{"http://deb.debian.org/debian/pool/updates/main/j/jq/"
                                "jq_1.7.1-6%2bdeb13u4.debian.tar.xz",
                                "http://deb.debian.org/debian-security/pool/main/j/jq/"
                                "jq_1.7.1-6%2bdeb13u4.debian.tar.xz",
                                "http://deb.debian.org/debian-security/pool/updates/main/j/jq/"
                                "jq_1.7.1-6%2bdeb13u4.debian.tar.xz"}));
}

TEST(SdkBuildChroot, FromTheConfiguredArchive) {
  ChrootRecipe recipe{"amd64",
                      "trixie",
                      "/usr/share/keyrings/debian-archive-keyring.gpg",
                      {{"http://deb.debian.org/debian", "trixie", {"main"}},
                       {"http://deb.debian.org/debian-security", "trixie-security", {}}},
                      {"golang-any", "libseccomp-dev"}};
  const auto argv = chroot_argv(recipe, "/var/cache/berth/engine-docker/chroot-x.tmp");
  EXPECT_EQ(argv[0], "mmdebstrap");
  EXPECT_TRUE(contains(argv, "--variant=buildd"));
  EXPECT_TRUE(contains(argv, "--include=golang-any,libseccomp-dev"));
  EXPECT_EQ(argv[argv.size() - 4], "trixie");
  EXPECT_EQ(argv[argv.size() - 3], "/var/cache/berth/engine-docker/chroot-x.tmp");
  EXPECT_EQ(argv[argv.size() - 2], "deb [arch=amd64] http://deb.debian.org/debian trixie main");
  EXPECT_EQ(argv.back(),
            "deb [arch=amd64] http://deb.debian.org/debian-security trixie-security main");
  recipe.packages.clear();
  EXPECT_THROW(chroot_argv(recipe, "/x"), sdk::Error);
}

TEST(SdkBuildChroot, KeyIsTheCommandLineWithoutTheTarget) {
  ChrootRecipe recipe{"amd64", "trixie", "/k.gpg", {{"http://m/debian", "trixie", {}}}, {"a", "b"}};
  const std::string key = chroot_key_text(recipe);
  EXPECT_NE(key.find("--include=a,b\n"), std::string::npos);
  EXPECT_NE(key.find("\nTARGET\n"), std::string::npos);
  recipe.packages = {"b", "a"};
  EXPECT_NE(chroot_key_text(recipe), key);
}

TEST(SdkBuildChroot, ACompleteChrootIsTakenAsItIs) {
  testing::FakeBuildContext ctx;
  const fs::path dir = ctx.cache_dir() / "chroot-x";
  fs::create_directories(dir);
  std::ofstream(dir / kChrootPackages) << "gcc=14\n";
  ChrootRecipe recipe{"amd64", "trixie", "/k.gpg", {{"http://m/debian", "trixie", {}}}, {"a"}};
  EXPECT_EQ(build_chroot(ctx, recipe, dir), dir);
  EXPECT_TRUE(ctx.runs.empty());
}

TEST(SdkBuildChroot, CommandsRunWithOnlyTheEnvironmentGiven) {
  EXPECT_EQ(in_chroot("/cache/chroot-x", "/build/src", {"CFLAGS=-O2"}, {"make", "-j2"}),
            (std::vector<std::string>{"chroot", "/cache/chroot-x", "env", "-i", "-C", "/build/src",
                                      "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/nonexistent",
                                      "LC_ALL=C.UTF-8", "CFLAGS=-O2", "make", "-j2"}));
  EXPECT_EQ(niced({"make"}), (std::vector<std::string>{"nice", "-n", "19", "make"}));
}

TEST(SdkBuildChroot, BuildflagsAsDebianRulesAsk) {
  testing::FakeBuildContext ctx;
  std::vector<std::string> asked;
  ctx.on_run = [&](const std::vector<std::string>& argv, const RunOptions&) {
    EXPECT_TRUE(std::find(argv.begin(), argv.end(), "DEB_BUILD_MAINT_OPTIONS=hardening=+all") !=
                argv.end());
    asked.push_back(argv.back());
    return RunResult{0, "-O2 " + argv.back() + "\n"};
  };
  EXPECT_EQ(debian_buildflags(ctx, "/c", {"DEB_BUILD_MAINT_OPTIONS=hardening=+all"}),
            (std::vector<std::string>{"CFLAGS=-O2 CFLAGS", "CPPFLAGS=-O2 CPPFLAGS",
                                      "LDFLAGS=-O2 LDFLAGS"}));
  EXPECT_EQ(asked, (std::vector<std::string>{"CFLAGS", "CPPFLAGS", "LDFLAGS"}));
}

TEST(SdkBuildChroot, InstalledPackagesOfAFinishedChroot) {
  testing::FakeBuildContext ctx;
  const fs::path dir = ctx.cache_dir() / "chroot-y";
  fs::create_directories(dir);
  std::ofstream(dir / kChrootPackages) << "gcc-14=14.2.0-19\nlibc6=2.41-12\n";
  EXPECT_EQ(chroot_installed(dir), (std::vector<std::string>{"gcc-14=14.2.0-19", "libc6=2.41-12"}));
}

TEST(SdkBuildChroot, StripsAsDhStrip) {
  const auto strip = strip_in_chroot("/c", "/build/dest/usr/lib/libx.so.1", {"--strip-unneeded"});
  const std::vector<std::string> tail(strip.end() - 5, strip.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"strip", "--remove-section=.comment",
                                            "--remove-section=.note", "--strip-unneeded",
                                            "/build/dest/usr/lib/libx.so.1"}));
  EXPECT_EQ(strip.back(), strip_in_chroot("/c", "/build/dest/usr/lib/libx.so.1").back());
}

TEST(SdkBuildChroot, ProgramsAreStoredWholeWithTheirKey) {
  testing::FakeBuildContext ctx;
  const fs::path built = ctx.work_dir() / "prog";
  fs::create_directories(ctx.work_dir());
  std::ofstream(built) << "ELF";
  fs::permissions(built, fs::perms(0600));
  const fs::path result = ctx.cache_dir() / "prog-k";
  fs::create_directories(result.string() + ".partial/stale");  // an earlier build cut short
  store_programs({{built, "usr/sbin/prog"}}, result, "key text\n");
  EXPECT_EQ(read_text(result / "usr/sbin/prog"), "ELF");
  EXPECT_EQ(fs::status(result / "usr/sbin/prog").permissions() & fs::perms::all, fs::perms(0755));
  EXPECT_EQ(read_text(result / "key.txt"), "key text\n");
  EXPECT_FALSE(fs::exists(result.string() + ".partial"));
  EXPECT_FALSE(fs::exists(result / "stale"));
}

TEST(SdkSourcePackages, BuildDependsWithTheirProfiles) {
  const std::string control =
      "Source: cryptsetup\n"
      "Build-Depends: asciidoctor <!nodoc>,\n"
      "               autoconf,\n"
      "#              libfoo-dev,\n"
      "               jq <!nocheck>,\n"
      "               libssl-dev (>> 3.2~),\n"
      "               libseccomp-dev [linux-any] <!nocheck> <!cross>,\n"
      "               pkgconf | pkg-config\n"
      "Standards-Version: 4.7.2\n\nPackage: cryptsetup\nDepends: dmsetup\n";
  const auto depends = build_depends(control);
  ASSERT_EQ(depends.size(), 6u);
  EXPECT_EQ(depends[0].package, "asciidoctor");
  EXPECT_EQ(depends[0].profiles, "<!nodoc>");
  EXPECT_EQ(depends[1].package, "autoconf");
  EXPECT_EQ(depends[1].profiles, "");
  EXPECT_EQ(depends[3].package, "libssl-dev");
  EXPECT_EQ(depends[4].profiles, "<!nocheck> <!cross>");
  EXPECT_EQ(depends[5].package, "pkgconf");
  EXPECT_THROW(build_depends("Source: x\nMaintainer: y\n"), Error);
}

TEST(SdkSourceTree, SeriesAppliesInOrderAndRefusesOddEntries) {
  testing::FakeBuildContext ctx;
  const fs::path tree = ctx.work_dir() / "src";
  fs::create_directories(tree / "debian" / "patches");
  std::ofstream(tree / "debian" / "patches" / "series") << "# comment\nb.patch\n\na.patch -p1\n";
  std::vector<std::string> applied;
  ctx.on_run = [&](const std::vector<std::string>& argv, const RunOptions&) {
    applied.push_back(fs::path(argv.back()).filename().string());
    return RunResult{};
  };
  apply_series(ctx, tree);
  EXPECT_EQ(applied, (std::vector<std::string>{"b.patch", "a.patch"}));
  std::ofstream(tree / "debian" / "patches" / "series") << "../x.patch\n";
  EXPECT_THROW(apply_series(ctx, tree), Error);
  std::ofstream(tree / "debian" / "patches" / "series") << "x.patch -p0\n";
  EXPECT_THROW(apply_series(ctx, tree), Error);
  fs::remove(tree / "debian" / "patches" / "series");
  applied.clear();
  apply_series(ctx, tree);
  EXPECT_TRUE(applied.empty());
}

TEST(SdkSourceTree, OwnPatchesSortedByName) {
  const testing::TempDir dir;
  dir.write("p/b.patch", "");
  dir.write("p/a.patch", "");
  dir.write("p/README", "");
  const auto patches = patches_in(dir.path() / "p");
  ASSERT_EQ(patches.size(), 2u);
  EXPECT_EQ(patches[0].filename(), "a.patch");
  EXPECT_EQ(patches[1].filename(), "b.patch");
  EXPECT_TRUE(patches_in(dir.path() / "missing").empty());
}

TEST(SdkFileLock, SecondHolderWaitsForTheFirst) {
  const testing::TempDir dir;
  const fs::path file = dir.path() / "lock";
  std::atomic<bool> second{false};
  std::thread other;
  {
    const ExclusiveLock first(file);
    other = std::thread([&] {
      const ExclusiveLock lock(file);
      second = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_FALSE(second);
  }
  other.join();
  EXPECT_TRUE(second);
  EXPECT_THROW(ExclusiveLock(dir.path() / "missing" / "lock"), Error);
}

}  // namespace
}  // namespace berth::sdk
