// init-busybox: passwd/group/shadow as base-passwd's postinst would leave them.
#include <gtest/gtest.h>

#include "accounts.hpp"
#include "berth/sdk/error.hpp"

namespace berth::init_busybox {
namespace {

const char* kMasterPasswd =
    "root:*:0:0:root:/root:/bin/bash\n"
    "daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "nobody:*:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const char* kMasterGroup =
    "root:*:0:\n"
    "shadow:*:42:\n"
    "users:*:100:\n"
    "nogroup:*:65534:\n";

TEST(InitBusyboxAccounts, ParsesAndWritesBackUnchanged) {
  const auto passwd = AccountFile::parse(kMasterPasswd, "/etc/passwd", kPasswdFields);
  EXPECT_EQ(passwd.entries().size(), 3u);
  EXPECT_EQ(passwd.text(), kMasterPasswd);
  ASSERT_NE(passwd.find("daemon"), nullptr);
  EXPECT_EQ(passwd.find("daemon")->at(2), "1");
  EXPECT_EQ(passwd.find("missing"), nullptr);
}

TEST(InitBusyboxAccounts, MalformedLineNamesFileAndLine) {
  try {
    AccountFile::parse("root:x:0:0:root:/root:/bin/sh\nbroken:x:1\n", "/etc/passwd", kPasswdFields);
    FAIL() << "no error";
  } catch (const sdk::Error& error) {
    EXPECT_STREQ(error.what(), "/etc/passwd:2: expected 7 colon-separated fields, found 3");
  }
}

TEST(InitBusyboxAccounts, SystemUserTakesFirstIdFreeInBoth) {
  auto passwd = AccountFile::parse(kMasterPasswd, "/etc/passwd", kPasswdFields);
  auto group = AccountFile::parse(kMasterGroup, "/etc/group", kGroupFields);
  EXPECT_EQ(free_system_id(passwd, group), 101u);  // 100 is the users group
  add_system_user(passwd, group, "ntpd", "/var/run/openntpd");
  ASSERT_NE(passwd.find("ntpd"), nullptr);
  EXPECT_EQ(passwd.text().substr(passwd.text().find("\nntpd:") + 1),
            "ntpd:*:101:101:ntpd:/var/run/openntpd:/usr/sbin/nologin\n");
  EXPECT_NE(group.text().find("ntpd:*:101:\n"), std::string::npos);
  EXPECT_EQ(free_system_id(passwd, group), 102u);
  EXPECT_THROW(add_system_user(passwd, group, "ntpd", "/x"), sdk::Error);
}

TEST(InitBusyboxAccounts, ShadowLocksEveryoneButAConfiguredRoot) {
  auto passwd = AccountFile::parse(kMasterPasswd, "/etc/passwd", kPasswdFields);
  AccountFile shadow("/etc/shadow", kShadowFields);
  complete_shadow(shadow, passwd, "", 20000);
  EXPECT_EQ(shadow.text(),
            "root:*:20000:0:99999:7:::\n"
            "daemon:*:20000:0:99999:7:::\n"
            "nobody:*:20000:0:99999:7:::\n");

  complete_shadow(shadow, passwd, "$6$s$h", 20001);  // existing entries are kept
  EXPECT_EQ(shadow.find("root")->at(1), "$6$s$h");
  EXPECT_EQ(shadow.find("root")->at(2), "20000");
  EXPECT_EQ(shadow.entries().size(), 3u);

  point_to_shadow(passwd);
  EXPECT_EQ(passwd.find("root")->at(1), "x");
  EXPECT_EQ(passwd.find("nobody")->at(1), "x");
}

TEST(InitBusyboxAccounts, GshadowKeepsMembers) {
  auto group = AccountFile::parse("root:*:0:\naudio:*:29:alice,bob\n", "/etc/group", kGroupFields);
  AccountFile gshadow("/etc/gshadow", kGshadowFields);
  complete_gshadow(gshadow, group);
  EXPECT_EQ(gshadow.text(), "root:*::\naudio:*::alice,bob\n");
}

TEST(InitBusyboxAccounts, FallbacksParse) {
  const auto passwd = AccountFile::parse(fallback_passwd(), "/etc/passwd", kPasswdFields);
  const auto group = AccountFile::parse(fallback_group(), "/etc/group", kGroupFields);
  ASSERT_NE(passwd.find("root"), nullptr);
  EXPECT_EQ(passwd.find("root")->at(6), "/bin/sh");
  EXPECT_NE(group.find("tty"), nullptr);
}

}  // namespace
}  // namespace berth::init_busybox
