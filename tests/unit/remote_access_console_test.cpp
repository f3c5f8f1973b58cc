// remote-access's console password: `berth passwd` keeps only a SHA-512 crypt hash of root's
// password on the data volume (0600 in a 0700 directory) and puts it into /etc/shadow at
// once; rc.d/71-console-password puts it back at every boot, leaves out what is not a hash,
// and says when berth.console=login finds the consoles locked. busybox's mkpasswd hashes,
// the host's openssl checks the hash.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "script_root_test.hpp"

namespace berth::remote_access {
namespace {

namespace fs = std::filesystem;
using test::run_script;
using test::ScriptOutcome;

const fs::path kFiles = test::plugin_files("remote-access") / "rootfs";
const std::string kOther = "daemon:*:19675:0:99999:7:::\nnobody:*:19675:0:99999:7:::\n";

class RemoteConsole : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    for (const char* tool : {"openssl", "busybox"}) {
      if (test::find_program(tool).empty()) GTEST_SKIP() << "no " << tool << " on this host";
    }
    for (const char* name : {"remote.sh", "remote-console.sh"}) {
      install_library(kFiles / "usr/lib/berth" / name);
    }
    install_library(test::cmdline_sh());
    root_.write("proc/cmdline", "console=ttyS0\n");
    root_.write("etc/shadow", "root:*:19675:0:99999:7:::\n" + kOther);
  }

  ScriptOutcome run(const fs::path& script, const std::vector<std::string>& args,
                    const std::string& input = "") {
    root_.write("input", input);
    // The password comes on standard input, as from a pipe.
    std::vector<std::string> argv = {"-c", "exec \"$@\" <\"$BERTH_TEST_ROOT/input\"", "sh"};
    argv.insert(argv.end(), shell_.begin(), shell_.end());
    argv.push_back(script.string());
    argv.insert(argv.end(), args.begin(), args.end());
    return run_in_root(argv);
  }
  ScriptOutcome passwd(const std::vector<std::string>& args, const std::string& input = "") {
    return run(kFiles / "usr/lib/berth/commands/passwd", args, input);
  }
  ScriptOutcome rc(const std::string& action = "start") {
    return run(kFiles / "etc/berth/rc.d/71-console-password", {action});
  }
  std::string root_hash() const {
    const std::string shadow = read("etc/shadow");
    const auto start = shadow.find("root:") + 5;
    return shadow.substr(start, shadow.find(':', start) - start);
  }
  // crypt(PASSWORD, the salt of HASH) == HASH: PASSWORD is the one HASH was made from.
  static bool matches(const std::string& hash, const std::string& password) {
    const std::string salt = hash.substr(3, hash.find('$', 3) - 3);
    const auto made = run_script({"openssl", "passwd", "-6", "-salt", salt, password}).out;
    return made == hash + "\n";
  }
  unsigned mode(const std::string& name) const {
    struct stat info {};
    ::stat((root_.path() / name).c_str(), &info);
    return info.st_mode & 07777;
  }
};

TEST_P(RemoteConsole, PasswdKeepsOnlyTheHashAndItCountsAtOnce) {
  const auto outcome = passwd({"--stdin"}, "correct horse battery\n");
  ASSERT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_NE(outcome.out.find("kept in RAM until the next boot"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("with berth.console=login on the kernel command line"),
            std::string::npos);
  const std::string kept = read("var/lib/berth/console/root.hash");
  ASSERT_EQ(kept.rfind("$6$", 0), 0u) << kept;
  EXPECT_EQ(kept.find("horse"), std::string::npos);
  EXPECT_EQ(mode("var/lib/berth/console"), 0700u);
  EXPECT_EQ(mode("var/lib/berth/console/root.hash"), 0600u);
  EXPECT_EQ(root_hash() + "\n", kept);
  EXPECT_TRUE(matches(root_hash(), "correct horse battery"));
  EXPECT_FALSE(matches(root_hash(), "correct horse batter"));
  EXPECT_EQ(read("etc/shadow"), "root:" + root_hash() + ":19675:0:99999:7:::\n" + kOther)
      << "the other accounts and fields stay";
  EXPECT_EQ(mode("etc/shadow"), 0640u);
}

// Each hash gets a salt of its own from the kernel's random numbers: the same password set
// twice gives two different hashes, both of it.
TEST_P(RemoteConsole, TheSamePasswordTwiceGetsTwoSalts) {
  ASSERT_EQ(passwd({"--stdin"}, "correct horse battery\n").status, 0);
  const std::string first = root_hash();
  ASSERT_EQ(passwd({"--stdin"}, "correct horse battery\n").status, 0);
  const std::string second = root_hash();
  EXPECT_NE(first, second);
  EXPECT_TRUE(matches(first, "correct horse battery"));
  EXPECT_TRUE(matches(second, "correct horse battery"));
  EXPECT_EQ(first.find('$', 3), 3u + 16u) << "a 16-character salt: " << first;
}

TEST_P(RemoteConsole, PasswdOnADataVolumeSaysSo) {
  root_.write("run/berth/persist.env", "BERTH_DATA_STATE='on'\n");
  root_.write("proc/cmdline", "console=ttyS0 berth.console=login\n");
  const auto outcome = passwd({"--stdin"}, "a long enough one\r\n");
  ASSERT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_NE(outcome.out.find("kept on the data volume"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("the consoles ask for it (berth.console=login)"), std::string::npos);
  EXPECT_TRUE(matches(root_hash(), "a long enough one")) << "a CR from a serial line is no part";
}

TEST_P(RemoteConsole, PasswdRefusesShortEmptyAndNonTerminalInputAndChangesNothing) {
  const std::string shadow = read("etc/shadow");
  for (const std::string input : {"short\n", "\n", ""}) {
    const auto outcome = passwd({"--stdin"}, input);
    EXPECT_EQ(outcome.status, 1) << input;
    EXPECT_NE(outcome.err.find("berth passwd: "), std::string::npos) << outcome.err;
  }
  const auto piped = passwd({}, "a long enough one\n");
  EXPECT_EQ(piped.status, 1);
  EXPECT_NE(piped.err.find("not a terminal"), std::string::npos) << piped.err;
  EXPECT_EQ(passwd({"--what"}).status, 2);
  EXPECT_EQ(passwd({"--stdin", "extra"}).status, 2);
  EXPECT_FALSE(fs::exists(root_.path() / "var/lib/berth/console/root.hash"));
  EXPECT_EQ(read("etc/shadow"), shadow);
}

TEST_P(RemoteConsole, DeleteLocksRootAgain) {
  ASSERT_EQ(passwd({"--stdin"}, "correct horse battery\n").status, 0);
  const auto outcome = passwd({"--delete"});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_FALSE(fs::exists(root_.path() / "var/lib/berth/console/root.hash"));
  EXPECT_EQ(root_hash(), "*");
}

TEST_P(RemoteConsole, BootPutsTheKeptHashIntoShadow) {
  ASSERT_EQ(passwd({"--stdin"}, "correct horse battery\n").status, 0);
  const std::string kept = read("var/lib/berth/console/root.hash");
  root_.write("etc/shadow", "root:*:19675:0:99999:7:::\n" + kOther);  // the image's again
  root_.write("proc/cmdline", "console=ttyS0 berth.console=login\n");
  const auto outcome = rc();
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "berth: console: asks for root's password (berth.console=login)\n");
  EXPECT_EQ(root_hash() + "\n", kept);
  EXPECT_EQ(rc("status").out, "console password: set (" + root_.path().string() +
                                  "/var/lib/berth/console/root.hash)\n");
}

TEST_P(RemoteConsole, BootWithoutAPasswordSaysTheConsoleIsLocked) {
  EXPECT_EQ(rc().out, "") << "nothing to say without berth.console=login";
  root_.write("proc/cmdline", "berth.console=login\n");
  EXPECT_EQ(rc().out,
            "berth: console: locked (berth.console=login and no password): 'berth passwd' sets "
            "one\n");
  EXPECT_EQ(root_hash(), "*");
  EXPECT_EQ(rc("status").out, "console password: none\n");
}

TEST_P(RemoteConsole, WhatIsNotAHashIsLeftOut) {
  const std::string shadow = read("etc/shadow");
  for (const std::string& bad :
       std::vector<std::string>{"plain text password\n", "$6$salt$abc:0:0\n", "$1$md5$weak\n", "\n",
                                "$6$salt$" + std::string(300, 'a') + "\n"}) {
    root_.write("var/lib/berth/console/root.hash", bad);
    const auto outcome = rc();
    EXPECT_EQ(outcome.status, 0);
    EXPECT_NE(outcome.out.find("is not a password hash; left out"), std::string::npos) << bad;
    EXPECT_EQ(read("etc/shadow"), shadow) << bad;
  }
  fs::remove(root_.path() / "var/lib/berth/console/root.hash");
  fs::create_symlink("/etc/passwd", root_.path() / "var/lib/berth/console/root.hash");
  EXPECT_NE(rc().out.find("is not a password hash; left out"), std::string::npos);
  EXPECT_EQ(read("etc/shadow"), shadow);
}

INSTANTIATE_TEST_SUITE_P(Shells, RemoteConsole, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::remote_access
