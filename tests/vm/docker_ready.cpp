#include "docker_ready.hpp"

#include <berth/sdk/error.hpp>
#include <string>

namespace berth::vm {

// The CLI is asked only once dockerd's socket exists: every `docker` start costs the guest a
// second or more of emulated CPU, which polling would take from the dockerd starting up.
std::optional<double> wait_docker_ready(QemuGuest& guest, std::chrono::seconds limit) {
  const std::string seconds = std::to_string(limit.count());
  const CommandResult r =
      guest.run("end=$(( $(cut -d. -f1 /proc/uptime) + " + seconds +
                    " )); until [ -S /run/docker.sock ] && docker info >/dev/null 2>&1; do "
                    "[ \"$(cut -d. -f1 /proc/uptime)\" -ge \"$end\" ] && break; sleep 0.2; done; "
                    "cut -d' ' -f1 /proc/uptime; docker info >/dev/null",
                limit * 2 + std::chrono::seconds(30));
  if (!r.ok()) return std::nullopt;
  try {
    return std::stod(r.output);
  } catch (const std::exception&) {
    throw sdk::Error("guest uptime after docker info reads \"" + r.output + "\"");
  }
}

}  // namespace berth::vm
