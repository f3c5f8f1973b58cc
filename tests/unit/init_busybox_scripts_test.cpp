// init-busybox on the target: the `berth` command (/usr/bin/berth) and `berth status` (with
// its boot timeline, --boot), run under busybox sh and dash against fake command directories
// and fake trees.
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::init_busybox {
namespace {

namespace fs = std::filesystem;
using test::run_script;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kSource = BERTH_SOURCE_DIR;
const fs::path kRootfs = test::plugin_files("init-busybox") / "rootfs";
const fs::path kBerth = kRootfs / "usr/bin/berth";
const fs::path kStatus = kRootfs / "usr/lib/berth/commands/status";
const fs::path kBootTimeline = kRootfs / "usr/lib/berth/boot-timeline";

fs::path write_script(const TempDir& dir, const std::string& name, const std::string& text) {
  const fs::path file = dir.write(name, text);
  fs::permissions(file, fs::perms(0755));
  return file;
}

std::string kernel_release() {
  struct utsname names {};
  ::uname(&names);
  return names.release;
}

std::string unknown(const std::string& name) {
  return "berth: unknown command '" + name + "' (try 'berth help')\n";
}

class BerthCommand : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    shell_ = test::shell_command(GetParam());
    if (shell_.empty()) GTEST_SKIP() << GetParam() << " is not installed";
    write_script(root_, "usr/lib/berth/commands/zeta",
                 "#!/bin/sh\n# berth-command: the last letter\nprintf 'zeta:'\n"
                 "for a; do printf ' [%s]' \"$a\"; done\necho\nexit 3\n");
    write_script(root_, "usr/lib/berth/commands/alpha", "#!/bin/sh\necho alpha\n");
    write_script(root_, "usr/lib/berth/commands/.hidden", "#!/bin/sh\n# berth-command: hidden\n");
    write_script(root_, "usr/lib/berth/commands/old~", "#!/bin/sh\n# berth-command: a backup\n");
    root_.write("usr/lib/berth/commands/notes", "# berth-command: not executable\n");
  }

  ScriptOutcome berth(const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {}) {
    auto argv = shell_;
    argv.push_back(kBerth.string());
    argv.insert(argv.end(), args.begin(), args.end());
    auto full_env = env;
    full_env.push_back("BERTH_TEST_ROOT=" + root_.path().string());
    return run_script(argv, full_env);
  }

  std::vector<std::string> shell_;
  TempDir root_;
};

TEST_P(BerthCommand, ListsTheCommandsSortedWithTheirDescriptions) {
  const std::string table =
      "Commands:\n"
      "  alpha  (no description)\n"
      "  help   list the commands, or show the options of one (berth help COMMAND)\n"
      "  zeta   the last letter\n\n";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"help"}, {"--help"}, {"-h"}}) {
    const auto outcome = berth(args);
    EXPECT_EQ(outcome.status, 0);
    EXPECT_EQ(outcome.err, "");
    EXPECT_NE(outcome.out.find(table), std::string::npos) << outcome.out;
    // Hidden files, backups and files that cannot run are no commands.
    for (const char* absent : {"hidden", "backup", "executable"}) {
      EXPECT_EQ(outcome.out.find(absent), std::string::npos) << absent;
    }
  }
}

TEST_P(BerthCommand, RunsTheCommandWithItsArgumentsAndPassesItsStatusOn) {
  const auto outcome = berth({"zeta", "a", "b c", ""});
  EXPECT_EQ(outcome.status, 3);
  EXPECT_EQ(outcome.out, "zeta: [a] [b c] []\n");
}

TEST_P(BerthCommand, HelpCommandAsksTheCommandForItsHelp) {
  const auto outcome = berth({"help", "zeta"});
  EXPECT_EQ(outcome.status, 3);
  EXPECT_EQ(outcome.out, "zeta: [--help]\n");
}

TEST_P(BerthCommand, RefusesUnknownCommandsAndNamesOutsideTheDirectory) {
  for (const std::string name :
       {"nope", "../commands/zeta", "commands/zeta", ".hidden", "-x", "", "old~x", "notes/x"}) {
    for (const auto& args : {std::vector<std::string>{name}, {"help", name}}) {
      const auto outcome = berth(args);
      EXPECT_EQ(outcome.status, 2) << name;
      EXPECT_EQ(outcome.out, "") << name;
      EXPECT_EQ(outcome.err, unknown(name)) << name;
    }
  }
  EXPECT_EQ(berth({"help", "a", "b"}).status, 2);
}

TEST_P(BerthCommand, CommandThatCannotRunIsNamed) {
  const auto outcome = berth({"notes"});
  EXPECT_EQ(outcome.status, 126);
  EXPECT_EQ(outcome.err, "berth: " + (root_.path() / "usr/lib/berth/commands/notes").string() +
                             " is not executable\n");
}

// What a plugin author tries a command out with, before it is in an image.
TEST_P(BerthCommand, CommandsDirectoryReplacesTheImagesOne) {
  TempDir mine;
  write_script(mine, "mine", "#!/bin/sh\n# berth-command: my own\necho mine\n");
  const auto outcome = berth({"mine"}, {"BERTH_COMMANDS_DIR=" + mine.path().string()});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(outcome.out, "mine\n");
  EXPECT_EQ(berth({"zeta"}, {"BERTH_COMMANDS_DIR=" + mine.path().string()}).err, unknown("zeta"));
}

TEST_P(BerthCommand, VersionIsTheOneTheImageWasBuiltBy) {
  const auto missing = berth({"--version"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "berth: no version in " + root_.path().string() + "/etc/berth/version\n");

  root_.write("etc/berth/version", "0.1.0\n");
  const auto outcome = berth({"--version"});
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "Berth 0.1.0\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, BerthCommand, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

// Every command any plugin ships can be listed and run.
TEST(BerthCommands, EveryShippedCommandRunsAndDescribesItself) {
  int found = 0;
  for (const auto& plugin : fs::directory_iterator(kSource / "plugins")) {
    const fs::path dir = plugin.path() / "files/rootfs/usr/lib/berth/commands";
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      ++found;
      EXPECT_EQ(::access(entry.path().c_str(), X_OK), 0) << entry.path();
      std::ifstream in(entry.path());
      bool described = false;
      std::string line;
      for (int i = 0; i < 10 && std::getline(in, line); ++i) {
        if (line.rfind("# berth-command: ", 0) == 0 && line.size() > 17) described = true;
      }
      EXPECT_TRUE(described) << entry.path() << ": no '# berth-command: ' line near the top";
    }
  }
  EXPECT_GE(found, 1);
}

class BerthStatus : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    root_.write("etc/berth/version", "0.1.0\n");
    root_.write("proc/uptime", "200.52 150.00\n");
    cmdline("BOOT_IMAGE=/berth/boot/vmlinuz console=ttyS0");
    install_library(test::cmdline_sh());
    install_library(kBootTimeline);
    fs::permissions(root_.path() / "usr/lib/berth/boot-timeline", fs::perms(0755));
    fs::create_directories(rw());
    fs::create_directories(medium());
    mounts("berth-root / overlay rw 0 0\nberth-rw " + rw() + " tmpfs rw 0 0\n");
  }

  std::string rw() const { return (root_.path() / "run/berth/rw").string(); }
  std::string medium() const { return (root_.path() / "run/berth/medium").string(); }
  void mounts(const std::string& text) { root_.write("proc/mounts", text); }

  ScriptOutcome status(const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv = {kStatus.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_in_root(argv);
  }

  std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
};

TEST_P(BerthStatus, ReportsVersionMediumAndRoot) {
  root_.write("run/berth/medium.env",
              "BERTH_MEDIUM_ID='abc'\nBERTH_MEDIUM_DEVICE='/dev/sda1'\n"
              "BERTH_MEDIUM_DISK='/dev/sda'\nBERTH_MEDIUM_FSTYPE='vfat'\n"
              "BERTH_MEDIUM_DIR='" +
                  medium() + "'\n");
  mounts("berth-root / overlay rw 0 0\nberth-rw " + rw() + " tmpfs rw 0 0\n/dev/sda1 " + medium() +
         " vfat ro 0 0\n");
  const auto outcome = status();
  EXPECT_EQ(outcome.status, 0);
  const auto got = lines(outcome.out);
  ASSERT_EQ(got.size(), 3u) << outcome.out;
  EXPECT_EQ(got[0], "Berth 0.1.0 (kernel " + kernel_release() + ", up 3 min)");
  EXPECT_EQ(got[1], "boot medium: /dev/sda1 on /dev/sda (vfat, " + medium() + ")");
  EXPECT_EQ(got[2].rfind("root: overlay, writable layer in RAM (tmpfs, ", 0), 0) << got[2];
  EXPECT_NE(got[2].find(" used of "), std::string::npos) << got[2];
}

TEST_P(BerthStatus, CdMediumThatIsNoLongerMounted) {
  root_.write("run/berth/medium.env",
              "BERTH_MEDIUM_ID='abc'\nBERTH_MEDIUM_DEVICE='/dev/sr0'\n"
              "BERTH_MEDIUM_DISK='/dev/sr0'\nBERTH_MEDIUM_FSTYPE='iso9660'\n"
              "BERTH_MEDIUM_DIR='" +
                  medium() + "'\n");
  EXPECT_EQ(lines(status().out).at(1), "boot medium: /dev/sr0 (iso9660, no longer mounted)");
}

TEST_P(BerthStatus, TellsNoMediumFromAMediumThatDidNotShowUp) {
  EXPECT_EQ(lines(status().out).at(1),
            "boot medium: none (kernel and initrd loaded directly or over the network)");
  root_.write("proc/cmdline", "BOOT_IMAGE=/berth/boot/vmlinuz berth.medium=0123abcd\n");
  EXPECT_EQ(lines(status().out).at(1),
            "boot medium: not found (GRUB booted from medium 0123abcd, which did not show up)");
}

TEST_P(BerthStatus, WritableLayerOnADisk) {
  mounts("berth-root / overlay rw 0 0\n/dev/sdb1 " + rw() + " ext4 rw 0 0\n");
  const std::string root_line = lines(status().out).at(2);
  EXPECT_EQ(root_line.rfind("root: overlay, writable layer on /dev/sdb1 (ext4, ", 0), 0)
      << root_line;
}

TEST_P(BerthStatus, UptimeInUnitsPeopleRead) {
  const std::string prefix = "Berth 0.1.0 (kernel " + kernel_release() + ", up ";
  for (const auto& [uptime, text] : std::vector<std::pair<std::string, std::string>>{
           {"42.10", "42 s"}, {"7505.3", "2 h 5 min"}, {"273600.0", "3 days 4 h"}}) {
    root_.write("proc/uptime", uptime + " 1.0\n");
    EXPECT_EQ(lines(status().out).at(0), prefix + text + ")");
  }
}

TEST_P(BerthStatus, PluginLinesInNameOrderAndFailuresNamed) {
  const fs::path dir = "usr/lib/berth/status.d";
  write_script(root_, dir / "20-b", "#!/bin/sh\necho 'b: 2'\n");
  write_script(root_, dir / "10-a", "#!/bin/sh\necho 'a: 1'\necho 'a: more'\n");
  write_script(root_, dir / "30-c", "#!/bin/sh\necho 'c: half'\nexit 1\n");
  root_.write((dir / "40-d").string(), "#!/bin/sh\necho 'd: not executable'\n");
  write_script(root_, dir / "50-e~", "#!/bin/sh\necho 'e: a backup'\n");
  // Sees the same tree as the status command.
  write_script(root_, dir / "60-f", "#!/bin/sh\ncat \"$BERTH_TEST_ROOT/etc/berth/version\"\n");
  const auto outcome = status();
  EXPECT_EQ(outcome.status, 0);
  const auto got = lines(outcome.out);
  ASSERT_EQ(got.size(), 8u) << outcome.out;
  EXPECT_EQ(std::vector<std::string>(got.begin() + 3, got.end()),
            (std::vector<std::string>{"a: 1", "a: more", "b: 2", "30-c: failed", "0.1.0"}));
}

TEST_P(BerthStatus, HelpAndBadArguments) {
  const auto help = status({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out.rfind("usage: berth status [--boot]\n", 0), 0) << help.out;
  const auto bad = status({"--bogus"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err, "berth status: unknown argument '--bogus' (try 'berth help status')\n");
}

// What a BIOS CD boot writes: /init's steps, the services (one failing), docker in the
// background; and one line a crashed writer cut short.
constexpr const char* kBootLog =
    "[1.84] init: /init started\n"
    "[1.95] init: starting (kernel 6.12.57+deb13-amd64)\n"
    "[2.20] init: loading drivers for the hardware present\n"
    "[3.02] init: mounting the base image /berth/base.squashfs\n"
    "[3.25] init: early hook 40-persist\n"
    "[4.80] init: writable layer in RAM (size=50%)\n"
    "[4.95] init: switching to /sbin/init\n"
    "[5.40] rc: start 10-devices\n"
    "[7.90] rc: 10-devices start done\n"
    "[7.91] rc: start 12-medium\n"
    "[8.10] rc: 12-medium start failed (exit status 1)\n"
    "[8.11] rc: start 70-docker\n"
    "[8.30] rc: 70-docker start done\n"
    "[8.31] docker: dockerd started (pid 812)\n"
    "[8.40] r\n"
    "[8.40] rc: start 90-banner\n"
    "[8.60] rc: 90-banner start done\n"
    "[8.61] rc: start finished, 1 failed\n"
    "[12.2] docker: containerd answering\n"
    "[24.9] docker: API answering (docker 26.1.5+dfsg1)\n";

TEST_P(BerthStatus, BootTimelineIsATableOfStepsWithTheirDurations) {
  root_.write("run/berth/init.log", kBootLog);
  const auto outcome = status({"--boot"});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  const auto got = lines(outcome.out);
  const std::string header =
      "    time  step                                                duration";
  const std::vector<std::string> expected = {
      "Boot timeline from " + (root_.path() / "run/berth/init.log").string() +
          " (seconds since the kernel started):",
      "",
      header,
      "    0.00  kernel: start, unpacking the initramfs                  1.84",
      "    1.84  init: /init started                                     0.11",
      "    1.95  init: starting (kernel 6.12.57+deb13-amd64)             0.25",
      "    2.20  init: loading drivers for the hardware present          0.82",
      "    3.02  init: mounting the base image /berth/base.squashfs      0.23",
      "    3.25  init: early hook 40-persist                             1.55",
      "    4.80  init: writable layer in RAM (size=50%)                  0.15",
      // switch_root and busybox init, until the first service
      "    4.95  init: switching to /sbin/init                           0.45",
      // a service's own line, from its start to its end
      "    5.40  rc: start 10-devices                                    2.50",
      "    7.91  rc: start 12-medium (failed)                            0.19",
      "    8.11  rc: start 70-docker                                     0.19",
      // docker's steps run beside the services: each until docker's next line
      "    8.31  docker: dockerd started (pid 812)                       3.89",
      "    8.40  rc: start 90-banner                                     0.20",
      "    8.61  rc: start finished, 1 failed                               -",
      "   12.20  docker: containerd answering                           12.70",
      "   24.90  docker: API answering (docker 26.1.5+dfsg1)                -",
      "",
      "Docker answered 24.90 s after the kernel started.",
      "",
      "1 line(s) not of the form \"[UPTIME] SOURCE: EVENT\" skipped (the first: line 15).",
  };
  EXPECT_EQ(got, expected) << outcome.out;
}

TEST_P(BerthStatus, BootTimelineOfAHugeLogIsBounded) {
  std::string log;
  for (int i = 0; i < 100000; ++i) log += "[" + std::to_string(i) + ".5] rc: start " + "x\n";
  root_.write("run/berth/init.log", log);
  auto outcome = status({"--boot"});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  auto got = lines(outcome.out);
  EXPECT_LE(got.size(), 2010u);
  EXPECT_EQ(got.back(), "Only the first 2000 lines or 256 KiB were read.");

  // One endless line: skipped as malformed, not a crash.
  root_.write("run/berth/init.log", "[1.0] init: " + std::string(1 << 20, 'x'));
  outcome = status({"--boot"});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  got = lines(outcome.out);
  EXPECT_NE(std::find(got.begin(), got.end(), "(no events)"), got.end()) << outcome.out;
  EXPECT_EQ(got.back(), "Only the first 2000 lines or 256 KiB were read.");
}

TEST_P(BerthStatus, BootTimelineShowsNoControlCharactersAndCutsLongSteps) {
  root_.write("run/berth/init.log",
              "[1.00] init: warning: berth.x=\x1b[2J is unknown\n"
              "[2.00] init: " +
                  std::string(100, 'y') + "\n");
  const auto got = lines(status({"--boot"}).out);
  ASSERT_GE(got.size(), 5u);
  EXPECT_EQ(got[4],
            "    1.00  init: warning: berth.x=?[2J is unknown" + std::string(28, ' ') + "1.00");
  EXPECT_EQ(got[5], "    2.00  init: " + std::string(51, 'y') + "...         -");
}

TEST_P(BerthStatus, BootTimelineWithoutALogSaysSo) {
  const auto outcome = status({"--boot"});
  EXPECT_EQ(outcome.status, 1);
  EXPECT_EQ(outcome.out, "");
  EXPECT_EQ(outcome.err, "berth: no boot timeline: cannot read " +
                             (root_.path() / "run/berth/init.log").string() + "\n");
  EXPECT_EQ(status({"--boot", "now"}).status, 2);
}

INSTANTIATE_TEST_SUITE_P(Shells, BerthStatus, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::init_busybox
