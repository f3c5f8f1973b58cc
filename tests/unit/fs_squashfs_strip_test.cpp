// strip_tree and the built-in strip rules, on fixture trees in a temporary directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "berth/sdk/error.hpp"
#include "strip_rules.hpp"
#include "strip_tree.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// A file of `bytes` bytes under the temporary directory.
fs::path file(const TempDir& dir, const std::string& path, std::size_t bytes = 10) {
  return dir.write(path, std::string(bytes, 'x'));
}

const StripResult& result_of(const std::vector<StripResult>& results, const std::string& rule) {
  auto it = std::find_if(results.begin(), results.end(),
                         [&](const StripResult& r) { return r.rule == rule; });
  if (it == results.end()) throw std::runtime_error("no result for rule " + rule);
  return *it;
}

TEST(FsSquashfsStrip, RemovesAMatchedDirectoryAndCountsItsFiles) {
  TempDir root;
  file(root, "usr/share/man/man1/ls.1.gz", 100);
  file(root, "usr/share/man/man8/mount.8.gz", 50);
  fs::create_directories(root.path() / "usr/share/man/empty");
  file(root, "usr/bin/ls", 7);

  auto results = strip_tree(root.path(), {{"man", {"usr/share/man"}, false, ""}}, {});

  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].rule, "man");
  EXPECT_EQ(results[0].files, 2u);
  EXPECT_EQ(results[0].bytes, 150u);
  EXPECT_FALSE(results[0].skipped);
  EXPECT_FALSE(fs::exists(root.path() / "usr/share/man"));
  EXPECT_TRUE(fs::exists(root.path() / "usr/share"));
  EXPECT_TRUE(fs::exists(root.path() / "usr/bin/ls"));
}

TEST(FsSquashfsStrip, KeepProtectsEntriesInsideAMatchedDirectory) {
  TempDir root;
  file(root, "usr/share/doc/bash/copyright", 30);
  file(root, "usr/share/doc/bash/README", 40);
  file(root, "usr/share/doc/bash/examples/x.sh", 5);
  file(root, "usr/share/doc/tini/changelog.gz", 8);

  auto results = strip_tree(root.path(), {{"doc", {"usr/share/doc"}, false, ""}},
                            {"usr/share/doc/*/copyright"});

  EXPECT_EQ(results[0].files, 3u);
  EXPECT_EQ(results[0].bytes, 53u);
  EXPECT_TRUE(fs::exists(root.path() / "usr/share/doc/bash/copyright"));
  EXPECT_FALSE(fs::exists(root.path() / "usr/share/doc/bash/README"));
  EXPECT_FALSE(fs::exists(root.path() / "usr/share/doc/bash/examples"));
  // Emptied directories go, the ones still holding a kept file stay.
  EXPECT_FALSE(fs::exists(root.path() / "usr/share/doc/tini"));
  EXPECT_TRUE(fs::is_directory(root.path() / "usr/share/doc/bash"));
}

TEST(FsSquashfsStrip, KeptDirectoryIsNotEvenEntered) {
  TempDir root;
  file(root, "var/log/a.log");
  file(root, "var/log/installer/b.log");
  auto results =
      strip_tree(root.path(), {{"logs", {"var/log/**"}, true, ""}}, {"var/log/installer"});
  EXPECT_EQ(results[0].files, 1u);
  EXPECT_TRUE(fs::exists(root.path() / "var/log/installer/b.log"));
  EXPECT_FALSE(fs::exists(root.path() / "var/log/a.log"));
}

TEST(FsSquashfsStrip, FilesOnlyRuleLeavesTheDirectories) {
  TempDir root;
  file(root, "var/log/dpkg.log", 20);
  file(root, "var/log/apt/history.log", 30);
  fs::create_directory_symlink("/nowhere", root.path() / "var/log/link");

  auto results = strip_tree(root.path(), {{"logs", {"var/log/**"}, true, ""}}, {});

  EXPECT_EQ(results[0].files, 3u);  // two files and the symlink
  EXPECT_EQ(results[0].bytes, 50u);
  EXPECT_TRUE(fs::is_directory(root.path() / "var/log/apt"));
  EXPECT_TRUE(fs::is_empty(root.path() / "var/log/apt"));
  EXPECT_EQ(
      std::distance(fs::directory_iterator(root.path() / "var/log"), fs::directory_iterator()),
      1);  // apt/ alone
}

TEST(FsSquashfsStrip, AnEntryCountsForTheFirstRuleThatMatches) {
  TempDir root;
  file(root, "var/cache/apt/archives/busybox.deb", 1000);
  file(root, "var/cache/apt/pkgcache.bin", 10);

  auto results = strip_tree(root.path(),
                            {{"debs", {"var/cache/apt/archives/**/*.deb"}, true, ""},
                             {"caches", {"var/cache/**"}, true, ""}},
                            {});

  EXPECT_EQ(result_of(results, "debs").files, 1u);
  EXPECT_EQ(result_of(results, "debs").bytes, 1000u);
  EXPECT_EQ(result_of(results, "caches").files, 1u);
  EXPECT_EQ(result_of(results, "caches").bytes, 10u);
}

TEST(FsSquashfsStrip, GuardedRuleIsSkippedWhenItsPathExists) {
  TempDir root;
  file(root, "usr/lib/systemd/system/docker.service");
  file(root, "usr/lib/systemd/systemd");
  auto results = strip_tree(root.path(),
                            {{"units", {"usr/lib/systemd"}, false, "usr/lib/systemd/systemd"}}, {});
  EXPECT_TRUE(results[0].skipped);
  EXPECT_EQ(results[0].files, 0u);
  EXPECT_TRUE(fs::exists(root.path() / "usr/lib/systemd/system/docker.service"));
}

TEST(FsSquashfsStrip, ABusyboxAppletLinkDoesNotGuardARule) {
  TempDir root;
  file(root, "usr/bin/busybox");
  fs::create_symlink("busybox", root.path() / "usr/bin/dpkg");
  file(root, "var/lib/dpkg/info/busybox.list");
  auto results =
      strip_tree(root.path(), {{"dpkg", {"var/lib/dpkg/info"}, false, "usr/bin/dpkg"}}, {});
  EXPECT_FALSE(results[0].skipped);
  EXPECT_EQ(results[0].files, 1u);
}

TEST(FsSquashfsStrip, SymlinksAreRemovedNeverFollowed) {
  TempDir root;
  TempDir outside;
  file(outside, "precious/data", 99);
  file(root, "usr/lib/libx.a", 5);
  fs::create_directories(root.path() / "usr/share/doc");
  fs::create_directory_symlink(outside.path() / "precious", root.path() / "usr/share/doc/pkg");
  fs::create_directory_symlink("usr/lib", root.path() / "lib");

  auto results = strip_tree(root.path(),
                            {{"doc", {"usr/share/doc"}, false, ""},
                             {"static", {"usr/lib/**/*.a", "lib/**/*.a"}, false, ""}},
                            {});

  EXPECT_EQ(result_of(results, "doc").files, 1u);  // the link itself
  EXPECT_EQ(result_of(results, "doc").bytes, 0u);
  EXPECT_TRUE(fs::exists(outside.path() / "precious/data"));
  // Reached through usr/lib only, not a second time through the lib link.
  EXPECT_EQ(result_of(results, "static").files, 1u);
  EXPECT_TRUE(fs::is_symlink(root.path() / "lib"));
}

TEST(FsSquashfsStrip, RefusesARootThatIsNotADirectory) {
  TempDir dir;
  const auto not_dir = file(dir, "plain");
  EXPECT_THROW(strip_tree(not_dir, {}, {}), sdk::Error);
  EXPECT_THROW(strip_tree(dir.path() / "missing", {}, {}), sdk::Error);
}

TEST(FsSquashfsStrip, BadPatternNamesItsRule) {
  TempDir root;
  try {
    strip_tree(root.path(), {{"broken", {"a/../b"}, false, ""}}, {});
    FAIL() << "no exception";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("broken"), std::string::npos) << error.what();
  }
}

// A rootfs in miniature with what the built-in rules are about.
void make_debian_fixture(const TempDir& root) {
  file(root, "usr/bin/busybox", 2000);
  file(root, "usr/bin/dockerd", 9000);
  file(root, "usr/share/doc/docker.io/copyright", 300);
  file(root, "usr/share/doc/docker.io/changelog.Debian.gz", 700);
  file(root, "usr/share/doc/docker.io/README.md", 100);
  file(root, "usr/share/man/man1/docker.1.gz", 400);
  file(root, "usr/share/info/dir", 10);
  file(root, "usr/share/locale/de/LC_MESSAGES/e2fsprogs.mo", 5000);
  file(root, "usr/share/locale/locale.alias", 30);
  file(root, "usr/share/i18n/charmaps/UTF-8.gz", 100);
  file(root, "usr/lib/locale/C.utf8/LC_CTYPE", 300);
  file(root, "usr/include/stdio.h", 40);
  file(root, "usr/lib/x86_64-linux-gnu/libseccomp.a", 80);
  file(root, "usr/lib/x86_64-linux-gnu/libseccomp.so.2", 90);
  file(root, "usr/lib/x86_64-linux-gnu/pkgconfig/libseccomp.pc", 10);
  file(root, "usr/share/lintian/overrides/docker.io", 10);
  file(root, "usr/share/common-licenses/GPL-2", 18000);
  file(root, "usr/share/bash-completion/completions/docker", 60);
  file(root, "usr/share/zsh/vendor-completions/_docker", 60);
  file(root, "usr/lib/systemd/system/docker.service", 20);
  file(root, "usr/lib/tmpfiles.d/docker.conf", 20);
  file(root, "etc/systemd/system/multi-user.target.wants/docker.service", 20);
  file(root, "var/lib/dpkg/status", 500);
  file(root, "var/lib/dpkg/info/docker.io.list", 50);
  file(root, "var/lib/apt/lists/deb.debian.org_debian_dists_trixie_InRelease", 200);
  file(root, "var/cache/apt/archives/docker.io_26.1.5_amd64.deb", 20000);
  file(root, "var/cache/ldconfig/aux-cache", 10);
  file(root, "var/log/dpkg.log", 100);
  file(root, "usr/lib/python3/dist-packages/foo/__pycache__/x.pyc", 10);
  file(root, "etc/berth/rc", 10);
}

TEST(FsSquashfsStrip, BuiltInRulesKeepWhatTheSystemReads) {
  TempDir root;
  make_debian_fixture(root);
  auto results = strip_tree(root.path(), default_strip_rules(), default_keep_patterns());

  for (const char* kept :
       {"usr/bin/busybox", "usr/bin/dockerd", "usr/share/doc/docker.io/copyright",
        "usr/share/locale/locale.alias", "usr/lib/locale/C.utf8/LC_CTYPE",
        "usr/lib/x86_64-linux-gnu/libseccomp.so.2", "usr/lib/tmpfiles.d/docker.conf",
        "var/lib/dpkg/status", "etc/berth/rc", "var/cache/ldconfig", "var/log",
        "var/lib/apt/lists"}) {
    EXPECT_TRUE(fs::exists(root.path() / kept)) << kept;
  }
  for (const char* gone : {"usr/share/doc/docker.io/changelog.Debian.gz",
                           "usr/share/doc/docker.io/README.md",
                           "usr/share/man",
                           "usr/share/info",
                           "usr/share/locale/de",
                           "usr/share/i18n",
                           "usr/include",
                           "usr/lib/x86_64-linux-gnu/libseccomp.a",
                           "usr/lib/x86_64-linux-gnu/pkgconfig",
                           "usr/share/lintian",
                           "usr/share/common-licenses",
                           "usr/share/bash-completion",
                           "usr/share/zsh",
                           "usr/lib/systemd",
                           "etc/systemd",
                           "var/lib/dpkg/info",
                           "var/lib/apt/lists/deb.debian.org_debian_dists_trixie_InRelease",
                           "var/cache/apt/archives/docker.io_26.1.5_amd64.deb",
                           "var/cache/ldconfig/aux-cache",
                           "var/log/dpkg.log",
                           "usr/lib/python3/dist-packages/foo/__pycache__"}) {
    EXPECT_FALSE(fs::exists(fs::symlink_status(root.path() / gone))) << gone;
  }
  EXPECT_EQ(result_of(results, "documentation (copyright files kept)").files, 2u);
  EXPECT_EQ(result_of(results, "documentation (copyright files kept)").bytes, 800u);
  EXPECT_EQ(result_of(results, "downloaded packages").bytes, 20000u);
  EXPECT_EQ(result_of(results, "licence texts").bytes, 18000u);
  EXPECT_EQ(result_of(results, "translations").files, 1u);
  EXPECT_EQ(results.size(), default_strip_rules().size());
}

TEST(FsSquashfsStrip, BuiltInRulesStepAsideForToolsTheImageShips) {
  TempDir root;
  make_debian_fixture(root);
  file(root, "usr/lib/systemd/systemd", 100);
  file(root, "usr/bin/dpkg", 100);
  file(root, "usr/bin/bash", 100);
  auto results = strip_tree(root.path(), default_strip_rules(), default_keep_patterns());

  EXPECT_TRUE(result_of(results, "systemd units").skipped);
  EXPECT_TRUE(result_of(results, "dpkg database (status kept)").skipped);
  EXPECT_TRUE(result_of(results, "bash completions").skipped);
  EXPECT_FALSE(result_of(results, "zsh completions").skipped);
  EXPECT_TRUE(fs::exists(root.path() / "usr/lib/systemd/system/docker.service"));
  EXPECT_TRUE(fs::exists(root.path() / "var/lib/dpkg/info/docker.io.list"));
  EXPECT_TRUE(fs::exists(root.path() / "usr/share/bash-completion/completions/docker"));
}

TEST(FsSquashfsStrip, CustomRulesAreNamedAfterTheirGlob) {
  TempDir root;
  file(root, "usr/share/zoneinfo/Europe/Berlin", 2000);
  file(root, "usr/share/zoneinfo/UTC", 100);
  auto rules = custom_strip_rules({"usr/share/zoneinfo/Europe"});
  ASSERT_EQ(rules.size(), 1u);
  auto results = strip_tree(root.path(), rules, {});
  EXPECT_EQ(results[0].rule, "strip \"usr/share/zoneinfo/Europe\"");
  EXPECT_EQ(results[0].bytes, 2000u);
  EXPECT_TRUE(fs::exists(root.path() / "usr/share/zoneinfo/UTC"));
}

TEST(FsSquashfsStrip, EveryBuiltInPatternIsValid) {
  for (const auto& rule : default_strip_rules()) {
    EXPECT_FALSE(rule.patterns.empty()) << rule.name;
  }
  TempDir root;
  EXPECT_NO_THROW(strip_tree(root.path(), default_strip_rules(), default_keep_patterns()));
}

}  // namespace
}  // namespace berth::fs_squashfs
