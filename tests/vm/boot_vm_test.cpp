// The test ISO boots in every firmware/medium combination and runs a container: SeaBIOS and
// OVMF, each from a CD drive and from a USB stick holding the ISO as its raw disk. (Direct
// kernel boot is covered, with more checks, in docker_vm_test.cpp.) Plain tests, not
// parameterized ones: CMake 3.25's test discovery would put "# GetParam() = ..." into the
// ctest names.
#include <gtest/gtest.h>

#include "docker_checks.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

void shell_docker_load_and_run(BootMode mode) {
  if (const std::string missing = missing_boot_inputs(mode); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  QemuGuest guest(berth_guest_with_image(mode));
  guest.wait_for_shell();
  EXPECT_EQ(guest.check("echo serial-shell-answers").output, "serial-shell-answers\n");
  const double ready = wait_for_docker(guest);
  ::testing::Test::RecordProperty("docker_ready_uptime_s", std::to_string(ready));
  // The test ISO carries images: let their import finish before reading command output.
  wait_for_boot_import(guest);
  load_test_image(guest);
  expect_container_echo(guest, "hello-from-berth");
}

TEST(Firmware, SeabiosCd) {
  shell_docker_load_and_run(BootMode::SeabiosCd);
}
TEST(Firmware, SeabiosUsb) {
  shell_docker_load_and_run(BootMode::SeabiosUsb);
}
TEST(Firmware, OvmfCd) {
  shell_docker_load_and_run(BootMode::OvmfCd);
}
TEST(Firmware, OvmfUsb) {
  shell_docker_load_and_run(BootMode::OvmfUsb);
}

}  // namespace
}  // namespace berth::vm
