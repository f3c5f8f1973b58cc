// Waiting for dockerd on a guest, shared by the VM tests and the benchmark.
#pragma once

#include <chrono>
#include <optional>

#include "qemu_guest.hpp"

namespace berth::vm {

// Polls `docker info` in the guest until it answers, for at most `limit` of guest time.
// Returns the guest's uptime at the first answer, or nothing if it never answered. The loop
// runs in the guest, so the uptime is read the moment docker answers, not a serial round trip
// later; the host allows twice the limit, as a TCG guest's clock can lag the host's.
std::optional<double> wait_docker_ready(QemuGuest& guest, std::chrono::seconds limit);

}  // namespace berth::vm
