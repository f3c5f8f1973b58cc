// Running a command on the test host (mkfs, sha256sum, debugfs) from a VM test.
#pragma once

#include <string>

namespace berth::vm {

// Runs `command` through sh with stderr merged into stdout; returns the output, or throws
// sdk::Error naming the command and showing its output when it exits non-zero.
std::string host_command(const std::string& command);

}  // namespace berth::vm
