// The guest's boot timeline, /run/berth/init.log, read back on the host: one
// "[UPTIME] SOURCE: EVENT" line per event (docs/internals.md), turned into steps with a
// start and a duration by the same rules as `berth status --boot`
// (plugins/init-busybox/files/rootfs/usr/lib/berth/boot-timeline).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::bench {

struct LogEvent {
  double uptime = 0;   // seconds since the guest kernel started
  std::string source;  // init, rc, docker...
  std::string event;
};

struct InitLog {
  std::vector<LogEvent> events;
  int malformed = 0;       // lines of another shape, skipped
  bool truncated = false;  // more than kMaxLines lines or kMaxBytes bytes: the rest unread
};

inline constexpr std::size_t kMaxLogBytes = 256 * 1024;
inline constexpr std::size_t kMaxLogLines = 2000;

// Reads at most kMaxLogBytes and kMaxLogLines; a line longer than 1000 characters, without
// the uptime, or without "SOURCE: " counts as malformed. Control characters become '?'.
InitLog parse_init_log(std::string_view text);

struct Step {
  std::string name;                // "rc: start 10-devices", "docker: containerd answering"
  double start = 0;                // seconds, on the clock of the timeline it is in
  std::optional<double> duration;  // none for a last event ("docker: API answering")
};

// The steps of one boot on the guest clock, in log order: first the kernel's part (0 to the
// first line); a service lasts from "rc: start NAME" to "rc: NAME start done|failed" (marked
// "(failed)"; the end line is no step of its own), /init's lines until the next init or rc
// line, other sources' lines until their next line. A " (pid N)" is left out of the names so
// that boots compare; a name that comes again gets " #2", " #3"...
std::vector<Step> guest_steps(const InitLog& log);

}  // namespace berth::bench
