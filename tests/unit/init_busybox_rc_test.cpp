// init-busybox's service runner (/etc/berth/rc) and its lines in the boot timeline
// (/run/berth/init.log, through /usr/lib/berth/boot-log.sh), run under busybox sh and dash
// against a fake tree of services.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::init_busybox {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;

const fs::path kRc = test::plugin_files("init-busybox") / "rootfs/etc/berth/rc";

class ServiceRunner : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    root_.write("proc/uptime", "12.34 20.00\n");
    cmdline("console=ttyS0");
    install_library(test::boot_log_sh());
    // Each service says on stdout that it ran, with its argument.
    service("10-first", "echo \"first $1\"\n");
    service("20-broken", "echo \"broken $1\"\nexit 3\n");
    service("30-last", "echo \"last $1\"\n");
    root_.write("etc/berth/rc.d/25-not-executable", "#!/bin/sh\necho never\n");
    service("26-backup~", "echo never\n");
  }

  void service(const std::string& name, const std::string& body) {
    const fs::path file = root_.write("etc/berth/rc.d/" + name, "#!/bin/sh\n" + body);
    fs::permissions(file, fs::perms(0755));
  }

  ScriptOutcome rc(const std::string& action) { return run_in_root({kRc.string(), action}); }

  std::string timeline() const { return read("run/berth/init.log"); }
};

TEST_P(ServiceRunner, StartRunsTheServicesInOrderAndLogsTheBeginAndEndOfEach) {
  const auto outcome = rc("start");
  EXPECT_EQ(outcome.status, 1);  // one service failed
  EXPECT_EQ(outcome.out,
            "first start\nbroken start\nberth: 20-broken start failed (exit status 3)\n"
            "last start\n");
  EXPECT_EQ(timeline(),
            "[12.34] rc: start 10-first\n"
            "[12.34] rc: 10-first start done\n"
            "[12.34] rc: start 20-broken\n"
            "[12.34] rc: 20-broken start failed (exit status 3)\n"
            "[12.34] rc: start 30-last\n"
            "[12.34] rc: 30-last start done\n"
            "[12.34] rc: start finished, 1 failed\n");
}

TEST_P(ServiceRunner, StopRunsThemInReverseOrderAfterWhatIsLogged) {
  root_.write("run/berth/init.log", "[1.00] init: /init started\n");
  const auto outcome = rc("stop");
  EXPECT_EQ(outcome.out,
            "berth: stopping services\nlast stop\nbroken stop\n"
            "berth: 20-broken stop failed (exit status 3)\nfirst stop\n");
  EXPECT_EQ(timeline(),
            "[1.00] init: /init started\n"
            "[12.34] rc: stop 30-last\n"
            "[12.34] rc: 30-last stop done\n"
            "[12.34] rc: stop 20-broken\n"
            "[12.34] rc: 20-broken stop failed (exit status 3)\n"
            "[12.34] rc: stop 10-first\n"
            "[12.34] rc: 10-first stop done\n"
            "[12.34] rc: stop finished, 1 failed\n");
}

TEST_P(ServiceRunner, ServicesStillRunWithoutTheClock) {
  fs::remove(root_.path() / "proc/uptime");
  const auto outcome = rc("start");
  EXPECT_EQ(outcome.status, 1);
  EXPECT_EQ(outcome.out.substr(0, 12), "first start\n");
  EXPECT_EQ(timeline().substr(0, 22), "[?] rc: start 10-first") << timeline();
}

INSTANTIATE_TEST_SUITE_P(Shells, ServiceRunner, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::init_busybox
