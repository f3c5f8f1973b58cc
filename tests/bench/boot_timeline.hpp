// One boot's timeline on the host clock (seconds since qemu started): what the host saw
// (firmware, GRUB, the kernel's start) joined with what the guest logged
// (/run/berth/init.log) and the first `docker run`; and the markdown table of several boots.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "init_log.hpp"

namespace berth::bench {

// Host-side moments of one boot, in seconds since qemu started.
struct HostMarks {
  bool boot_loader = true;             // false for a direct kernel boot (qemu loads both)
  std::optional<double> grub_menu;     // GRUB's menu first on the serial console
  std::optional<double> grub_booting;  // GRUB's "Booting `...'": the menu's timeout is over
  double kernel_start = 0;             // the guest's uptime 0
};

struct BootTimeline {
  std::string mode;                       // "BIOS CD"
  std::vector<Step> steps;                // seconds since qemu started, in boot order
  double kernel_start = 0;                // seconds since qemu started
  std::optional<double> docker_answered;  // seconds since qemu started
  int malformed_lines = 0;                // of the guest's log
  bool log_truncated = false;
};

inline constexpr const char* kDockerRunStep = "docker run --rm of a local image (the first)";

// The host's steps (firmware, GRUB's menu, GRUB loading kernel and initrd; or qemu loading
// them for a direct boot), then the guest's steps moved to the host clock, then the first
// `docker run` from its start to its end (guest uptimes), when there was one.
BootTimeline compose_timeline(std::string mode, const HostMarks& host, const InitLog& log,
                              std::optional<std::pair<double, double>> docker_run);

// The step names of all the boots, merged in boot order: each name comes after the step
// before it in the boot that has it first.
std::vector<std::string> merged_step_names(const std::vector<BootTimeline>& boots);

// A markdown table: one row per step (the boots' steps merged in boot order), one column per
// boot, each cell the duration and the start ("1.20 (at 12.3)"); then Docker answering from
// qemu's and from the kernel's start.
std::string timeline_table(const std::vector<BootTimeline>& boots);

// The `count` longest steps of a boot, longest first: where its time goes.
std::vector<Step> longest_steps(const BootTimeline& boot, std::size_t count);

}  // namespace berth::bench
