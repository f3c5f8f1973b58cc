// init-busybox: which applets get links, and reading paths inside a rootfs whose
// symlinks are absolute.
#include <gtest/gtest.h>

#include <set>

#include "applet_links.hpp"
#include "berth/sdk/error.hpp"
#include "rootfs_paths.hpp"
#include "test_support.hpp"

namespace berth::init_busybox {
namespace {

using test::TempDir;

TEST(InitBusyboxApplets, ParsesListFull) {
  EXPECT_EQ(parse_applet_list("usr/bin/[\nbin/ash\r\n\n  sbin/init  \nlinuxrc"),
            (std::vector<std::string>{"usr/bin/[", "bin/ash", "sbin/init", "linuxrc"}));
}

TEST(InitBusyboxApplets, RealProgramsWinAndOddPathsAreSkipped) {
  const std::set<std::string> real = {"ip", "modprobe", "busybox"};
  const auto provided = [&](const std::string& name) { return real.count(name) != 0; };
  const std::vector<std::string> applets = {
      "bin/ash",     "sbin/ip",   "sbin/modprobe", "linuxrc",   "bin/busybox",
      "usr/bin/awk", "sbin/init", "usr/bin/ash",   "etc/weird", "usr/sbin/udhcpd"};
  EXPECT_EQ(plan_applet_links(applets, provided),
            (std::vector<std::string>{"bin/ash", "usr/bin/awk", "sbin/init", "usr/sbin/udhcpd"}));
}

TEST(InitBusyboxApplets, CommandDirsCoverRootsPath) {
  const auto& dirs = command_dirs();
  for (const char* dir : {"usr/sbin", "usr/bin", "sbin", "bin", "usr/local/bin"}) {
    EXPECT_NE(std::find(dirs.begin(), dirs.end(), dir), dirs.end()) << dir;
  }
}

TEST(InitBusyboxRootfsPaths, AbsoluteLinksStayInsideTheRoot) {
  TempDir root;
  root.write("usr/sbin/xtables-nft-multi", "");
  fs::create_directories(root.path() / "etc/alternatives");
  fs::create_symlink("usr/bin", root.path() / "bin");  // merged /usr, relative
  fs::create_directories(root.path() / "usr/bin");
  fs::create_symlink("/usr/sbin/xtables-nft-multi", root.path() / "etc/alternatives/iptables");
  fs::create_symlink("/etc/alternatives/iptables", root.path() / "usr/sbin/iptables");
  fs::create_symlink("/etc/passwd", root.path() / "etc/escape");  // host file, not followed

  EXPECT_EQ(resolve_in_root(root.path(), "/usr/sbin/iptables"),
            root.path() / "usr/sbin/xtables-nft-multi");
  EXPECT_EQ(resolve_in_root(root.path(), "usr/sbin/iptables", false),
            root.path() / "usr/sbin/iptables");
  EXPECT_EQ(resolve_in_root(root.path(), "/bin/sh"), root.path() / "usr/bin/sh");
  EXPECT_EQ(resolve_in_root(root.path(), "/../../etc/escape"), root.path() / "etc/passwd");
  EXPECT_TRUE(exists_in_root(root.path(), "/usr/sbin/iptables"));
  EXPECT_TRUE(exists_in_root(root.path(), "/etc/escape"));  // a dangling link is something
  EXPECT_FALSE(exists_in_root(root.path(), "/bin/sh"));
}

TEST(InitBusyboxRootfsPaths, LinkLoopsAreAnError) {
  TempDir root;
  fs::create_symlink("/b", root.path() / "a");
  fs::create_symlink("/a", root.path() / "b");
  EXPECT_THROW(resolve_in_root(root.path(), "/a/x"), sdk::Error);
}

TEST(InitBusyboxRootfsPaths, WritesReplaceLinksInsteadOfFollowingThem) {
  TempDir root;
  TempDir outside;
  const fs::path victim = outside.write("resolv.conf", "host\n");
  fs::create_directories(root.path() / "etc");
  fs::create_symlink(victim, root.path() / "etc/resolv.conf");
  write_in_root(root.path(), "/etc/resolv.conf", "target\n");
  EXPECT_EQ(read_text(victim), "host\n");
  EXPECT_FALSE(fs::is_symlink(root.path() / "etc/resolv.conf"));
  EXPECT_EQ(read_text(root.path() / "etc/resolv.conf"), "target\n");
}

}  // namespace
}  // namespace berth::init_busybox
