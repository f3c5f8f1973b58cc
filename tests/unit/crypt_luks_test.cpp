// crypt-luks: the unlock hook's decisions (which container, interrupted installs, key
// files, the passphrase prompt on every console), luks.sh's cryptsetup calls and
// passphrase checks, `berth status`'s line, and the plugin's refusal of a rootfs without
// cryptsetup. The scripts run under busybox sh and dash; blkid, cryptsetup and mount are
// shell functions reading a fake device table, and the consoles are pseudo-terminals
// the test types into, so echo and the terminals' state are real.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>

#include "berth/sdk/error.hpp"
#include "berth/sdk/testing/build_context.hpp"
#include "early_hook_prelude.hpp"
#include "fake_block_devices.hpp"
#include "install_files.hpp"
#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::crypt_luks {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kFiles = fs::path(BERTH_SOURCE_DIR) / "plugins/crypt-luks/files";
const fs::path kHook = kFiles / "initramfs/usr/lib/berth/early.d/30-unlock";
const fs::path kLibrary = kFiles / "rootfs/usr/lib/berth/luks.sh";
const fs::path kStatus = kFiles / "rootfs/usr/lib/berth/status.d/25-encryption";

constexpr const char* kPrompt = "Passphrase for the Berth data volume";

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t found = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++found;
  return found;
}

// A console: a pseudo-terminal whose slave side the script opens by name. A typist thread
// records what the script shows and, each time `prompt` appears once more, types the next
// line (with the Enter key's carriage return).
class Terminal {
 public:
  Terminal(std::string prompt, std::vector<std::string> lines)
      : prompt_(std::move(prompt)), lines_(std::move(lines)) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) return;
    name_ = ::ptsname(master_);
    // Held open here too: the script's opens and closes never hang the terminal up, and
    // its settings stay for echo_on() to read.
    slave_ = ::open(name_.c_str(), O_RDWR | O_NOCTTY);
    if (slave_ < 0) return;
    typist_ = std::thread([this] { type(); });
  }
  ~Terminal() {
    stop();
    for (int fd : {slave_, master_}) {
      if (fd >= 0) ::close(fd);
    }
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  bool usable() const { return slave_ >= 0; }
  const std::string& name() const { return name_; }

  // What the script wrote on the terminal (and the terminal echoed).
  std::string shown() {
    stop();
    std::lock_guard<std::mutex> lock(mutex_);
    return shown_;
  }

  bool echo_on() const {
    termios settings{};
    return ::tcgetattr(slave_, &settings) == 0 && (settings.c_lflag & ECHO) != 0;
  }

  // Types `line` now and reads it back from the test's own slave side: a reader the
  // script left behind would have taken it.
  bool line_reaches_nobody_else(const std::string& line) {
    stop();
    const std::string typed = line + "\r";
    if (::write(master_, typed.data(), typed.size()) != static_cast<ssize_t>(typed.size())) {
      return false;
    }
    pollfd ready{slave_, POLLIN, 0};
    if (::poll(&ready, 1, 2000) != 1) return false;
    char buffer[256];
    const ssize_t got = ::read(slave_, buffer, sizeof buffer);
    return got > 0 && std::string(buffer, static_cast<std::size_t>(got)) == line + "\n";
  }

 private:
  void type() {
    std::size_t typed = 0;
    char buffer[512];
    while (!stopping_) {
      pollfd ready{master_, POLLIN, 0};
      if (::poll(&ready, 1, 20) == 1) {
        const ssize_t got = ::read(master_, buffer, sizeof buffer);
        if (got > 0) {
          std::lock_guard<std::mutex> lock(mutex_);
          shown_.append(buffer, static_cast<std::size_t>(got));
        }
      }
      std::lock_guard<std::mutex> lock(mutex_);
      if (typed < lines_.size() && count(shown_, prompt_) > typed) {
        const std::string line = lines_[typed++] + "\r";
        if (::write(master_, line.data(), line.size()) < 0) return;
      }
    }
  }

  void stop() {
    if (typist_.joinable()) {
      // What the script wrote last may still be in flight.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      stopping_ = true;
      typist_.join();
    }
  }

  std::string prompt_;
  std::vector<std::string> lines_;
  int master_ = -1;
  int slave_ = -1;
  std::string name_;
  std::thread typist_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::string shown_;
};

// A shell under a time limit: a prompt nobody answers fails the test instead of hanging.
std::vector<std::string> limited_shell(const std::string& shell) {
  std::vector<std::string> argv = {"timeout", "30"};
  for (auto& word : test::shell_command(shell)) argv.push_back(word);
  return argv;
}

// The parts of /init the hook uses, as stubs. $FAKE_DEVICES lines: "DEVICE TYPE LABEL UUID".
// cryptsetup opens with $FAKE_PASSPHRASE only (exact bytes), or fails with
// $FAKE_CRYPT_STATUS; every call and every mount lands in $WORK/calls. mount finds the
// files of $WORK/stick on $FAKE_KEY_DEV.
const std::string kInitStubs = test::early_hook_prelude() + test::fake_blkid() + R"(
mount() {
  echo "mount $*" >>"$WORK/calls"
  [ "$1" != -t ] || shift 2
  [ "$3" = "${FAKE_KEY_DEV:-}" ] || return 32
  cp -R "$WORK/stick/." "$4/"
}
umount() {
  echo "umount $*" >>"$WORK/calls"
  rm -rf "$1"
  mkdir -p "$1"
}
berth_base_exec() {
  [ "$1" = -t ] && shift 2
  _program=$1
  shift
  case $_program in
    blkid) fake_blkid "$@" ;;
    cryptsetup)
      echo "cryptsetup $* udev=${DM_DISABLE_UDEV:-}" >>"$WORK/calls"
      _got=$(cat; echo .)
      _got=${_got%.}
      if [ -n "${FAKE_CRYPT_STATUS:-}" ]; then
        echo "Cannot initialize device-mapper. Is dm_mod kernel module loaded?" >&2
        return "$FAKE_CRYPT_STATUS"
      fi
      if [ "$_got" = "$FAKE_PASSPHRASE" ]; then
        return 0
      fi
      echo "No key available with this passphrase." >&2
      return 2
      ;;
    *) return 127 ;;
  esac
}
)";

struct HookResult {
  ScriptOutcome outcome;
  std::string env;    // crypt.env
  std::string calls;  // cryptsetup and mount calls, in order
};

// Runs the hook with `env` added; the consoles are `terminals`, linked from the root's
// /dev/console and /dev/tty1 (none: nothing can be asked). `after` runs in the same shell after the
// hook.
HookResult run_hook(const std::string& shell, const std::vector<std::string>& env,
                    const std::vector<Terminal*>& terminals = {}, const std::string& before = "",
                    const std::string& after = "",
                    const std::map<std::string, std::string>& stick = {}) {
  TempDir work;
  for (const auto& [name, bytes] : stick) work.write("stick/" + name, bytes);
  fs::create_directories(work.path() / "stick");
  const fs::path driver = work.write(
      "driver.sh", std::string(kInitStubs) + before + "\n. '" + kHook.string() + "'\n" + after);
  // The consoles the hook asks on when the kernel names none: /dev/console, then the screen.
  const char* const consoles[] = {"root/dev/console", "root/dev/tty1"};
  EXPECT_LE(terminals.size(), std::size(consoles));
  fs::create_directories(work.path() / "root/dev");
  for (std::size_t i = 0; i < terminals.size() && i < std::size(consoles); ++i) {
    fs::create_symlink(terminals[i]->name(), work.path() / consoles[i]);
  }
  std::vector<std::string> argv = limited_shell(shell);
  argv.push_back(driver.string());
  std::vector<std::string> full_env = {"WORK=" + work.path().string(),
                                       "BERTH_TEST_ROOT=" + (work.path() / "root").string(),
                                       "FAKE_PASSPHRASE=right pass", "FAKE_DEVICES="};
  full_env.insert(full_env.end(), env.begin(), env.end());
  HookResult result;
  result.outcome = test::run_script(argv, full_env);
  result.env = read_file(work.path() / "run/crypt.env");
  result.calls = read_file(work.path() / "calls");
  return result;
}

std::string open_call(const std::string& device) {
  return "cryptsetup open --type luks2 --key-file=- " + device + " berth-data udev=1\n";
}

class CryptUnlockHook : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (test::find_program("timeout").empty()) GTEST_SKIP() << "no timeout(1) on this host";
  }
};

TEST_P(CryptUnlockHook, DataNoneLooksAtNoDisk) {
  const auto r =
      run_hook(GetParam(), {"PARAM_data=none", "FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"});
  EXPECT_EQ(r.outcome.status, 0) << r.outcome.err;
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='none'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_CRYPT_REASON='berth.data=none'"), std::string::npos) << r.env;
  EXPECT_EQ(r.calls, "");
  EXPECT_EQ(r.outcome.out, "");
}

TEST_P(CryptUnlockHook, NoContainerMeansNothingSaidAndNothingDone) {
  for (const char* devices : {"", "/dev/vdb1 ext4 BERTH-DATA u1"}) {
    const auto r = run_hook(GetParam(), {"PARAM_wait=0", std::string("FAKE_DEVICES=") + devices});
    EXPECT_EQ(r.outcome.out, "") << devices;
    EXPECT_EQ(r.calls, "") << devices;
    EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='none'"), std::string::npos) << r.env;
  }
}

TEST_P(CryptUnlockHook, TheLabelledContainerOpensWithThePassphraseTypedWithoutEcho) {
  Terminal console(kPrompt, {"right pass"});
  ASSERT_TRUE(console.usable());
  const auto r = run_hook(GetParam(),
                          {"FAKE_DEVICES=/dev/sr0 iso9660 BERTH x\n"
                           "/dev/vda1 crypto_LUKS OTHER u0\n/dev/vdb2 crypto_LUKS BERTH-DATA u1"},
                          {&console});
  const std::string shown = console.shown();
  EXPECT_EQ(r.outcome.status, 0) << r.outcome.err;
  EXPECT_NE(shown.find("Passphrase for the Berth data volume /dev/vdb2: "), std::string::npos)
      << shown;
  EXPECT_EQ(shown.find("right pass"), std::string::npos) << "echoed: " << shown;
  EXPECT_TRUE(console.echo_on());
  EXPECT_EQ(r.calls, open_call("/dev/vdb2"));
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='open'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_CRYPT_DEVICE='/dev/vdb2'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_CRYPT_HOW='passphrase'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_CRYPT_SECONDS='0."), std::string::npos) << r.env;
}

TEST_P(CryptUnlockHook, AWrongPassphraseIsAskedAgainAndNothingElseRuns) {
  Terminal console(kPrompt, {"wrong", "right pass"});
  ASSERT_TRUE(console.usable());
  const auto r =
      run_hook(GetParam(), {"FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"}, {&console});
  const std::string shown = console.shown();
  EXPECT_EQ(count(shown, kPrompt), 2u) << shown;
  EXPECT_NE(shown.find("berth: wrong passphrase, try again"), std::string::npos) << shown;
  // Two opens, and no other cryptsetup verb (nothing that could write to the disk).
  EXPECT_EQ(r.calls, open_call("/dev/vdb2") + open_call("/dev/vdb2"));
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='open'"), std::string::npos) << r.env;
  EXPECT_TRUE(console.echo_on());
}

TEST_P(CryptUnlockHook, AnEmptyLineLeavesTheVolumeClosed) {
  Terminal console(kPrompt, {""});
  ASSERT_TRUE(console.usable());
  const auto r =
      run_hook(GetParam(), {"FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"}, {&console});
  const std::string shown = console.shown();
  EXPECT_NE(shown.find("no passphrase given: /dev/vdb2 stays locked; booting without "
                       "persistence"),
            std::string::npos)
      << shown;
  EXPECT_EQ(r.calls, "");
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='closed'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_CRYPT_REASON='no passphrase given'"), std::string::npos) << r.env;
  EXPECT_TRUE(console.echo_on());
}

TEST_P(CryptUnlockHook, TheFirstLineOnAnyConsoleCountsAndNoReaderStaysBehind) {
  Terminal serial(kPrompt, {});
  Terminal screen(kPrompt, {"right pass"});
  ASSERT_TRUE(serial.usable() && screen.usable());
  const auto r = run_hook(GetParam(), {"FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"},
                          {&serial, &screen});
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='open'"), std::string::npos) << r.env;
  EXPECT_NE(serial.shown().find(kPrompt), std::string::npos);
  EXPECT_NE(screen.shown().find("data volume /dev/vdb2 unlocked"), std::string::npos);
  EXPECT_TRUE(serial.echo_on());
  EXPECT_TRUE(screen.echo_on());
  // The serial console's reader was stopped: what is typed there later (a login) is not
  // swallowed.
  EXPECT_TRUE(serial.line_reaches_nobody_else("root"));
}

TEST_P(CryptUnlockHook, AnInterruptedInstallIsNamedAndNeverOpened) {
  Terminal console(kPrompt, {"right pass"});
  ASSERT_TRUE(console.usable());
  const std::string line =
      "log: /dev/vdb2 holds an interrupted Berth install (started, never finished); it is not "
      "used. Run 'berth install' again to redo it.\n";
  for (const char* spec : {"", "PARAM_crypt=UUID=u1"}) {
    std::vector<std::string> env = {"FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-INSTALLING u1"};
    if (*spec) env.emplace_back(spec);
    const auto r = run_hook(GetParam(), env, {&console});
    EXPECT_EQ(r.outcome.out, line) << spec;
    EXPECT_EQ(r.calls, "") << spec;
    EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='closed'"), std::string::npos) << r.env;
    EXPECT_NE(r.env.find("BERTH_CRYPT_DEVICE='/dev/vdb2'"), std::string::npos) << r.env;
  }
  EXPECT_EQ(console.shown().find(kPrompt), std::string::npos);
}

TEST_P(CryptUnlockHook, TwoLabelledContainersGetOneWarningAndNeitherOpens) {
  const auto r = run_hook(GetParam(), {"FAKE_DEVICES=/dev/vda crypto_LUKS BERTH-DATA u1\n"
                                       "/dev/vdb crypto_LUKS BERTH-DATA u2"});
  EXPECT_EQ(r.outcome.out,
            "warn: 2 LUKS volumes match LABEL=BERTH-DATA (/dev/vda /dev/vdb); none is opened: "
            "name one with berth.crypt=\n");
  EXPECT_EQ(r.calls, "");
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='closed'"), std::string::npos) << r.env;
}

TEST_P(CryptUnlockHook, BerthCryptNamesTheContainer) {
  Terminal console(kPrompt, {"right pass"});
  ASSERT_TRUE(console.usable());
  const auto r = run_hook(GetParam(),
                          {"PARAM_crypt=UUID=u2",
                           "FAKE_DEVICES=/dev/vda crypto_LUKS BERTH-DATA u1\n"
                           "/dev/vdb crypto_LUKS NOLABEL u2"},
                          {&console});
  EXPECT_EQ(r.calls, open_call("/dev/vdb"));
  EXPECT_NE(r.env.find("BERTH_CRYPT_DEVICE='/dev/vdb'"), std::string::npos) << r.env;
}

TEST_P(CryptUnlockHook, BerthCryptRefusesWhatIsNotLuks) {
  const auto plain = run_hook(
      GetParam(), {"PARAM_crypt=LABEL=BERTH-DATA", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA u1"});
  EXPECT_EQ(plain.outcome.out,
            "warn: berth.crypt=LABEL=BERTH-DATA names /dev/vda, not a LUKS volume; nothing is "
            "unlocked\n");
  EXPECT_EQ(plain.calls, "");
  const auto bad = run_hook(GetParam(), {"PARAM_crypt=sdb2"});
  EXPECT_EQ(bad.outcome.out,
            "warn: berth.crypt=sdb2 is not LABEL=, UUID=, PARTUUID= or a /dev path; no encrypted "
            "volume is opened\n");
  const auto missing = run_hook(GetParam(), {"PARAM_crypt=UUID=zz", "PARAM_wait=0"});
  EXPECT_EQ(missing.outcome.out,
            "log: no UUID=zz volume found (looked for 0s); nothing to unlock\n");
  EXPECT_NE(missing.env.find("BERTH_CRYPT_STATE='none'"), std::string::npos);
}

TEST_P(CryptUnlockHook, AGoodKeyFileOpensWithoutAPrompt) {
  Terminal console(kPrompt, {});
  ASSERT_TRUE(console.usable());
  // The file's exact bytes are the key, its newline included.
  const auto r =
      run_hook(GetParam(),
               {"PARAM_key=LABEL=BERTH-KEY", "FAKE_PASSPHRASE=k3y\n", "FAKE_KEY_DEV=/dev/sdc1",
                "FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1\n"
                "/dev/sdc1 vfat BERTH-KEY k1"},
               {&console}, "", "", {{"berth.key", "k3y\n"}});
  const std::string dir = "/run/crypt-key";
  EXPECT_EQ(console.shown(), "");
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='open'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_CRYPT_HOW='keyfile'"), std::string::npos) << r.env;
  ASSERT_NE(r.calls.find("mount -t vfat -o ro /dev/sdc1 "), std::string::npos) << r.calls;
  EXPECT_NE(r.calls.find(dir + "\n" + open_call("/dev/vdb2") + "umount "), std::string::npos)
      << r.calls;
  EXPECT_NE(r.outcome.out.find("unlocked with the key file /berth.key on /dev/sdc1"),
            std::string::npos)
      << r.outcome.out;
}

TEST_P(CryptUnlockHook, AKeyFileOnExt4WithAPathIsReadWithoutReplayingTheJournal) {
  const auto r =
      run_hook(GetParam(),
               {"PARAM_key=UUID=k1:/keys/data.key", "FAKE_PASSPHRASE=xyz", "FAKE_KEY_DEV=/dev/sdc1",
                "FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1\n"
                "/dev/sdc1 ext4 STICK k1"},
               {}, "", "", {{"keys/data.key", "xyz"}});
  EXPECT_NE(r.calls.find("mount -t ext4 -o ro,noload /dev/sdc1 "), std::string::npos) << r.calls;
  EXPECT_NE(r.env.find("BERTH_CRYPT_HOW='keyfile'"), std::string::npos) << r.env;
}

TEST_P(CryptUnlockHook, ABadKeyFileIsSaidThenThePassphraseIsAsked) {
  Terminal console(kPrompt, {"right pass"});
  ASSERT_TRUE(console.usable());
  const auto r = run_hook(GetParam(),
                          {"PARAM_key=LABEL=BERTH-KEY", "FAKE_KEY_DEV=/dev/sdc1",
                           "FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1\n"
                           "/dev/sdc1 vfat BERTH-KEY k1"},
                          {&console}, "", "", {{"berth.key", "not it"}});
  const std::string shown = console.shown();
  const auto said = shown.find(
      "berth: the key file /berth.key on /dev/sdc1 does not open /dev/vdb2; asking "
      "for the passphrase");
  ASSERT_NE(said, std::string::npos) << shown;
  EXPECT_LT(said, shown.find(kPrompt)) << shown;
  EXPECT_NE(r.env.find("BERTH_CRYPT_HOW='passphrase'"), std::string::npos) << r.env;
  // The stick is unmounted before the prompt.
  EXPECT_NE(r.calls.find(open_call("/dev/vdb2") + "umount "), std::string::npos) << r.calls;

  Terminal second(kPrompt, {""});
  ASSERT_TRUE(second.usable());
  const auto absent = run_hook(GetParam(),
                               {"PARAM_key=LABEL=BERTH-KEY", "PARAM_wait=0",
                                "FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"},
                               {&second});
  EXPECT_NE(second.shown().find("berth: no LABEL=BERTH-KEY filesystem for the key file found "
                                "(looked for 0s); asking for the passphrase"),
            std::string::npos);
  EXPECT_NE(absent.env.find("BERTH_CRYPT_REASON='no passphrase given'"), std::string::npos);

  Terminal third(kPrompt, {"right pass"});
  ASSERT_TRUE(third.usable());
  const auto bad = run_hook(
      GetParam(), {"PARAM_key=sdc1", "FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"}, {&third});
  EXPECT_NE(bad.outcome.out.find("warn: berth.key=sdc1 is not LABEL=, UUID=, PARTUUID= or a /dev "
                                 "path (with :/PATH); the passphrase is asked instead\n"),
            std::string::npos)
      << bad.outcome.out;
  EXPECT_NE(bad.env.find("BERTH_CRYPT_HOW='passphrase'"), std::string::npos) << bad.env;
}

TEST_P(CryptUnlockHook, ACryptsetupFailureIsNotAskedAgain) {
  Terminal console(kPrompt, {"right pass", "right pass"});
  ASSERT_TRUE(console.usable());
  const auto r = run_hook(
      GetParam(), {"FAKE_CRYPT_STATUS=1", "FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"},
      {&console});
  const std::string shown = console.shown();
  EXPECT_EQ(count(shown, kPrompt), 1u) << shown;
  EXPECT_NE(shown.find("cannot open /dev/vdb2: Cannot initialize device-mapper. Is dm_mod kernel "
                       "module loaded? (cryptsetup status 1); booting without persistence"),
            std::string::npos)
      << shown;
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='closed'"), std::string::npos) << r.env;
}

TEST_P(CryptUnlockHook, WithoutATerminalTheVolumeStaysClosed) {
  const auto r = run_hook(GetParam(), {"FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"});
  EXPECT_NE(r.outcome.out.find("warn: no terminal to ask for the passphrase of /dev/vdb2"),
            std::string::npos)
      << r.outcome.out;
  EXPECT_EQ(r.calls, "");
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='closed'"), std::string::npos) << r.env;
}

TEST_P(CryptUnlockHook, TracingNeverShowsThePassphrase) {
  Terminal console(kPrompt, {"right pass"});
  ASSERT_TRUE(console.usable());
  const auto r = run_hook(GetParam(), {"FAKE_DEVICES=/dev/vdb2 crypto_LUKS BERTH-DATA u1"},
                          {&console}, "set -x", "case $- in *x*) echo traced again ;; esac");
  EXPECT_NE(r.env.find("BERTH_CRYPT_STATE='open'"), std::string::npos) << r.env;
  EXPECT_EQ(r.outcome.err.find("right pass"), std::string::npos) << r.outcome.err;
  EXPECT_NE(r.outcome.out.find("traced again"), std::string::npos);
}

TEST_P(CryptUnlockHook, AsksOnTheSerialConsoleAndTheScreen) {
  const auto terminals = [&](const char* active) {
    TempDir root;
    if (*active) root.write("sys/class/tty/console/active", std::string(active) + "\n");
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.insert(argv.end(),
                {"-c", std::string(kInitStubs) + ". '" + kHook.string() + "'\n_crypt_terminals"});
    const auto r = test::run_script(argv, {"WORK=" + root.path().string(), "PARAM_data=none",
                                           "BERTH_TEST_ROOT=" + root.path().string()});
    return r.out;
  };
  // console=tty0 console=ttyS0: /dev/console is the serial port.
  EXPECT_EQ(terminals("tty0 ttyS0"), "/dev/console /dev/tty1\n");
  EXPECT_EQ(terminals("ttyS0"), "/dev/console /dev/tty1\n");
  // console=ttyS0 console=tty0: /dev/console is the screen.
  EXPECT_EQ(terminals("ttyS0 tty0"), "/dev/console /dev/ttyS0\n");
  EXPECT_EQ(terminals("tty0"), "/dev/console\n");
  EXPECT_EQ(terminals(""), "/dev/console /dev/tty1\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, CryptUnlockHook, ::testing::ValuesIn(test::available_shells()));

// luks.sh with a fake cryptsetup on PATH that records its arguments and whether it was
// told there is no udev; FAKE_FAIL makes it fail with that complaint.
class LuksLibrary : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (test::find_program("timeout").empty()) GTEST_SKIP() << "no timeout(1) on this host";
    const fs::path fake = work_.write("bin/cryptsetup",
                                      "#!/bin/sh\n"
                                      "echo \"$* udev=${DM_DISABLE_UDEV:-}\" >>\"$WORK/calls\"\n"
                                      "[ -z \"${FAKE_FAIL:-}\" ] && exit 0\n"
                                      "echo 'WARNING: something first.' >&2\n"
                                      "echo \"$FAKE_FAIL\" >&2\n"
                                      "exit 5\n");
    fs::permissions(fake, fs::perms::owner_all);
    image_ = work_.write("disk.img", "").string();
    key_ = work_.write("key", "pass word").string();
    path_ = (work_.path() / "bin").string() + ":" + std::getenv("PATH");
  }

  // Runs `code` after sourcing luks.sh, with `args` as $1, $2...
  ScriptOutcome library(const std::string& code, const std::vector<std::string>& args = {},
                        const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = limited_shell(GetParam());
    argv.insert(argv.end(), {"-c", ". '" + kLibrary.string() + "'\n" + code, "sh"});
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> full_env = {"WORK=" + work_.path().string(),
                                         "BERTH_TEST_ROOT=" + (work_.path() / "root").string(),
                                         "PATH=" + path_};
    full_env.insert(full_env.end(), env.begin(), env.end());
    return test::run_script(argv, full_env);
  }
  std::string calls() const { return read_file(work_.path() / "calls"); }

  // The root's /dev/tty, the terminal luks_ask_passphrase reads: a link to `terminal`.
  void controlling_terminal(const Terminal& terminal) const {
    const fs::path tty = work_.path() / "root/dev/tty";
    fs::create_directories(tty.parent_path());
    fs::remove(tty);
    fs::create_symlink(terminal.name(), tty);
  }

  TempDir work_;
  std::string image_;
  std::string key_;
  std::string path_;
};

TEST_P(LuksLibrary, FormatsLuks2WithArgon2idAndTheLabel) {
  const auto r = library("luks_format \"$1\" \"$2\" BERTH-INSTALLING", {image_, key_});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(calls(),
            "luksFormat --batch-mode --type luks2 --pbkdf argon2id --label "
            "BERTH-INSTALLING --key-file " +
                key_ + " " + image_ + " udev=1\n");
}

TEST_P(LuksLibrary, TheTestsCheapKeyCostIsTheLowestArgon2idAndNothingElseIsTaken) {
  const auto cheap =
      library("luks_format \"$1\" \"$2\" BERTH-DATA && luks_add_key \"$1\" \"$2\" \"$2\"",
              {image_, key_}, {"BERTH_TEST_LUKS_COST=cheap"});
  EXPECT_EQ(cheap.status, 0) << cheap.err;
  const std::string cost =
      "--pbkdf argon2id --pbkdf-memory 32768 --pbkdf-parallel 1 --pbkdf-force-iterations 4";
  EXPECT_EQ(calls(), "luksFormat --batch-mode --type luks2 " + cost +
                         " --label BERTH-DATA --key-file " + key_ + " " + image_ + " udev=1\n" +
                         "luksAddKey --batch-mode " + cost + " --key-file " + key_ + " " + image_ +
                         " " + key_ + " udev=1\n");
  const auto other = library("luks_format \"$1\" \"$2\" BERTH-DATA", {image_, key_},
                             {"BERTH_TEST_LUKS_COST=--pbkdf-memory 1"});
  EXPECT_EQ(other.status, 1);
  EXPECT_EQ(other.err, "berth: BERTH_TEST_LUKS_COST=--pbkdf-memory 1 is not 'cheap'\n");
}

TEST_P(LuksLibrary, AddsAKeyOpensClosesAndRelabels) {
  const std::string recovery = work_.write("recovery", "other words").string();
  const auto r = library(
      "luks_add_key \"$1\" \"$2\" \"$3\" && luks_open \"$1\" berth-install \"$2\" && "
      "luks_close berth-install && luks_set_label \"$1\" BERTH-DATA",
      {image_, key_, recovery});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(calls(), "luksAddKey --batch-mode --pbkdf argon2id --key-file " + key_ + " " + image_ +
                         " " + recovery + " udev=1\n" + "open --type luks2 --key-file " + key_ +
                         " " + image_ + " berth-install udev=1\n" + "close berth-install udev=1\n" +
                         "config --label BERTH-DATA " + image_ + " udev=1\n");
}

TEST_P(LuksLibrary, BadInputGetsOneLineNamingItAndNoCryptsetup) {
  const auto device = library("luks_format /dev/berth-no-such-disk \"$1\" BERTH-DATA", {key_});
  EXPECT_EQ(device.status, 1);
  EXPECT_EQ(device.err, "berth: /dev/berth-no-such-disk: no such block device\n");
  const std::string empty = work_.write("empty", "").string();
  const auto key = library("luks_format \"$1\" \"$2\" BERTH-DATA", {image_, empty});
  EXPECT_EQ(key.status, 1);
  EXPECT_EQ(key.err, "berth: key file " + empty + " is empty\n");
  const auto missing = library("luks_open \"$1\" berth-data /nonexistent/key", {image_});
  EXPECT_EQ(missing.err, "berth: key file /nonexistent/key: not a readable file\n");
  const auto name = library("luks_open \"$1\" ../x \"$2\"", {image_, key_});
  EXPECT_EQ(name.err, "berth: luks_open " + image_ + ": '../x' is not a device-mapper name\n");
  const auto count = library("luks_format \"$1\"", {image_});
  EXPECT_EQ(count.status, 2);
  EXPECT_EQ(count.err, "berth: luks_format takes DEV KEYFILE LABEL (1 arguments given)\n");
  EXPECT_EQ(calls(), "");
}

TEST_P(LuksLibrary, ACryptsetupFailureNamesTheDeviceAndTheCause) {
  const auto r = library("luks_format \"$1\" \"$2\" BERTH-DATA", {image_, key_},
                         {"FAKE_FAIL=Cannot format device, it is in use."});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "berth: formatting " + image_ +
                       " as LUKS2 failed: Cannot format device, it is in use.\n");
}

TEST_P(LuksLibrary, RequiredSaysWhichPackageIsMissing) {
  const auto present = library("luks_required");
  EXPECT_EQ(present.status, 0) << present.err;
  const std::string nothing = (work_.path() / "no-bin").string();
  fs::create_directories(nothing);
  path_ = nothing;
  const auto absent = library("luks_required");
  EXPECT_EQ(absent.status, 1);
  EXPECT_EQ(absent.err,
            "berth: cryptsetup is missing (Debian package cryptsetup-bin): no "
            "encryption\n");
}

TEST_P(LuksLibrary, AskPassphraseWritesTheExactBytesPrivately) {
  Terminal terminal("assphrase", {" pass word\\ ", " pass word\\ "});
  ASSERT_TRUE(terminal.usable());
  const fs::path file = work_.path() / "typed";
  controlling_terminal(terminal);
  const auto r = library("luks_ask_passphrase \"$1\"", {file.string()});
  const std::string shown = terminal.shown();
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(file), " pass word\\ ");
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(shown.find("pass word"), std::string::npos) << "echoed: " << shown;
  EXPECT_EQ(count(shown, "assphrase"), 2u) << shown;
  EXPECT_TRUE(terminal.echo_on());
}

TEST_P(LuksLibrary, AskPassphraseRefusesAMismatchAndAnEmptyOne) {
  const fs::path file = work_.path() / "typed";
  Terminal differ("assphrase", {"one", "two"});
  ASSERT_TRUE(differ.usable());
  controlling_terminal(differ);
  const auto mismatch = library("luks_ask_passphrase \"$1\"", {file.string()});
  EXPECT_EQ(mismatch.status, 1);
  EXPECT_EQ(mismatch.err, "berth: the two passphrases differ; none is set\n");
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(differ.echo_on());

  Terminal blank("assphrase", {""});
  ASSERT_TRUE(blank.usable());
  controlling_terminal(blank);
  const auto empty = library("luks_ask_passphrase \"$1\"", {file.string()});
  EXPECT_EQ(empty.status, 1);
  EXPECT_EQ(empty.err, "berth: an empty passphrase is refused\n");
  EXPECT_EQ(count(blank.shown(), "assphrase"), 1u);
  EXPECT_FALSE(fs::exists(file));

  fs::remove(work_.path() / "root/dev/tty");
  const auto none = library("luks_ask_passphrase \"$1\"", {file.string()});
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("no terminal"), std::string::npos) << none.err;
}

INSTANTIATE_TEST_SUITE_P(Shells, LuksLibrary, ::testing::ValuesIn(test::available_shells()));

class CryptStatusLine : public ::testing::TestWithParam<std::string> {
 protected:
  std::string status(const std::string& env) {
    TempDir root;
    if (!env.empty()) root.write("run/berth/crypt.env", env);
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.push_back(kStatus.string());
    const auto r = test::run_script(argv, {"BERTH_TEST_ROOT=" + root.path().string()});
    EXPECT_EQ(r.status, 0) << r.err;
    return r.out;
  }
};

TEST_P(CryptStatusLine, SaysHowTheVolumeWasOpenedOrWhyNot) {
  EXPECT_EQ(status("BERTH_CRYPT_STATE='open'\nBERTH_CRYPT_DEVICE='/dev/sda3'\n"
                   "BERTH_CRYPT_HOW='passphrase'\nBERTH_CRYPT_SECONDS='1.84'\n"
                   "BERTH_CRYPT_REASON=''\n"),
            "encryption: /dev/sda3 unlocked (LUKS2) by passphrase in 1.84s\n");
  EXPECT_EQ(status("BERTH_CRYPT_STATE='closed'\nBERTH_CRYPT_DEVICE='/dev/sda3'\n"
                   "BERTH_CRYPT_REASON='no passphrase given'\n"),
            "encryption: /dev/sda3 left locked (no passphrase given)\n");
  EXPECT_EQ(status("BERTH_CRYPT_STATE='none'\nBERTH_CRYPT_REASON='berth.data=none'\n"),
            "encryption: none (berth.data=none)\n");
  EXPECT_EQ(status(""), "");
}

INSTANTIATE_TEST_SUITE_P(Shells, CryptStatusLine, ::testing::ValuesIn(test::available_shells()));

TEST(CryptLuksPlugin, NamesThePackageOfAMissingProgram) {
  TempDir root;
  for (const auto& program : required_programs()) root.write(program.path.substr(1), "");
  EXPECT_EQ(first_missing_program(root.path()), nullptr);

  // A link to busybox is no cryptsetup.
  fs::remove(root.path() / "usr/sbin/cryptsetup");
  fs::create_symlink("/usr/bin/busybox", root.path() / "usr/sbin/cryptsetup");
  const RequiredProgram* missing = first_missing_program(root.path());
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->path, "/usr/sbin/cryptsetup");
  EXPECT_EQ(missing->package, "cryptsetup-bin");
}

TEST(CryptLuksPlugin, RefusesARootfsWithoutCryptsetup) {
  sdk::testing::FakeBuildContext ctx("crypt-luks");
  try {
    require_rootfs_programs(ctx);
    FAIL() << "a rootfs without cryptsetup was accepted";
  } catch (const sdk::Error& error) {
    EXPECT_STREQ(error.what(),
                 "no /usr/sbin/cryptsetup in the rootfs: add cryptsetup-bin to [bootstrap] "
                 "packages");
  }
  for (const auto& program : required_programs()) {
    const fs::path file = ctx.rootfs() / program.path.substr(1);
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "";
  }
  EXPECT_NO_THROW(require_rootfs_programs(ctx));
}

TEST(CryptLuksPlugin, ShipsItsEarlyHookAndDeclaresItsParameters) {
  EXPECT_TRUE(fs::is_regular_file(kFiles / "initramfs/usr/lib/berth/early.d/30-unlock"));
  // /init warns about berth.crypt and berth.key unless they are declared.
  const std::string params = read_file(kFiles / "initramfs/usr/lib/berth/params.d/crypt-luks");
  EXPECT_NE(params.find("\ncrypt\n"), std::string::npos) << params;
  EXPECT_NE(params.find("\nkey\n"), std::string::npos) << params;
}

}  // namespace
}  // namespace berth::crypt_luks
