#include "boot_measure.hpp"

#include <algorithm>
#include <berth/sdk/error.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "docker_ready.hpp"
#include "qemu_guest.hpp"

namespace berth::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// "Mem:  960  214  725 ..." -> 214
double used_mib(const std::string& free_output) {
  std::istringstream in(free_output);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string label;
    double total = 0;
    double used = 0;
    if (fields >> label >> total >> used && label == "Mem:") return used;
  }
  throw sdk::Error("cannot read `free -m` output: " + free_output);
}

}  // namespace

EngineMemory sum_smaps_rollups(const std::string& rollups) {
  EngineMemory memory;
  std::istringstream in(rollups);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string label;
    double kib = 0;
    if (!(fields >> label >> kib)) continue;
    if (label == "Rss:") memory.rss_mib += kib / 1024;
    if (label == "Pss:") memory.pss_mib += kib / 1024;
  }
  return memory;
}

BootSample measure_docker_boot(vm::GuestOptions options, int settle_s) {
  const auto start = Clock::now();
  vm::QemuGuest guest(std::move(options));
  guest.wait_for_shell();
  const auto ready = vm::wait_docker_ready(guest, seconds(300));
  BootSample sample;
  sample.wall_s = since(start);
  if (!ready) throw sdk::Error("docker did not answer within 300 s of guest time");
  sample.uptime_s = *ready;
  std::this_thread::sleep_for(seconds(settle_s));
  sample.used_mib = used_mib(guest.check("free -m").output);
  const std::string rollups =
      guest
          .check(
              "for p in $(pidof dockerd) $(pidof containerd); do cat /proc/$p/smaps_rollup; "
              "done")
          .output;
  const EngineMemory engine = sum_smaps_rollups(rollups);
  if (engine.rss_mib <= 0) throw sdk::Error("no dockerd or containerd to measure: " + rollups);
  sample.engine_rss_mib = engine.rss_mib;
  sample.engine_pss_mib = engine.pss_mib;
  guest.poweroff(seconds(60));
  return sample;
}

BootSample measure_shell_boot(vm::GuestOptions options) {
  const auto start = Clock::now();
  vm::QemuGuest guest(std::move(options));
  guest.wait_for_shell();
  BootSample sample;
  sample.wall_s = since(start);
  sample.uptime_s = guest.uptime();
  return sample;
}

void load_image_from_disk(vm::QemuGuest& guest, const std::string& serial) {
  guest.check("loaded=; for d in /sys/block/*; do if [ \"$(cat $d/serial 2>/dev/null)\" = " +
                  serial + " ]; then docker load -i /dev/${d##*/} || break; loaded=1; fi; done; " +
                  "[ -n \"$loaded\" ]",
              seconds(300));
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

}  // namespace berth::bench
