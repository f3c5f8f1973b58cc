// init-busybox: which applets get links. (Paths inside the rootfs are the SDK's walker:
// sdk_root_paths_test.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "applet_links.hpp"

namespace berth::init_busybox {
namespace {

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

}  // namespace
}  // namespace berth::init_busybox
