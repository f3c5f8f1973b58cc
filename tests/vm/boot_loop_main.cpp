// berth-boot-loop: boots the test build again and again under one qemu and counts how each
// boot ended, to compare qemu builds for speed and for the guest kernel crashes TCG causes
// now and then (an oops or a double fault in the middle of a healthy boot).
//
//   berth-boot-loop --qemu PATH --boots N [--label NAME] [--memory MIB] [--show CMD]...
//
// Each boot: direct kernel boot of $BERTH_TEST_OUT (the test ISO's vmlinuz and initrd.img)
// with the test image disk, shell, Docker answering, `docker load` of the test image, one
// container, poweroff. One line per boot on stdout (outcome, Docker-ready uptime, wall
// seconds); each boot's console (with /run/berth/init.log and the output of each --show
// command) in the log directory ($BERTH_VM_LOGS); a
// summary at the end. The exit status is 0 whatever the boots did: counting failures is the point.
#include <algorithm>
#include <berth/sdk/error.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "docker_checks.hpp"
#include "test_env.hpp"

namespace {

using namespace berth::vm;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string qemu = "qemu-system-x86_64";
  std::string label;
  int boots = 10;
  int memory_mib = 1024;
  std::vector<std::string> show;  // guest commands whose output goes into each boot's log
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) throw berth::sdk::Error("option " + arg + " needs a value");
    const std::string value = argv[++i];
    if (arg == "--qemu") {
      options.qemu = value;
    } else if (arg == "--boots") {
      options.boots = std::stoi(value);
    } else if (arg == "--label") {
      options.label = value;
    } else if (arg == "--memory") {
      options.memory_mib = std::stoi(value);
    } else if (arg == "--show") {
      options.show.push_back(value);
    } else {
      throw berth::sdk::Error("unknown option " + arg +
                              " (--qemu PATH, --boots N, --label NAME, --memory MIB, --show CMD)");
    }
  }
  if (options.boots < 1) throw berth::sdk::Error("--boots must be at least 1");
  if (options.label.empty()) options.label = options.qemu;
  return options;
}

// How a failed boot ended, from its console: what the kernel said, if anything.
std::string failure_kind(const std::string& console, const std::string& error) {
  if (console.find("double fault") != std::string::npos) return "double-fault";
  if (console.find("int3") != std::string::npos) return "int3";
  if (console.find("Kernel panic") != std::string::npos) return "panic";
  if (console.find("Oops") != std::string::npos || console.find("BUG:") != std::string::npos)
    return "oops";
  if (error.find("within") != std::string::npos) return "timeout";
  return "other";
}

struct Boot {
  std::string outcome = "ok";
  double ready_uptime = 0;
  double wall_s = 0;
};

Boot boot_once(const Options& options, int index) {
  GuestOptions guest_options = berth_guest_with_image(BootMode::DirectKernel);
  guest_options.qemu = options.qemu;
  guest_options.memory_mib = options.memory_mib;
  const auto log = log_dir() / ("boot-loop." + std::to_string(index) + ".log");
  guest_options.log_file = log;
  Boot boot;
  const auto start = Clock::now();
  try {
    QemuGuest guest(guest_options);
    try {
      guest.wait_for_shell();
      boot.ready_uptime = wait_for_docker(guest);
      load_test_image(guest);
      expect_container_echo(guest, "hello-from-the-loop");
      // Where the boot's time went, into the kept console log.
      guest.run("cat /run/berth/init.log");
      for (const auto& command : options.show) guest.run(command, std::chrono::seconds(120));
      if (!guest.poweroff(std::chrono::seconds(120)))
        throw berth::sdk::Error("no poweroff within 120 s");
    } catch (const berth::sdk::Error& error) {
      boot.outcome = failure_kind(guest.console(), error.what());
    }
  } catch (const berth::sdk::Error& error) {
    boot.outcome = "harness: " + std::string(error.what()).substr(0, 80);
  }
  boot.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  return boot;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    std::filesystem::create_directories(log_dir());
    std::map<std::string, int> outcomes;
    std::vector<double> ready;
    double wall_total = 0;
    for (int i = 1; i <= options.boots; ++i) {
      const Boot boot = boot_once(options, i);
      ++outcomes[boot.outcome];
      if (boot.outcome == "ok") ready.push_back(boot.ready_uptime);
      wall_total += boot.wall_s;
      std::cout << options.label << " boot " << i << "/" << options.boots << ": " << boot.outcome
                << std::fixed << std::setprecision(1) << ", docker ready " << boot.ready_uptime
                << " s uptime, " << boot.wall_s << " s wall" << std::endl;
    }
    std::sort(ready.begin(), ready.end());
    std::cout << "summary " << options.label << ": " << options.boots << " boots;";
    for (const auto& [outcome, count] : outcomes)
      std::cout << " " << outcome << " " << count << ";";
    std::cout << std::fixed << std::setprecision(1) << " median docker ready "
              << (ready.empty() ? 0.0 : ready[ready.size() / 2]) << " s uptime; mean wall "
              << wall_total / options.boots << " s" << std::endl;
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "berth-boot-loop: " << error.what() << "\n";
    return 2;
  }
}
