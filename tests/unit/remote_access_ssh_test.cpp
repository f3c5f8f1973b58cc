// remote-access's SSH: rc.d/72-ssh starts dropbear with -s (keys only) when, and only when, a
// key to let in exists on the medium, the data volume or the kernel command line; every key
// line is checked (no options, base64 keys, bounded files and counts), one line per refusal;
// host keys are made once and kept. dropbear and dropbearkey are stand-ins that record what
// they were asked.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::remote_access {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;

const fs::path kFiles = test::plugin_files("remote-access") / "rootfs";

const std::string kEd25519 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
const std::string kEcdsa =
    "ecdsa-sha2-nistp256 "
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrY"
    "MjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=";

// dropbear: its arguments in $BERTH_TEST_ROOT/dropbear-args, a pid file as -P asks (the pid of
// a process that lives a while). dropbearkey -t TYPE -f FILE: writes FILE.
constexpr const char* kFakeDropbear = R"SH(#!/bin/sh
printf '%s\n' "$@" >"$BERTH_TEST_ROOT/dropbear-args"
[ -e "$BERTH_TEST_ROOT/dropbear-fails" ] && exit 1
while [ $# -gt 0 ]; do
  [ "$1" = -P ] && pidfile=$2
  shift
done
sleep 30 >/dev/null 2>&1 &
echo $! >"$pidfile"
)SH";
constexpr const char* kFakeDropbearkey = R"SH(#!/bin/sh
[ "$1" = -t ] && [ "$3" = -f ] || exit 64
echo "$2 key" >"$4"
echo "$2" >>"$BERTH_TEST_ROOT/keys-made"
)SH";

class RemoteSsh : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    for (const char* name : {"remote.sh", "remote-ssh.sh"}) {
      install_library(kFiles / "usr/lib/berth" / name);
    }
    install_library(test::cmdline_sh());
    fs::permissions(root_.write("bin/dropbear", kFakeDropbear), fs::perms(0755));
    fs::permissions(root_.write("bin/dropbearkey", kFakeDropbearkey), fs::perms(0755));
    cmdline("console=ttyS0");
  }
  void TearDown() override {
    if (!shell_.empty()) rc("stop");
  }

  ScriptOutcome rc(const std::string& action = "start") {
    return run_in_root({(kFiles / "etc/berth/rc.d/72-ssh").string(), action});
  }
};

TEST_P(RemoteSsh, NoKeyNoServer) {
  root_.write("run/berth/ssh/authorized_keys", kEd25519 + " left from before\n");
  root_.write("root/.ssh/authorized_keys", "# no key here\n");
  const auto outcome = rc();
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_FALSE(exists("dropbear-args"));
  EXPECT_FALSE(exists("run/berth/ssh/authorized_keys")) << "a key from before stays out";
  EXPECT_EQ(rc("status").status, 3);
}

TEST_P(RemoteSsh, KeysFromAllFourSourcesAndNoPasswords) {
  root_.write("run/berth/medium/berth/ssh/authorized_keys",
              "# mine\n\n" + kEd25519 + " me@laptop\r\n");
  root_.write("var/lib/berth/ssh/authorized_keys", kEcdsa + "\n");
  root_.write("root/.ssh/authorized_keys", kEcdsa + " roots-own\n");
  cmdline("console=ttyS0 berth.ssh_key=\"" + kEd25519 + " from-cmdline\"");
  const auto outcome = rc();
  ASSERT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_EQ(outcome.err, "");
  EXPECT_NE(
      outcome.out.find("berth: ssh: listening on port 22, keys only (4 key(s) let in as root)"),
      std::string::npos)
      << outcome.out;
  EXPECT_EQ(read("run/berth/ssh/authorized_keys"), kEd25519 + " me@laptop\n" + kEcdsa + "\n" +
                                                       kEcdsa + " roots-own\n" + kEd25519 +
                                                       " from-cmdline\n");
  // -s: no password logins; the host keys from the state directory.
  const std::string state = path("var/lib/berth/ssh").string();
  EXPECT_EQ(read("dropbear-args"), "-s\n-p\n22\n-P\n" + path("run/berth/dropbear.pid").string() +
                                       "\n-D\n" + path("run/berth/ssh").string() + "\n-r\n" +
                                       state + "/dropbear_ed25519_host_key\n-r\n" + state +
                                       "/dropbear_ecdsa_host_key\n");
  EXPECT_EQ(read("keys-made"), "ed25519\necdsa\n");
  EXPECT_NE(outcome.out.find("in RAM (no data volume"), std::string::npos) << outcome.out;
  struct stat info {};
  ASSERT_EQ(::stat(path("run/berth/ssh/authorized_keys").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0077, 0u);
  ASSERT_EQ(::stat(path("run/berth/ssh").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(path("var/lib/berth/ssh").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  EXPECT_EQ(rc("status").status, 0);

  // Host keys are made once.
  rc("stop");
  root_.write("run/berth/persist.env", "BERTH_DATA_STATE='on'\n");
  const auto again = rc();
  EXPECT_EQ(again.out.find("host key"), std::string::npos) << again.out;
  EXPECT_EQ(read("keys-made"), "ed25519\necdsa\n");
}

TEST_P(RemoteSsh, BadLinesAreOneLineEachAndTheRestIsTaken) {
  root_.write("run/berth/medium/berth/ssh/authorized_keys",
              "command=\"rm -rf /\" " + kEd25519 + "\n" + "ssh-ed25519 AAAA$(reboot)\n" +
                  "ssh-dss AAAAB3NzaC1kc3M=\n" + "ssh-ed25519 AAAAC3Nz\x1b[2J \x1b]0;evil\x07\n" +
                  kEcdsa + " ok\n");
  cmdline("berth.ssh_key=nonsense");
  const auto outcome = rc();
  ASSERT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  const std::string where = "berth: ssh: the medium's berth/ssh/authorized_keys:";
  EXPECT_EQ(outcome.err,
            where +
                "1: not a public key line (TYPE KEY [COMMENT]; options are not taken); skipped\n" +
                where + "2: its key is not base64; skipped\n" + where +
                "3: not a public key line (TYPE KEY [COMMENT]; options are not taken); skipped\n" +
                where + "4: its key is not base64; skipped\n" +
                "berth: ssh: berth.ssh_key: not a public key line (TYPE KEY [COMMENT]; options "
                "are not taken); skipped\n");
  EXPECT_EQ(read("run/berth/ssh/authorized_keys"), kEcdsa + " ok\n");
}

TEST_P(RemoteSsh, CommentsAreCleanedAndFilesAndCountsBounded) {
  root_.write("var/lib/berth/ssh/authorized_keys", kEd25519 + " a\x1b[31mb\n");
  std::string many;
  for (int i = 0; i < 101; ++i) many += kEd25519 + " k" + std::to_string(i) + "\n";
  root_.write("run/berth/medium/berth/ssh/authorized_keys", many);
  auto outcome = rc();
  ASSERT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_NE(outcome.err.find(":101: more than 100 keys; the rest are not taken"), std::string::npos)
      << outcome.err;
  EXPECT_NE(outcome.err.find("authorized_keys:1: more than 100 keys"), std::string::npos)
      << "the data volume's key is one too many: " << outcome.err;
  rc("stop");

  root_.write("run/berth/medium/berth/ssh/authorized_keys", std::string(70000, 'x'));
  outcome = rc();
  EXPECT_NE(outcome.err.find("not a regular file of at most 65536 bytes; not read"),
            std::string::npos)
      << outcome.err;
  EXPECT_EQ(read("run/berth/ssh/authorized_keys"), kEd25519 + " a?[31mb\n");
  rc("stop");

  fs::remove(path("run/berth/medium/berth/ssh/authorized_keys"));
  fs::create_symlink(path("var/lib/berth/ssh/authorized_keys"),
                     path("run/berth/medium/berth/ssh/authorized_keys"));
  outcome = rc();
  EXPECT_NE(outcome.err.find("authorized_keys: not a regular file"), std::string::npos)
      << outcome.err;
}

TEST_P(RemoteSsh, ADropbearThatFailsIsOneLineAndAFailedService) {
  root_.write("var/lib/berth/ssh/authorized_keys", kEd25519 + "\n");
  root_.write("dropbear-fails", "");
  const auto outcome = rc();
  EXPECT_EQ(outcome.status, 1);
  EXPECT_NE(outcome.out.find("berth: ssh: dropbear did not start"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Shells, RemoteSsh, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::remote_access
