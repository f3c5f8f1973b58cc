// The harness checked in a real guest, apart from the Berth userland: the test build's kernel
// (or $BERTH_HARNESS_KERNEL) with the busybox shell initramfs from tests/fixtures.
#include <gtest/gtest.h>

#include <berth/sdk/error.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "qemu_guest.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class HarnessVm : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* kernel = std::getenv("BERTH_HARNESS_KERNEL");
    options_.kernel =
        (kernel != nullptr && *kernel != '\0') ? fs::path(kernel) : test_out_dir() / "vmlinuz";
    if (!fs::is_regular_file(options_.kernel)) {
      GTEST_SKIP() << "no kernel at " << options_.kernel
                   << " (build the test ISO, or set BERTH_HARNESS_KERNEL)";
    }
    options_.mode = BootMode::DirectKernel;
    options_.initrd = fixture_dir() / "harness-initrd.img";
    ASSERT_TRUE(fs::is_regular_file(options_.initrd))
        << options_.initrd << " missing: run the vm.fixtures test";
    options_.append = kDirectBootAppend;
    options_.memory_mib = 256;
    options_.boot_timeout = 180s;
    options_.log_file = current_test_log();
  }
  GuestOptions options_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(HarnessVm, RunsCommandsThroughTheSerialShell) {
  QemuGuest guest(options_);
  guest.wait_for_shell();

  CommandResult r = guest.run("echo one; echo two >&2; (exit 7)");
  EXPECT_EQ(r.output, "one\ntwo\n");
  EXPECT_EQ(r.status, 7);
  r = guest.run("printf no-newline");
  EXPECT_EQ(r.output, "no-newline");
  EXPECT_EQ(r.status, 0);
  r = guest.run("cat; echo after-cat # stdin is /dev/null, a comment is harmless");
  EXPECT_EQ(r.output, "after-cat\n");
  // Longer than a terminal line: the shell's line editing redraws it, the output is intact.
  r = guest.run("echo " + std::string(700, 'x') + " | wc -c");
  EXPECT_EQ(r.output, "701\n");
  // Shell state carries over from one command to the next.
  guest.check("cd /tmp && export BERTH_MARK=kept");
  EXPECT_EQ(guest.check("echo $PWD $BERTH_MARK").output, "/tmp kept\n");

  const double up = guest.uptime();
  EXPECT_GT(up, 0.0);
  EXPECT_LT(up, 600.0);

  EXPECT_TRUE(guest.poweroff(60s)) << guest.console_tail();
  EXPECT_EQ(guest.exit_status(), 0);
  // The log holds the qemu command line and the console as it came.
  const std::string log = read_file(options_.log_file);
  EXPECT_NE(log.find("qemu-system-x86_64"), std::string::npos);
  EXPECT_NE(log.find("__B_"), std::string::npos);
}

TEST_F(HarnessVm, KernelMessagesDoNotLeakIntoOutput) {
  QemuGuest guest(options_);
  guest.wait_for_shell();
  // Print kernel messages on the console while the command prints its own lines.
  guest.check("dmesg -n 8");
  const CommandResult r = guest.check(
      "i=0; while [ $i -lt 40 ]; do echo \"<3>berth-noise $i\" >/dev/kmsg; echo line$i; "
      "i=$((i+1)); done");
  std::string expected;
  for (int i = 0; i < 40; ++i) expected += "line" + std::to_string(i) + "\n";
  EXPECT_EQ(r.output, expected);
  EXPECT_NE(guest.console().find("berth-noise 39"), std::string::npos)
      << "the noise never reached the console, so this test tested nothing";

  // Unless asked to keep them, e.g. for reading dmesg itself. (The first sleep lets the echo
  // of the typed line drain: printk does not queue behind the tty.)
  guest.set_strip_kernel_messages(false);
  const CommandResult kept = guest.check("sleep 1; echo \"<3>berth-kept\" >/dev/kmsg; sleep 1");
  EXPECT_NE(kept.output.find("berth-kept"), std::string::npos) << kept.output;
}

TEST_F(HarnessVm, TimeoutsCarryTheConsoleAndTheShellRecovers) {
  QemuGuest guest(options_);
  guest.wait_for_shell();
  try {
    guest.run("echo started-sleeping; sleep 600", 3s);
    FAIL() << "a 600 s sleep finished within 3 s";
  } catch (const sdk::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("did not finish within 3 s"), std::string::npos) << what;
    EXPECT_NE(what.find("started-sleeping"), std::string::npos) << what;
    EXPECT_NE(what.find(options_.log_file.string()), std::string::npos) << what;
  }
  // The harness sent ^C: the shell answers again.
  EXPECT_EQ(guest.check("echo back").output, "back\n");

  // qemu going away mid-command is reported as such, not as a timeout.
  try {
    guest.run("poweroff -f", 60s);
    FAIL() << "the guest survived poweroff -f";
  } catch (const sdk::Error& e) {
    EXPECT_NE(std::string(e.what()).find("qemu exited"), std::string::npos) << e.what();
  }
}

TEST_F(HarnessVm, PromptTimeoutShowsTheConsole) {
  options_.poke_after = 2s;
  QemuGuest guest(options_);
  guest.wait_for_shell();
  try {
    guest.wait_for_prompt("this prompt never appears$", 5s);
    FAIL() << "found a prompt that cannot exist";
  } catch (const sdk::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no console line matching /this prompt never appears$/ within 5 s"),
              std::string::npos)
        << what;
    // The message ends with the console as it was when the wait gave up: the shell's prompts,
    // repeated by the Enter presses.
    EXPECT_TRUE(what.ends_with("\n" + guest.console_tail() + "\n---")) << what;
    EXPECT_NE(guest.console_tail(200).find("/ # "), std::string::npos) << what;
  }
}

TEST_F(HarnessVm, AKernelPanicFailsFast) {
  QemuGuest guest(options_);
  guest.wait_for_shell();
  const auto start = std::chrono::steady_clock::now();
  try {
    guest.run("echo c >/proc/sysrq-trigger", 300s);
    FAIL() << "the guest survived a sysrq crash";
  } catch (const sdk::Error& e) {
    EXPECT_NE(std::string(e.what()).find("panicked"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 60s) << "waited out the timeout instead";
}

TEST_F(HarnessVm, AKernelOopsFailsFast) {
  QemuGuest guest(options_);
  guest.wait_for_shell();
  const auto start = std::chrono::steady_clock::now();
  try {
    // The line an oops starts with (the kernel raises the console level for it; <0> passes
    // the harness's `dmesg -n 1`); the guest itself lives on.
    guest.run("echo '<0>Oops: general protection fault (a test)' >/dev/kmsg; sleep 120", 300s);
    FAIL() << "an oops went unnoticed";
  } catch (const sdk::Error& e) {
    EXPECT_NE(std::string(e.what()).find("oopsed"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 60s) << "waited out the timeout instead";
}

}  // namespace
}  // namespace berth::vm
