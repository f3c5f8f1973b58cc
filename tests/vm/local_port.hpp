// A TCP port on the test host's loopback for a qemu host forward or a helper server.
#pragma once

#include <cstdint>

namespace berth::vm {

// A port on 127.0.0.1 that was free a moment ago (the kernel picked it); throws sdk::Error
// when no socket can be bound.
std::uint16_t free_local_port();

}  // namespace berth::vm
