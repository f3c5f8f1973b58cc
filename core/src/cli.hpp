// The `berth` command line: parses arguments, runs the command, and turns every error
// into one line on stderr and a non-zero exit status.
#pragma once

namespace berth::core {

// Exit status: 0 success, 1 build or plugin error, 2 usage or configuration error.
int run_cli(int argc, const char* const* argv);

}  // namespace berth::core
