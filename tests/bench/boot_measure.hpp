// Boot-time and memory measurements of a direct-kernel boot under qemu (TCG, 2 vCPUs), through
// the VM harness.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "qemu_command.hpp"
#include "qemu_guest.hpp"

namespace berth::bench {

struct BootSample {
  double wall_s = 0;               // host seconds from starting qemu to the event
  double uptime_s = 0;             // guest /proc/uptime at the event
  std::optional<double> used_mib;  // `free -m` used, after settling (docker boots only)
  // dockerd + containerd at idle (docker boots only), from /proc/PID/smaps_rollup. RSS counts
  // pages two processes share twice (the multicall is one file for both); PSS splits them.
  std::optional<double> engine_rss_mib;
  std::optional<double> engine_pss_mib;
};

struct EngineMemory {
  double rss_mib = 0;
  double pss_mib = 0;
};

// Sums the "Rss:" and "Pss:" lines (kB) of the smaps_rollup files printed one after another.
EngineMemory sum_smaps_rollups(const std::string& rollups);

// Boots, waits until `docker info` first succeeds; then idles `settle` seconds and reads the
// memory in use. Every console goes to `log`.
BootSample measure_docker_boot(vm::GuestOptions options, int settle_s);

// Boots to the shell prompt only: the baseline (same kernel, busybox-only initramfs).
BootSample measure_shell_boot(vm::GuestOptions options);

// `docker load` of the image archive attached as the virtio disk with `serial`.
void load_image_from_disk(vm::QemuGuest& guest, const std::string& serial);

double median(std::vector<double> values);

}  // namespace berth::bench
