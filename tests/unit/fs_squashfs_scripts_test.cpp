// The shell side of fs-squashfs: /init and usr/lib/berth/cmdline.sh (the kernel command
// line helpers of /init and of on-target scripts), run by the shells that run them for
// real: busybox ash (when the host has a busybox) and dash, the POSIX reference at hand;
// and checked by shellcheck.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_paths.hpp"
#include "test_support.hpp"

extern char** environ;

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

const fs::path kFiles = fs::path(BERTH_SOURCE_DIR) / "plugins/fs-squashfs/files";
const fs::path kInitramfsFiles = kFiles / "initramfs";
const fs::path kInit = kInitramfsFiles / "init";
const fs::path kCmdlineSh = kFiles / "both/usr/lib/berth/cmdline.sh";
const fs::path kLibSh = kFiles / "both/usr/lib/berth/lib.sh";

struct Outcome {
  int status = -1;
  std::string output;
};

// Runs argv with stdout captured (stderr passes through, for failing tests' logs).
Outcome run(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  Outcome outcome;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
    outcome.output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (spawned != 0) throw std::runtime_error("cannot run " + argv[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  outcome.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

// The path of `program` on PATH, or "".
std::string which(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The shell to run the helpers with, as the argv prefix before "-c".
std::vector<std::string> shell(const std::string& name) {
  if (name == "busybox") {
    const auto busybox = which("busybox");
    if (busybox.empty()) return {};
    return {busybox, "sh"};
  }
  const auto path = which(name);
  if (path.empty()) return {};
  return {path};
}

class FsSquashfsCmdline : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    shell_ = shell(GetParam());
    if (shell_.empty()) GTEST_SKIP() << GetParam() << " is not installed";
  }

  // Sources cmdline.sh, loads `cmdline` from a file and runs `script`.
  Outcome with_cmdline(const std::string& cmdline, const std::string& script) {
    const auto file = dir_.write("cmdline", cmdline);
    auto argv = shell_;
    argv.insert(argv.end(), {"-c", ". \"$1\" && berth_cmdline_load \"$2\" && " + script, "sh",
                             kCmdlineSh.string(), file.string()});
    return run(argv);
  }

  std::vector<std::string> shell_;
  TempDir dir_;
};

// /proc/cmdline as the kernel shows it: words, quotes, a final newline.
const std::string kCmdline =
    "BOOT_IMAGE=/berth/boot/vmlinuz console=tty0 console=ttyS0,115200  quiet berth.debug "
    "berth.data=\"LABEL=My Disk\" \"berth.from=/dev/sr0  x\" berth.ram=1G berth.ram=2G "
    "berth.off=0 berth.q=\"a b\"c -- single\n";

TEST_P(FsSquashfsCmdline, SplitsAndUnquotesLikeTheKernel) {
  auto outcome = with_cmdline(kCmdline, "printf '%s' \"$BERTH_CMDLINE_ARGS\"");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.output,
            "BOOT_IMAGE=/berth/boot/vmlinuz\nconsole=tty0\nconsole=ttyS0,115200\nquiet\n"
            "berth.debug\nberth.data=LABEL=My Disk\nberth.from=/dev/sr0  x\nberth.ram=1G\n"
            "berth.ram=2G\nberth.off=0\nberth.q=a b\"c\n--\nsingle\n");
}

TEST_P(FsSquashfsCmdline, ParamGivesTheLastValue) {
  auto outcome = with_cmdline(kCmdline,
                              "echo \"[$(berth_param ram)] [$(berth_param data)] "
                              "[$(berth_param from)] [$(berth_cmdline_get console)]\"");
  EXPECT_EQ(outcome.output, "[2G] [LABEL=My Disk] [/dev/sr0  x] [ttyS0,115200]\n");
}

TEST_P(FsSquashfsCmdline, SecondsHaveOneRule) {
  // Each hook that waits reads berth.wait through this: the same answer everywhere.
  const std::string script =
      "for n in w0 w1 w2 w3 w4 w5 w6 w7 nosuch; do "
      "v=$(berth_param_seconds $n 10) && s=0 || s=$?; printf '%s=[%s]%s ' $n \"$v\" $s; done";
  auto outcome = with_cmdline(
      "berth.w0=0 berth.w1=15 berth.w2=9999 berth.w3=10000 berth.w4=5s berth.w5= "
      "berth.w6=-1 berth.w7 berth.w1=30\n",
      script);
  EXPECT_EQ(outcome.output,
            "w0=[0]0 w1=[30]0 w2=[9999]0 w3=[10]2 w4=[10]2 w5=[]1 w6=[10]2 w7=[]1 "
            "nosuch=[]1 ");
}

TEST_P(FsSquashfsCmdline, PresenceIsTheExitStatus) {
  auto outcome = with_cmdline(kCmdline,
                              "berth_param debug; echo \"debug=$?\"; "
                              "berth_param nosuch; echo \"nosuch=$?\"; "
                              "berth_cmdline_get quiet; echo \"quiet=$?\"; "
                              "berth_cmdline_get berth; echo \"berth=$?\"");
  EXPECT_EQ(outcome.output, "\ndebug=0\nnosuch=1\n\nquiet=0\nberth=1\n");
}

TEST_P(FsSquashfsCmdline, FlagIsOffWhenAbsentOrFalse) {
  auto outcome = with_cmdline(
      "berth.debug berth.a=1 berth.b=0 berth.c=no berth.d=off berth.e=false berth.f=yes\n",
      "for f in debug a b c d e f g; do berth_flag $f && printf '%s ' $f; done; echo");
  EXPECT_EQ(outcome.output, "debug a f \n");
}

TEST_P(FsSquashfsCmdline, ParamNamesAreUniqueInOrder) {
  auto outcome = with_cmdline(kCmdline + "", "berth_param_names");
  EXPECT_EQ(outcome.output, "debug\ndata\nfrom\nram\noff\nq\n");
  auto none = with_cmdline("console=ttyS0 berth. xberth.a=1\n", "berth_param_names; echo end");
  EXPECT_EQ(none.output, "end\n");
}

TEST_P(FsSquashfsCmdline, EmptyCommandLineHasNoArguments) {
  auto outcome =
      with_cmdline("\n", "printf '[%s]' \"$BERTH_CMDLINE_ARGS\"; berth_param x; echo $?");
  EXPECT_EQ(outcome.output, "[]1\n");
}

TEST_P(FsSquashfsCmdline, UnterminatedQuoteRunsToTheEnd) {
  auto outcome = with_cmdline("a=1 berth.x=\"b c\n", "berth_param x");
  EXPECT_EQ(outcome.output, "b c\n");
  // The third quote opens again, so the rest of the line belongs to the value, and
  // only a leading quote comes off (as in the kernel's next_arg).
  auto odd = with_cmdline("berth.q=\"a\"b\" -- single\n", "berth_param q; berth_param_names");
  EXPECT_EQ(odd.output, "a\"b\" -- single\nq\n");
}

TEST_P(FsSquashfsCmdline, MissingFileFailsTheLoad) {
  auto argv = shell_;
  argv.insert(argv.end(), {"-c", ". \"$1\"; berth_cmdline_load /nonexistent/cmdline; echo $?", "sh",
                           kCmdlineSh.string()});
  EXPECT_EQ(run(argv).output, "1\n");
}

TEST_P(FsSquashfsCmdline, LeavesTheCallersVariablesAlone) {
  auto outcome = with_cmdline(
      kCmdline,
      "line=L word=W arg=A value=V name=N; berth_param ram >/dev/null; "
      "berth_param_names >/dev/null; berth_flag debug; echo \"$line$word$arg$value$name\"");
  EXPECT_EQ(outcome.output, "LWAVN\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, FsSquashfsCmdline, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

// lib.sh, the primitives every on-target script shares, under each shell.
class FsSquashfsLib : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    shell_ = shell(GetParam());
    if (shell_.empty()) GTEST_SKIP() << GetParam() << " is not installed";
  }

  Outcome with_lib(const std::string& script) {
    auto argv = shell_;
    argv.insert(argv.end(), {"-c", "set -eu; . \"$1\"; cd \"$2\"; " + script, "sh", kLibSh.string(),
                             dir_.path().string()});
    return run(argv);
  }

  std::vector<std::string> shell_;
  TempDir dir_;
};

TEST_P(FsSquashfsLib, QuotedValuesReadBackAsTheyWere) {
  // Whatever a value holds (it may come from a label or a kernel parameter) is data when
  // the file is sourced again: nothing runs, nothing expands.
  const auto outcome = with_lib(
      "v=\"it's \\$(touch pwned) \\`touch pwned\\` \\\"q\\\" $\n'';x\"; "
      "berth_env_write state.env A \"$v\" B '' C plain; A=; B=x; C=; . ./state.env; "
      "[ \"$A\" = \"$v\" ] && [ -z \"$B\" ] && [ \"$C\" = plain ] && [ ! -e pwned ] && echo same; "
      "berth_sh_quote \"a'b\"; echo; ls");
  EXPECT_EQ(outcome.output, "same\n'a'\\''b'\nstate.env\n") << outcome.output;
}

TEST_P(FsSquashfsLib, StateFilesAreReplacedWholeOrNotAtAll) {
  // A directory in the way of FILE.tmp: the write fails with status 1 and the old file
  // stays as it was.
  const auto outcome = with_lib(
      "berth_env_write state.env X old; mkdir state.env.tmp; "
      "if berth_env_write state.env X new 2>/dev/null; then echo wrote; else echo refused; fi; "
      "cat state.env");
  EXPECT_EQ(outcome.output, "refused\nX='old'\n");
}

// berth_wait_until with the clock replaced: each usleep moves a fake clock (in tenths) by
// its pause and is logged, none is waited; a try costs $cost tenths (0 unless set).
constexpr const char* kCountPauses =
    "now=0; cost=0; berth_uptime_tenths() { echo \"$now\"; }\n"
    "pauses=0; usleep() { pauses=$((pauses + 1)); now=$((now + $1 / 100000)); }\n"
    "tries=0; ready_on() { tries=$((tries + 1)); now=$((now + cost)); [ \"$tries\" -ge \"$1\" ]; "
    "}\n";

TEST_P(FsSquashfsLib, WaitingStopsAtTheFirstSuccess) {
  const auto outcome = with_lib(std::string(kCountPauses) +
                                "berth_wait_until 5 ready_on 3; "
                                "echo \"status=$? tries=$tries pauses=$pauses\"");
  EXPECT_EQ(outcome.output, "status=0 tries=3 pauses=2\n");
}

TEST_P(FsSquashfsLib, WaitingEndsAtTheLimitWithStatusOne) {
  // 2 s: twenty pauses of 0.1 s and a try after each; never ready.
  const auto outcome = with_lib(std::string(kCountPauses) +
                                "if berth_wait_until 2 ready_on 99; then echo ready; fi; "
                                "echo \"tries=$tries pauses=$pauses\"");
  EXPECT_EQ(outcome.output, "tries=21 pauses=20\n");
  const auto once = with_lib(std::string(kCountPauses) +
                             "berth_wait_until 0 ready_on 2 || echo \"gave up: tries=$tries "
                             "pauses=$pauses\"");
  EXPECT_EQ(once.output, "gave up: tries=1 pauses=0\n");
}

TEST_P(FsSquashfsLib, TheLimitIsTheClocksNotACountOfPauses) {
  // Each try takes 0.9 s (a docker CLI under emulation): within 2 s there is time for
  // three tries, not for the twenty a count of pauses would allow (19 s).
  const auto slow = with_lib(std::string(kCountPauses) +
                             "cost=9; berth_wait_until 2 ready_on 99 || "
                             "echo \"gave up at $now tenths: tries=$tries\"");
  EXPECT_EQ(slow.output, "gave up at 29 tenths: tries=3\n");
  // berth_wait_every: a second between tries of something heavy.
  const auto every = with_lib(std::string(kCountPauses) +
                              "berth_wait_every 10 3 ready_on 99 || "
                              "echo \"tries=$tries pauses=$pauses\"");
  EXPECT_EQ(every.output, "tries=4 pauses=3\n");
}

TEST_P(FsSquashfsLib, WaitingPassesTheArgumentsAndNeverTripsSetE) {
  // `set -e` is on in with_lib: the command's failures while waiting end nothing.
  const auto outcome = with_lib(std::string(kCountPauses) +
                                "touch later; berth_wait_until 1 test -e 'a file' || "
                                "echo missing; berth_wait_until 1 test -e later && echo found");
  EXPECT_EQ(outcome.output, "missing\nfound\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, FsSquashfsLib, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

// berth_wait_for (early.sh) with the machine's clock and devices replaced: every usleep moves
// a fake clock, and a try costs $TRY_TENTHS of it (the slow blkid of an emulated machine).
class FsSquashfsWait : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    shell_ = shell(GetParam());
    if (shell_.empty()) GTEST_SKIP() << GetParam() << " is not installed";
  }

  Outcome wait(const std::string& script) {
    auto argv = shell_;
    argv.insert(argv.end(),
                {"-c",
                 // The clock and the count of tries live in files: a try runs in a
                 // subshell, as the real blkid does in a process of its own.
                 "set -u; . \"$1\"\n"
                 "t=$(mktemp -d); echo 0 >$t/now; echo 0 >$t/tries; devices=3\n"
                 "tick() { echo $(($(cat $t/now) + $1)) >$t/now; }\n"
                 "usleep() { tick $(($1 / 100000)); }\n"
                 "berth_uptime_tenths() { cat $t/now; }\n"
                 "berth_device_count() { echo \"$devices\"; }\n"
                 "berth_msg() { echo \"msg: $*\"; }\n"
                 "berth_coldplug() { echo coldplug; }\n"
                 // A try: the clock moves by TRY_TENTHS; prints found on try FOUND_AT.
                 "look() { tries=$(($(cat $t/tries) + 1)); echo $tries >$t/tries; "
                 "tick ${TRY_TENTHS:-0}; [ \"$tries\" = \"${FOUND_AT:-0}\" ] && echo /dev/found; "
                 "return 0; }\n"
                 "tries() { cat $t/tries; }\n" +
                     script,
                 "sh", (kInitramfsFiles / "usr/lib/berth/early.sh").string()});
    return run(argv);
  }

  std::vector<std::string> shell_;
};

TEST_P(FsSquashfsWait, DefaultLabelsWaitOnlyWhileDisksMayStillAppear) {
  // berth_settle_seconds reads the buses under the test root: a VM with neither USB nor an
  // MMC/SD host has every disk at the first look; a USB or MMC host may still announce one;
  // a USB mass-storage interface is a disk on its way.
  auto settle = [this](const TempDir& root) {
    setenv("BERTH_TEST_ROOT", root.path().c_str(), 1);
    const auto outcome = wait("berth_settle_seconds");
    unsetenv("BERTH_TEST_ROOT");
    return outcome.output;
  };
  TempDir bare;
  std::filesystem::create_directories(bare.path() / "sys/bus/usb/devices");
  EXPECT_EQ(settle(bare), "0\n");
  TempDir usb_host;
  usb_host.write("sys/bus/usb/devices/usb1/bDeviceClass", "09\n");
  EXPECT_EQ(settle(usb_host), "2\n");
  TempDir mmc_host;
  std::filesystem::create_directories(mmc_host.path() / "sys/class/mmc_host/mmc0");
  EXPECT_EQ(settle(mmc_host), "2\n");
  TempDir usb_disk_coming;
  usb_disk_coming.write("sys/bus/usb/devices/usb1/bDeviceClass", "09\n");
  usb_disk_coming.write("sys/bus/usb/devices/1-1:1.0/bInterfaceClass", "08\n");
  EXPECT_EQ(settle(usb_disk_coming), "10\n");
  // Its disk is there (usb-storage scanned it): only the USB host's short look is left.
  usb_disk_coming.write("sys/bus/usb/devices/1-1:1.0/host2/target2:0:0/2:0:0:0/block/sda/size",
                        "7864320\n");
  EXPECT_EQ(settle(usb_disk_coming), "2\n");
  // A second stick still being set up is waited for.
  usb_disk_coming.write("sys/bus/usb/devices/1-2:1.0/bInterfaceClass", "08\n");
  EXPECT_EQ(settle(usb_disk_coming), "10\n");
}

TEST_P(FsSquashfsWait, ASettleLimitIsAskedAgainAfterEveryTry) {
  // A USB disk being set up (10 s) has its disk from the third try on (2 s): the wait ends
  // at 2 s by the clock, not 10 (pauses of 0.25 s, counted as 0.2: tries at 0, 0.2 ... 2.0).
  const auto outcome = wait(
      "berth_settle_seconds() { if [ \"$(tries)\" -ge 3 ]; then echo 2; else echo 10; fi; }\n"
      "berth_wait_for settle '' look; echo \"status=$? tries=$(tries) limit=$BERTH_WAIT_SECONDS\"");
  EXPECT_EQ(outcome.output, "status=1 tries=11 limit=2\n");
  // A number stays a number.
  const auto fixed = wait("berth_wait_for 1 '' look; echo \"status=$? limit=$BERTH_WAIT_SECONDS\"");
  EXPECT_EQ(fixed.output, "status=1 limit=1\n");
}

TEST_P(FsSquashfsWait, TheLimitIsTheClocksNotACountOfTries) {
  // Tries of 1 s each against a 2 s limit: two tries (at 0 and 1.2 s; the second ends past
  // the limit), not the ten that counting pauses would make.
  setenv("TRY_TENTHS", "10", 1);
  const auto slow = wait(
      "berth_wait_for 2 'waiting for it' look; echo \"status=$? tries=$(tries) "
      "found=[$BERTH_FOUND]\"");
  unsetenv("TRY_TENTHS");
  EXPECT_EQ(slow.output, "msg: waiting for it\nstatus=1 tries=2 found=[]\n");
  // Instant tries: 2 s of 0.25 s pauses (counted in whole tenths: 0.2 s).
  const auto fast = wait("berth_wait_for 2 '' look; echo \"status=$? tries=$(tries)\"");
  EXPECT_EQ(fast.output, "status=1 tries=11\n");
}

TEST_P(FsSquashfsWait, StopsAtTheFirstFindAndZeroMeansOneLook) {
  setenv("FOUND_AT", "3", 1);
  const auto found = wait(
      "berth_wait_for 10 'waiting' look; echo \"status=$? tries=$(tries) found=[$BERTH_FOUND]\"");
  EXPECT_EQ(found.output, "msg: waiting\nstatus=0 tries=3 found=[/dev/found]\n");
  setenv("FOUND_AT", "2", 1);
  const auto once = wait("berth_wait_for 0 'waiting' look; echo \"status=$? tries=$(tries)\"");
  unsetenv("FOUND_AT");
  EXPECT_EQ(once.output, "status=1 tries=1\n");
}

TEST_P(FsSquashfsWait, DeviceSpecsHaveOneLookup) {
  // LABEL=, UUID= and PARTUUID= go to blkid (here a stand-in that echoes its tag), a /dev
  // path counts only when it is a block device, anything else names nothing.
  TempDir root;
  root.write("sys/class/block/vda/dev", "254:0\n");
  setenv("BERTH_TEST_ROOT", root.path().c_str(), 1);
  const auto outcome = wait(
      "berth_base_exec() { [ \"$1 $2 $3 $4 $5 $6\" = 'blkid -c /dev/null -o device -t' ] && "
      "echo \"dev-for-$7\"; }\n"
      "for spec in LABEL=BERTH-DATA UUID=1234 PARTUUID=ab-01 LABEL= /dev/null /dev/ "
      "/dev/nonesuch data; do printf '%s: [%s] ' \"$spec\" \"$(berth_spec_devices \"$spec\")\"; "
      "done; echo");
  EXPECT_EQ(outcome.output,
            "LABEL=BERTH-DATA: [dev-for-LABEL=BERTH-DATA] UUID=1234: [dev-for-UUID=1234] "
            "PARTUUID=ab-01: [dev-for-PARTUUID=ab-01] LABEL=: [] /dev/null: [] /dev/: [] "
            "/dev/nonesuch: [] data: [] \n");
  unsetenv("BERTH_TEST_ROOT");
}

TEST_P(FsSquashfsWait, NoDiskMeansNoLabelLookup) {
  // Loop devices, RAM disks and optical drives hold no data volume: with nothing else there
  // blkid does not start, and a label names nothing. One disk among them, and it does.
  TempDir root;
  for (const char* device : {"loop0", "loop7", "ram0", "zram0", "sr0"}) {
    root.write(std::string("sys/class/block/") + device + "/dev", "7:0\n");
  }
  setenv("BERTH_TEST_ROOT", root.path().c_str(), 1);
  const std::string lookup =
      "berth_base_exec() { echo \"blkid ran\"; }\n"
      "printf '[%s] ' \"$(berth_spec_devices LABEL=BERTH-DATA)\"; "
      "berth_disks_present && echo disks || echo none";
  EXPECT_EQ(wait(lookup).output, "[] none\n");
  root.write("sys/class/block/nvme0n1/dev", "259:0\n");
  EXPECT_EQ(wait(lookup).output, "[blkid ran] disks\n");
  unsetenv("BERTH_TEST_ROOT");
  // No /sys/class/block at all (the glob stays a pattern): no disk either.
  TempDir empty;
  setenv("BERTH_TEST_ROOT", empty.path().c_str(), 1);
  EXPECT_EQ(wait(lookup).output, "[] none\n");
  unsetenv("BERTH_TEST_ROOT");
}

TEST_P(FsSquashfsWait, LoadsDriversOnlyWhenDevicesAppeared) {
  // A USB controller's devices show up after the second try: one coldplug, not one per pause.
  const auto out = wait(
      "look2() { look; }\nberth_device_count() { [ \"$(tries)\" -lt 2 ] && echo 3 || echo 5; }\n"
      "berth_wait_for 1 '' look2; echo \"status=$? tries=$(tries)\"");
  EXPECT_EQ(out.output, "coldplug\nstatus=1 tries=6\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, FsSquashfsWait, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

class FsSquashfsScripts : public ::testing::TestWithParam<std::string> {};

TEST_P(FsSquashfsScripts, ParsesUnderEveryShell) {
  for (const char* name : {"busybox", "dash"}) {
    auto argv = shell(name);
    if (argv.empty()) continue;
    argv.insert(argv.end(), {"-n", (kFiles / GetParam()).string()});
    EXPECT_EQ(run(argv).status, 0) << name << " -n " << GetParam();
  }
}

TEST_P(FsSquashfsScripts, IsShellcheckClean) {
  const auto shellcheck = which("shellcheck");
  if (shellcheck.empty()) GTEST_SKIP() << "shellcheck is not installed";
  // -x follows /init's `. cmdline.sh` (its source-path directive names the directory).
  auto outcome = run({shellcheck, "-s", "sh", "-x", (kFiles / GetParam()).string()});
  EXPECT_EQ(outcome.status, 0) << outcome.output;
}

INSTANTIATE_TEST_SUITE_P(Files, FsSquashfsScripts,
                         ::testing::Values("initramfs/init", "both/usr/lib/berth/cmdline.sh",
                                           "both/usr/lib/berth/lib.sh",
                                           "initramfs/usr/lib/berth/early.sh"),
                         [](const auto& param_info) {
                           const std::string file = param_info.param;
                           const std::string name = file.substr(file.rfind('/') + 1);
                           return name.substr(0, name.find('.')) +
                                  (name.find('.') == std::string::npos ? "" : "_sh");
                         });

TEST(FsSquashfsInit, IsExecutableAndStartsWithBinSh) {
  EXPECT_EQ(::access(kInit.c_str(), X_OK), 0);
  std::ifstream in(kInit);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "#!/bin/sh");
}

}  // namespace
}  // namespace berth::fs_squashfs
