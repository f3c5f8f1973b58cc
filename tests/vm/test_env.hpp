// Where the VM tests find their inputs and put their logs. Each has an environment variable
// (for running a test binary by hand) over a default compiled in from the CMake cache:
//   BERTH_TEST_OUT     the test build's output: berth.iso, vmlinuz, initrd.img
//   BERTH_TEST_GUI_OUT the GUI test build's output (tests/test-gui-iso.toml): berth.iso
//   BERTH_VM_FIXTURES  what tests/fixtures made: busybox-image.tar, harness-initrd.img
//   BERTH_VM_LOGS      one console log per test: <suite>.<test>.log
// and two knobs for debugging a guest by hand:
//   BERTH_VM_APPEND     the kernel command line of direct boots (default kDirectBootAppend)
//   BERTH_VM_QEMU_ARGS  extra qemu arguments, split on spaces (e.g. "-d guest_errors")
#pragma once

#include <filesystem>
#include <string>

#include "qemu_command.hpp"

namespace berth::vm {

std::filesystem::path test_out_dir();
std::filesystem::path gui_test_out_dir();
std::filesystem::path fixture_dir();
std::filesystem::path log_dir();

// The console log path of the running GoogleTest test.
std::filesystem::path current_test_log();

// Why `mode` cannot boot from test_out_dir(), or "" when it can: the tests skip with this.
std::string missing_boot_inputs(BootMode mode);

// Options for booting the test build in `mode`, logging to current_test_log(). The kernel
// command line of a direct boot is the one GRUB's default entry uses on the serial console.
GuestOptions berth_guest(BootMode mode);

}  // namespace berth::vm
