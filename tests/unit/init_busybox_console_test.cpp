// init-busybox's /etc/berth/console: the live system's root shell by default; with
// berth.console=login (or an image built with autologin = false) getty and login, and never
// a shell while root has no password: then a line saying how to set one, and the login
// prompt once there is one. stty, getty and sleep are stand-ins that record their arguments.
#include <gtest/gtest.h>

#include "script_root_test.hpp"

namespace berth::init_busybox {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;

const fs::path kConsole = test::plugin_files("init-busybox") / "rootfs/etc/berth/console";

const std::string kHash =
    "$6$abcdefgh12345678$gkwvS54CwkFY7jVJD4DMoafvYmSobJL2PkyD2YJ6TqtW/YbN6k09rKJBQSjgNwIUNzKVIV."
    "p/xPBS9JwwXYdE/";

// stty fails when $BERTH_TEST_ROOT/no-tty exists. sleep records its argument; when
// $BERTH_TEST_ROOT/password-later exists, the first sleep sets root's password as
// `berth passwd` would; the third sleep ends the console script (TERM), as no password
// is coming.
constexpr const char* kStty = "#!/bin/sh\n[ ! -e \"$BERTH_TEST_ROOT/no-tty\" ]\n";
constexpr const char* kGetty =
    "#!/bin/sh\nprintf '%s\\n' \"$@\" >\"$BERTH_TEST_ROOT/getty-args\"\n";
constexpr const char* kSleep = R"SH(#!/bin/sh
echo "$1" >>"$BERTH_TEST_ROOT/slept"
if [ -e "$BERTH_TEST_ROOT/password-later" ]; then
  cp "$BERTH_TEST_ROOT/shadow-later" "$BERTH_TEST_ROOT/etc/shadow"
fi
[ "$(wc -l <"$BERTH_TEST_ROOT/slept")" -lt 3 ] || kill -TERM "$PPID"
)SH";

class ConsoleScript : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    for (const auto& [name, text] :
         {std::pair{"bin/stty", kStty}, {"bin/getty", kGetty}, {"bin/sleep", kSleep}}) {
      fs::permissions(root_.write(name, text), fs::perms(0755));
    }
    root_.write("dev/ttyS0", "");
    cmdline("console=ttyS0");
    shadow("*");
  }

  void shadow(const std::string& hash, const std::string& name = "etc/shadow") {
    root_.write(name, "root:" + hash + ":19675:0:99999:7:::\ndaemon:*:19675:0:99999:7:::\n");
  }
  ScriptOutcome console(const std::string& mode, const std::string& tty = "ttyS0") {
    return run_in_root({kConsole.string(), tty, "115200", "vt100", mode}, 30);
  }
};

TEST_P(ConsoleScript, LiveModeIsARootShellWithoutAPassword) {
  const auto outcome = console("autologin");
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(read("getty-args"), "-L\n-n\n-i\n-l\n/etc/berth/autologin\n115200\nttyS0\nvt100\n");
}

TEST_P(ConsoleScript, ConsoleLoginAsksForThePasswordOnSerialAndScreen) {
  cmdline("console=ttyS0 berth.console=login quiet");
  shadow(kHash);
  EXPECT_EQ(console("autologin").status, 0);
  EXPECT_EQ(read("getty-args"), "-L\n115200\nttyS0\nvt100\n") << "getty, then /bin/login";
  root_.write("dev/tty1", "");
  EXPECT_EQ(console("autologin", "tty1").status, 0);
  EXPECT_EQ(read("getty-args"), "115200\ntty1\nvt100\n");
  // The quoted spelling counts too.
  cmdline("berth.console=\"login\"");
  EXPECT_EQ(console("autologin").status, 0);
  EXPECT_EQ(read("getty-args"), "-L\n115200\nttyS0\nvt100\n");
}

TEST_P(ConsoleScript, OtherValuesKeepTheLiveShell) {
  cmdline("berth.console=loginx berth.consoles=login");
  shadow(kHash);
  EXPECT_EQ(console("autologin").status, 0);
  EXPECT_NE(read("getty-args").find("/etc/berth/autologin"), std::string::npos);
}

TEST_P(ConsoleScript, LockedWithoutAPasswordUntilOneIsSet) {
  cmdline("console=ttyS0 berth.console=login");
  for (const std::string locked : {"*", "!$6$abc$def", ""}) {
    shadow(locked);
    shadow(kHash, "shadow-later");
    root_.write("password-later", "");
    fs::remove(root_.path() / "slept");
    fs::remove(root_.path() / "getty-args");
    root_.write("dev/ttyS0", "");
    const auto outcome = console("autologin");
    EXPECT_EQ(outcome.status, 0) << locked << outcome.err;
    const std::string screen = read("dev/ttyS0");
    EXPECT_NE(screen.find("this console is locked"), std::string::npos) << screen;
    EXPECT_NE(screen.find("[init] root_password_hash"), std::string::npos)
        << "no berth passwd here: " << screen;
    EXPECT_EQ(read("slept"), "5\n") << "waited for the password";
    EXPECT_EQ(read("getty-args"), "-L\n115200\nttyS0\nvt100\n") << "then the login prompt";
  }
}

TEST_P(ConsoleScript, LockedMessageNamesBerthPasswdWhenTheImageHasIt) {
  fs::permissions(root_.write("usr/lib/berth/commands/passwd", "#!/bin/sh\n"), fs::perms(0755));
  shadow(kHash, "shadow-later");
  root_.write("password-later", "");
  EXPECT_EQ(console("login").status, 0);
  EXPECT_NE(read("dev/ttyS0").find("'berth passwd' sets one"), std::string::npos)
      << read("dev/ttyS0");
}

TEST_P(ConsoleScript, NeverAShellWhileLocked) {
  // No password comes: the script waits (the stand-in sleep ends it at the third wait)
  // and getty never runs.
  cmdline("berth.console=login");
  const auto outcome = console("autologin");
  EXPECT_NE(outcome.status, 0);
  EXPECT_EQ(read("slept"), "5\n5\n5\n");
  EXPECT_EQ(read("getty-args"), "");
}

TEST_P(ConsoleScript, APortThatCannotBeOpenedWaitsQuietly) {
  root_.write("no-tty", "");
  EXPECT_EQ(console("autologin").status, 0);
  EXPECT_EQ(read("slept"), "86400\n");
  EXPECT_EQ(read("getty-args"), "");
}

INSTANTIATE_TEST_SUITE_P(Shells, ConsoleScript, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::init_busybox
