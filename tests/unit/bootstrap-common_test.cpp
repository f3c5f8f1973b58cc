// What both bootstrap plugins share: the package list, apt preferences, input digests,
// reading .debs, the download cache, finishing the rootfs and the reuse stamp.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "apt_preferences.hpp"
#include "berth/sdk/error.hpp"
#include "deb_file.hpp"
#include "fs_util.hpp"
#include "inputs.hpp"
#include "package_cache.hpp"
#include "package_list.hpp"
#include "reuse_stamp.hpp"
#include "rootfs_layout.hpp"
#include "test_support.hpp"
#include "trust_store.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
namespace bs = berth::bootstrap;

using berth::test::read_file;
using berth::test::TempDir;
using berth::test::write_file;

sdk::ConfigTable table_with_packages(const std::vector<std::string>& names) {
  sdk::ConfigTable table("bootstrap", "berth.toml:40");
  sdk::ConfigValue::Array array;
  for (const auto& name : names) array.push_back({name, "berth.toml:41"});
  table.set("packages", {array, "berth.toml:41"});
  return table;
}

sdk::DebianSources trixie_sources(const fs::path& keyring) {
  sdk::DebianSources debian;
  debian.suite = "trixie";
  debian.architecture = "amd64";
  debian.keyring = keyring;
  debian.sources = {{"http://deb.debian.org/debian", "trixie", {"main"}},
                    {"http://deb.debian.org/debian", "trixie-backports", {"main"}}};
  debian.pins = {{"*", "trixie-backports", 100}};
  return debian;
}

// --- package list --------------------------------------------------------------------

TEST(BootstrapPackageList, ReadsNamesInOrderWithoutDuplicates) {
  const auto names = bs::read_package_list(
      table_with_packages({"docker.io", "busybox-static", "docker.io", "g++"}));
  EXPECT_EQ(names, (std::vector<std::string>{"docker.io", "busybox-static", "g++"}));
}

TEST(BootstrapPackageList, MissingOrEmptyListIsAConfigError) {
  sdk::ConfigTable empty_table("bootstrap", "berth.toml:40");
  try {
    bs::read_package_list(empty_table);
    FAIL() << "no error for a missing packages key";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("berth.toml:40"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("packages"), std::string::npos) << error.what();
  }
  EXPECT_THROW(bs::read_package_list(table_with_packages({})), sdk::ConfigError);
}

TEST(BootstrapPackageList, RejectsWhatIsNotAPackageName) {
  for (const std::string bad :
       {"Docker.io", "x", "docker.io/trixie-backports", "tini=0.19", "-foo", "a b"}) {
    try {
      bs::read_package_list(table_with_packages({"busybox", bad}));
      FAIL() << "accepted '" << bad << "'";
    } catch (const sdk::ConfigError& error) {
      EXPECT_NE(std::string(error.what()).find("'" + bad + "'"), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find("berth.toml:41"), std::string::npos) << error.what();
    }
  }
  EXPECT_TRUE(bs::is_package_name("libstdc++6"));
  EXPECT_TRUE(bs::is_package_name("0ad"));
}

TEST(BootstrapPackageList, PackagesTxtIsSortedNameVersionLines) {
  const std::string text = bs::packages_txt({{"tini", "0.19.0-3+b8", {}},
                                             {"busybox-static", "1:1.37.0-6+b9", {}},
                                             {"libc6", "2.41-12+deb13u5", {}}});
  EXPECT_EQ(text, "busybox-static 1:1.37.0-6+b9\nlibc6 2.41-12+deb13u5\ntini 0.19.0-3+b8\n");
}

// --- apt preferences -----------------------------------------------------------------

TEST(BootstrapAptPreferences, OneRecordPerPinInOrder) {
  const std::string text =
      bs::render_apt_preferences({{"*", "trixie-backports", 100},
                                  {"linux-sysctl-defaults", "trixie-backports", 990},
                                  {"tini", "a=stable-backports", 500}});
  EXPECT_EQ(text,
            "Package: *\nPin: release n=trixie-backports\nPin-Priority: 100\n\n"
            "Package: linux-sysctl-defaults\nPin: release n=trixie-backports\nPin-Priority: 990\n\n"
            "Package: tini\nPin: release a=stable-backports\nPin-Priority: 500\n");
  EXPECT_EQ(bs::render_apt_preferences({}), "");
}

TEST(BootstrapAptPreferences, RejectsFieldsThatBreakTheFile) {
  EXPECT_THROW(bs::render_apt_preferences({{"foo\nPin-Priority: 1001", "trixie", 500}}),
               sdk::Error);
  EXPECT_THROW(bs::render_apt_preferences({{"foo", " ", 500}}), sdk::Error);
}

// --- inputs ----------------------------------------------------------------------------

TEST(BootstrapInputs, DigestIsFnv1a64) {
  EXPECT_EQ(bs::digest_hex(""), "cbf29ce484222325");
  EXPECT_EQ(bs::digest_hex("a"), "af63dc4c8601ec8c");
}

TEST(BootstrapInputs, EveryInputChangesTheDescription) {
  TempDir dir;
  write_file(dir.path() / "keyring.gpg", "key one");
  const auto debian = trixie_sources(dir.path() / "keyring.gpg");
  const std::vector<std::string> packages = {"busybox-static", "tini"};
  const std::string base = bs::describe_inputs(packages, debian);
  EXPECT_EQ(base, bs::describe_inputs(packages, debian));

  auto pinned = debian;
  pinned.pins.push_back({"tini", "trixie-backports", 990});
  EXPECT_NE(base, bs::describe_inputs(packages, pinned));
  auto more_sources = debian;
  more_sources.sources.push_back(
      {"http://deb.debian.org/debian-security", "trixie-security", {"main"}});
  EXPECT_NE(base, bs::describe_inputs(packages, more_sources));
  EXPECT_NE(base, bs::describe_inputs({"busybox-static"}, debian));
  write_file(dir.path() / "keyring.gpg", "key two");
  EXPECT_NE(base, bs::describe_inputs(packages, debian));
}

// --- .deb files ------------------------------------------------------------------------

TEST(BootstrapDebFile, ControlFieldsAndPaths) {
  EXPECT_EQ(
      bs::control_field("Package: tini\nVersion: 0.19\nDescription: x\n more\n\nPackage: other\n",
                        "version"),
      "0.19");
  EXPECT_EQ(bs::control_field("Package: tini\nDescription: one\n two\nVersion: 1\n", "Description"),
            "one\ntwo");
  EXPECT_EQ(bs::control_field("Package: tini\n\nVersion: 2\n", "Version"), "");
  EXPECT_EQ(bs::normalize_member_path("./usr/bin/"), "usr/bin");
  EXPECT_EQ(bs::normalize_member_path("./"), "");
  EXPECT_EQ(bs::normalize_member_path("usr/lib/os-release"), "usr/lib/os-release");
}

TEST(BootstrapDebFile, ReadsAPackageBuiltByDpkgDeb) {
  if (::access("/usr/bin/dpkg-deb", X_OK) != 0) GTEST_SKIP() << "dpkg-deb not installed";
  TempDir dir;
  const fs::path tree = dir.path() / "tree";
  write_file(
      tree / "DEBIAN" / "control",
      "Package: berth-test\nVersion: 1:2.0-1\nArchitecture: all\nMaintainer: t <t@example.org>\n"
      "Description: test\n");
  write_file(tree / "usr" / "bin" / "hello", "#!/bin/sh\n");
  fs::create_directories(tree / "etc" / "empty.d");
  fs::create_symlink("../lib/os-release", tree / "usr" / "bin" / "link");
  const fs::path deb = dir.path() / "berth-test_2.0-1_all.deb";
  const std::string command = "dpkg-deb --root-owner-group -Zxz --build '" + tree.string() + "' '" +
                              deb.string() + "' >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);

  const auto contents = bs::read_deb(deb);
  EXPECT_EQ(contents.package, "berth-test");
  EXPECT_EQ(contents.version, "1:2.0-1");
  EXPECT_EQ(contents.architecture, "all");
  const std::set<std::string> paths(contents.paths.begin(), contents.paths.end());
  EXPECT_EQ(paths, (std::set<std::string>{"etc", "etc/empty.d", "usr", "usr/bin", "usr/bin/hello",
                                          "usr/bin/link"}));
}

TEST(BootstrapDebFile, ReadsManyInOrderAndNamesTheBrokenOne) {
  if (::access("/usr/bin/dpkg-deb", X_OK) != 0) GTEST_SKIP() << "dpkg-deb not installed";
  TempDir dir;
  std::vector<fs::path> debs;
  for (const std::string name : {"berth-a", "berth-b", "berth-c", "berth-d", "berth-e"}) {
    const fs::path tree = dir.path() / name;
    write_file(tree / "DEBIAN" / "control",
               "Package: " + name + "\nVersion: 1\nArchitecture: all\n" +
                   "Maintainer: t <t@example.org>\nDescription: test\n");
    write_file(tree / "usr" / "share" / name / "file", name);
    debs.push_back(dir.path() / (name + "_1_all.deb"));
    const std::string command = "dpkg-deb --root-owner-group --build '" + tree.string() + "' '" +
                                debs.back().string() + "' >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0);
  }
  const auto contents = bs::read_debs(debs);
  ASSERT_EQ(contents.size(), debs.size());
  for (std::size_t i = 0; i < debs.size(); ++i) {
    EXPECT_EQ(contents[i].package + "_1_all.deb", debs[i].filename().string());
  }
  write_file(dir.path() / "broken_1_all.deb", "garbage");
  debs.insert(debs.begin() + 2, dir.path() / "broken_1_all.deb");
  try {
    bs::read_debs(debs);
    FAIL() << "read a broken .deb";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("broken_1_all.deb"), std::string::npos)
        << error.what();
  }
}

TEST(BootstrapDebFile, ContentsRoundTripAndTruncationIsRejected) {
  bs::DebContents contents;
  contents.package = "busybox-static";
  contents.version = "1:1.37.0-6+b9";
  contents.architecture = "amd64";
  contents.paths = {"usr", "usr/bin", "usr/bin/busybox", "usr/share/doc/busybox static/x y"};
  const std::string text = bs::render_contents(contents);
  const auto parsed = bs::parse_contents(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->package, contents.package);
  EXPECT_EQ(parsed->version, contents.version);
  EXPECT_EQ(parsed->architecture, contents.architecture);
  EXPECT_EQ(parsed->paths, contents.paths);
  EXPECT_FALSE(bs::parse_contents(text.substr(0, text.rfind("usr/bin/busybox"))));
  EXPECT_FALSE(bs::parse_contents("Package: x\n"));
}

TEST(BootstrapDebFile, NamesTheFileThatIsNoPackage) {
  TempDir dir;
  write_file(dir.path() / "broken.deb", "not an ar archive");
  try {
    bs::read_deb(dir.path() / "broken.deb");
    FAIL() << "read a broken .deb";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("broken.deb"), std::string::npos) << error.what();
  }
}

// --- file system helpers -------------------------------------------------------------

TEST(BootstrapFsUtil, ClearDirectoryKeepsTheDirectoryAndNeverFollowsLinks) {
  TempDir dir;
  write_file(dir.path() / "outside" / "precious", "keep me");
  const fs::path root = dir.path() / "root";
  write_file(root / "a" / "b", "x");
  fs::create_directory_symlink(dir.path() / "outside", root / "link");
  bs::clear_directory(root);
  EXPECT_TRUE(fs::is_directory(root));
  EXPECT_TRUE(fs::is_empty(root));
  EXPECT_TRUE(fs::exists(dir.path() / "outside" / "precious"));
  EXPECT_THROW(bs::clear_directory("/"), sdk::Error);
  EXPECT_THROW(bs::clear_directory("relative/rootfs"), sdk::Error);
}

// --- download cache ------------------------------------------------------------------

TEST(BootstrapPackageCache, KeepsRemembersAndSeeds) {
  TempDir dir;
  const bs::PackageCache cache(dir.path() / "cache");
  write_file(dir.path() / "run1" / "tini_0.19_amd64.deb", "tini");
  write_file(dir.path() / "run1" / "libc6_2.41_amd64.deb", "libc");
  const fs::path kept = cache.keep(dir.path() / "run1" / "tini_0.19_amd64.deb");
  EXPECT_EQ(kept, dir.path() / "cache" / "archives" / "tini_0.19_amd64.deb");
  EXPECT_EQ(bs::read_file(kept), "tini");
  cache.keep(dir.path() / "run1" / "libc6_2.41_amd64.deb");
  // A second keep of the same name leaves the cached file alone.
  write_file(dir.path() / "run2" / "tini_0.19_amd64.deb", "other");
  EXPECT_EQ(bs::read_file(cache.keep(dir.path() / "run2" / "tini_0.19_amd64.deb")), "tini");

  EXPECT_TRUE(cache.remembered("abc").empty());
  cache.remember("abc", {"libc6_2.41_amd64.deb", "tini_0.19_amd64.deb", "gone_1_amd64.deb"});
  EXPECT_EQ(cache.remembered("abc").size(), 3u);

  const fs::path archives = dir.path() / "rootfs" / "var" / "cache" / "apt" / "archives";
  const auto linked = cache.seed(cache.remembered("abc"), archives);
  EXPECT_EQ(linked, (std::vector<std::string>{"libc6_2.41_amd64.deb", "tini_0.19_amd64.deb"}));
  EXPECT_EQ(bs::read_file(archives / "tini_0.19_amd64.deb"), "tini");
  EXPECT_FALSE(fs::exists(archives / "gone_1_amd64.deb"));
}

TEST(BootstrapPackageCache, RemembersContentsPerFileName) {
  TempDir dir;
  const bs::PackageCache cache(dir.path() / "cache");
  EXPECT_FALSE(cache.contents("tini_0.19_amd64.deb"));
  bs::DebContents tini;
  tini.package = "tini";
  tini.version = "0.19";
  tini.architecture = "amd64";
  tini.paths = {"usr", "usr/bin", "usr/bin/tini"};
  cache.remember_contents("tini_0.19_amd64.deb", tini);
  const auto known = cache.contents("tini_0.19_amd64.deb");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->paths, tini.paths);
  EXPECT_FALSE(cache.contents("../contents/tini_0.19_amd64.deb"));
}

TEST(BootstrapPackageCache, SeedIgnoresNamesThatAreNoPlainDebFile) {
  TempDir dir;
  const bs::PackageCache cache(dir.path() / "cache");
  write_file(dir.path() / "secret.deb", "outside the pool");
  write_file(dir.path() / "cache" / "archives" / "notes.txt", "x");
  const auto linked =
      cache.seed({"../../secret.deb", "notes.txt", ".hidden.deb"}, dir.path() / "archives");
  EXPECT_TRUE(linked.empty());
}

// --- finishing the rootfs ------------------------------------------------------------

// --- trust store ------------------------------------------------------------------------

std::string pem(const std::string& body) {
  return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----";
}

TEST(BootstrapTrustStore, BundleLinksAndConfAsUpdateCaCertificatesMakesThem) {
  TempDir root;
  const fs::path share = root.path() / "usr/share/ca-certificates";
  write_file(share / "mozilla/Zeta_Root.crt", pem("zeta") + "\n");
  write_file(share / "mozilla/Alpha_Root.crt", pem("alpha"));  // no final newline
  write_file(share / "mozilla/README.crt", "not a certificate\n");
  write_file(share / "mozilla/notes.txt", pem("not a .crt"));
  write_file(share / "local/Mine.crt", pem("mine") + "\n");
  fs::create_symlink("/etc/passwd", share / "mozilla/Link.crt");

  EXPECT_EQ(bs::make_trust_store(root.path()), 3u);
  const fs::path certs = root.path() / "etc/ssl/certs";
  EXPECT_EQ(read_file(certs / "ca-certificates.crt"),
            pem("mine") + "\n" + pem("alpha") + "\n" + pem("zeta") + "\n");
  EXPECT_EQ(fs::read_symlink(certs / "Alpha_Root.pem"),
            "/usr/share/ca-certificates/mozilla/Alpha_Root.crt");
  EXPECT_EQ(fs::read_symlink(certs / "Mine.pem"), "/usr/share/ca-certificates/local/Mine.crt");
  EXPECT_FALSE(fs::exists(fs::symlink_status(certs / "README.pem")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(certs / "Link.pem")));
  const std::string conf = read_file(root.path() / "etc/ca-certificates.conf");
  EXPECT_NE(conf.find("\nlocal/Mine.crt\nmozilla/Alpha_Root.crt\nmozilla/Zeta_Root.crt\n"),
            std::string::npos)
      << conf;
  EXPECT_EQ(conf.find("README"), std::string::npos);

  // Again over its own result (a second build in the same tree): the same store.
  EXPECT_EQ(bs::make_trust_store(root.path()), 3u);
  EXPECT_EQ(read_file(certs / "ca-certificates.crt"),
            pem("mine") + "\n" + pem("alpha") + "\n" + pem("zeta") + "\n");
}

// A package's absolute link names the image's own directory: the store goes there, and
// nothing of the build host's is written.
TEST(BootstrapTrustStore, AbsoluteLinksInTheImageLeadToTheImagesOwnDirectories) {
  TempDir root;
  TempDir host;
  write_file(root.path() / "usr/share/ca-certificates/mozilla/Alpha_Root.crt", pem("alpha"));
  fs::create_directories(host.path() / "ssl/certs");
  fs::create_directories(root.path() / "etc");
  fs::create_symlink(host.path() / "ssl", root.path() / "etc/ssl");
  fs::create_symlink(host.path() / "ca-certificates.conf",
                     root.path() / "etc/ca-certificates.conf");

  EXPECT_EQ(bs::make_trust_store(root.path()), 1u);
  EXPECT_TRUE(fs::is_empty(host.path() / "ssl/certs"));
  EXPECT_FALSE(fs::exists(host.path() / "ca-certificates.conf"));
  const fs::path certs = root.path() / host.path().relative_path() / "ssl/certs";
  EXPECT_EQ(read_file(certs / "ca-certificates.crt"), pem("alpha") + "\n");
  EXPECT_EQ(fs::read_symlink(certs / "Alpha_Root.pem"),
            "/usr/share/ca-certificates/mozilla/Alpha_Root.crt");
  EXPECT_FALSE(fs::is_symlink(root.path() / "etc/ca-certificates.conf"));
}

TEST(BootstrapTrustStore, NothingWithoutCaCertificates) {
  TempDir root;
  EXPECT_EQ(bs::make_trust_store(root.path()), 0u);
  EXPECT_FALSE(fs::exists(root.path() / "etc/ssl/certs"));
  EXPECT_FALSE(fs::exists(root.path() / "etc/ca-certificates.conf"));
}

TEST(BootstrapRootfsLayout, PackagedPathsHoldParentsAndMergedUsrPlaces) {
  bs::DebContents libc;
  libc.paths = {"usr", "usr/lib64", "usr/lib64/ld-linux-x86-64.so.2",
                "lib/x86_64-linux-gnu/libold.so"};
  const auto paths = bs::packaged_paths({libc});
  for (const std::string expected :
       {"usr", "usr/lib64", "usr/lib64/ld-linux-x86-64.so.2", "lib", "lib/x86_64-linux-gnu",
        "lib/x86_64-linux-gnu/libold.so", "usr/lib", "usr/lib/x86_64-linux-gnu",
        "usr/lib/x86_64-linux-gnu/libold.so"}) {
    EXPECT_EQ(paths.count(expected), 1u) << expected;
  }
  EXPECT_EQ(paths.count("usr/usr"), 0u);
}

TEST(BootstrapRootfsLayout, FileOwnersNameEachPathsPackageAlsoUnderUsr) {
  bs::DebContents libc;
  libc.package = "libc6";
  libc.paths = {"usr/lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libold.so"};
  bs::DebContents jq;
  jq.package = "jq";
  jq.paths = {"usr/bin/jq"};
  EXPECT_EQ(bs::file_owners({libc, jq}),
            "usr/lib64/ld-linux-x86-64.so.2\tlibc6\n"
            "lib/x86_64-linux-gnu/libold.so\tlibc6\n"
            "usr/lib/x86_64-linux-gnu/libold.so\tlibc6\n"
            "usr/bin/jq\tjq\n");
}

// A tree as a tool leaves it: packaged files plus each tool's scaffolding.
class BootstrapFinishRootfs : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "rootfs";
    write_file(root_ / "usr" / "bin" / "busybox", "busybox");
    write_file(root_ / "usr" / "lib64" / "ld-linux-x86-64.so.2", "ld");
    write_file(root_ / "lib" / "modules-load.d" / "old.conf", "pre-merge layout");  // a real /lib
    write_file(root_ / "var" / "run" / "pkg.pid", "");  // base-files' var/run dir
    fs::create_directories(root_ / "var" / "lib" / "misc");
    write_file(root_ / "etc" / "default" / "docker", "DOCKER_OPTS=");
    // scaffolding
    write_file(root_ / "etc" / "resolv.conf", "nameserver 10.0.0.1\n");
    write_file(root_ / "etc" / "hostname", "buildhost\n");
    write_file(root_ / "etc" / "shells", "");
    write_file(root_ / "etc" / "apt" / "sources.list",
               "deb http://deb.debian.org/debian trixie main\n");
    write_file(root_ / "var" / "lib" / "dpkg" / "status", "Package: busybox\n");
    write_file(root_ / "var" / "lib" / "apt" / "lists" / "x_Packages", "");
    write_file(root_ / "var" / "cache" / "apt" / "archives" / "busybox_1_amd64.deb", "deb");
    write_file(root_ / "dev" / "null", "");
    fs::create_directory_symlink("./lib", root_ / "lib64");  // multistrap's guard_lib64

    bs::DebContents deb;
    deb.paths = {"usr/bin/busybox",
                 "usr/lib64/ld-linux-x86-64.so.2",
                 "lib/modules-load.d/old.conf",
                 "var/run",
                 "var/run/pkg.pid",
                 "var/lib/misc",
                 "etc/default/docker"};
    keep_ = bs::packaged_paths({deb});
  }

  TempDir dir_;
  fs::path root_;
  std::set<std::string> keep_;
};

TEST_F(BootstrapFinishRootfs, RemovesScaffoldingAndHostFiles) {
  bs::finish_rootfs(root_, keep_);
  for (const std::string gone : {"etc/resolv.conf", "etc/hostname", "etc/shells", "etc/apt",
                                 "var/lib/dpkg", "var/lib/apt", "var/cache/apt", "dev/null"}) {
    EXPECT_FALSE(fs::exists(fs::symlink_status(root_ / gone))) << gone;
  }
  EXPECT_EQ(bs::read_file(root_ / "usr" / "bin" / "busybox"), "busybox");
  EXPECT_EQ(bs::read_file(root_ / "etc" / "default" / "docker"), "DOCKER_OPTS=");
  EXPECT_TRUE(fs::is_directory(root_ / "var" / "lib" / "misc"));
}

TEST_F(BootstrapFinishRootfs, MakesMergedUsrAndRunLinks) {
  bs::finish_rootfs(root_, keep_);
  for (const std::string top : {"bin", "sbin", "lib", "lib64"}) {
    ASSERT_TRUE(fs::is_symlink(root_ / top)) << top;
    EXPECT_EQ(fs::read_symlink(root_ / top), fs::path("usr") / top);
  }
  EXPECT_FALSE(fs::exists(fs::symlink_status(root_ / "lib32")));
  EXPECT_EQ(bs::read_file(root_ / "usr" / "lib" / "modules-load.d" / "old.conf"),
            "pre-merge layout");
  EXPECT_EQ(bs::read_file(root_ / "lib64" / "ld-linux-x86-64.so.2"), "ld");
  EXPECT_EQ(fs::read_symlink(root_ / "var" / "run"), "/run");
  EXPECT_EQ(fs::read_symlink(root_ / "var" / "lock"), "/run/lock");
  EXPECT_TRUE(fs::exists(root_ / "run" / "pkg.pid"));
}

TEST_F(BootstrapFinishRootfs, AddsSkeletonAndEmptyMachineId) {
  bs::finish_rootfs(root_, keep_);
  for (const std::string dir : {"dev", "proc", "sys", "run", "tmp", "var/tmp", "root"}) {
    EXPECT_TRUE(fs::is_directory(root_ / dir)) << dir;
  }
  EXPECT_TRUE(fs::is_empty(root_ / "dev"));
  EXPECT_EQ(fs::status(root_ / "tmp").permissions(), fs::perms(01777));
  EXPECT_EQ(fs::status(root_ / "root").permissions(), fs::perms(0700));
  EXPECT_TRUE(fs::is_regular_file(root_ / "etc" / "machine-id"));
  EXPECT_EQ(fs::file_size(root_ / "etc" / "machine-id"), 0u);
}

TEST_F(BootstrapFinishRootfs, KeepsCorrectLinksAndIsIdempotent) {
  bs::finish_rootfs(root_, keep_);
  const auto first = bs::tree_fingerprint(root_);
  bs::ensure_merged_usr(root_);
  bs::ensure_run_links(root_);
  bs::ensure_skeleton(root_);
  EXPECT_EQ(bs::tree_fingerprint(root_), first);
}

TEST(BootstrapRootfsLayout, ConflictingMergeNamesThePaths) {
  TempDir dir;
  write_file(dir.path() / "bin" / "sh", "old sh");
  write_file(dir.path() / "usr" / "bin" / "sh", "new sh");
  try {
    bs::ensure_merged_usr(dir.path());
    FAIL() << "merged two different /bin/sh";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("/bin/sh"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("/usr/bin/sh"), std::string::npos) << error.what();
  }
}

// --- reuse stamp -------------------------------------------------------------------------

TEST(BootstrapReuseStamp, RoundTripsAndRejectsTruncation) {
  const bs::Stamp stamp{
      "tool multistrap\nrootfs /w/rootfs\nlayout 1\n",
      "0123456789abcdef-42",
      {{"busybox-static", "1:1.37.0-6+b9", "/var/cache/berth/bootstrap/archives/b b.deb"},
       {"tini", "0.19.0-3+b8", "/c/tini.deb"}}};
  const std::string text = bs::render_stamp(stamp);
  const auto parsed = bs::parse_stamp(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->request, stamp.request);
  EXPECT_EQ(parsed->fingerprint, stamp.fingerprint);
  ASSERT_EQ(parsed->packages.size(), 2u);
  EXPECT_EQ(parsed->packages[0].version, "1:1.37.0-6+b9");
  EXPECT_EQ(parsed->packages[0].deb, "/var/cache/berth/bootstrap/archives/b b.deb");
  EXPECT_FALSE(bs::parse_stamp(text.substr(0, text.size() - 4)));
  EXPECT_FALSE(bs::parse_stamp(""));
  EXPECT_FALSE(bs::parse_stamp("garbage\n" + text));
}

TEST(BootstrapReuseStamp, FingerprintSeesEveryChange) {
  TempDir dir;
  write_file(dir.path() / "etc" / "file", "x");
  const auto before = bs::tree_fingerprint(dir.path());
  EXPECT_EQ(bs::tree_fingerprint(dir.path()), before);

  fs::permissions(dir.path() / "etc" / "file", fs::perms(0600), fs::perm_options::replace);
  const auto chmodded = bs::tree_fingerprint(dir.path());
  EXPECT_NE(chmodded, before);
  write_file(dir.path() / "etc" / "new", "");
  const auto added = bs::tree_fingerprint(dir.path());
  EXPECT_NE(added, chmodded);
  // Same size and mtime after a rewrite: the ctime still moves.
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "etc" / "file").c_str(), &st), 0);
  ::usleep(10000);
  write_file(dir.path() / "etc" / "file", "y");
  const timespec times[2] = {st.st_atim, st.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir.path() / "etc" / "file").c_str(), times, 0), 0);
  EXPECT_NE(bs::tree_fingerprint(dir.path()), added);
}

}  // namespace
