// Steps the VM tests take on a booted Berth guest: wait for dockerd, load the test image from
// its disk, run a container. Each throws sdk::Error with the guest's evidence (docker's log,
// the command's output) when it fails, so a test reads as a list of steps.
#pragma once

#include <chrono>
#include <string>

#include "qemu_guest.hpp"

namespace berth::vm {

inline constexpr const char* kTestImage = "berth-test/busybox:latest";
// The serial of the virtio disk that holds the test image (the image archive itself).
inline constexpr const char* kImageDiskSerial = "berth-test-image";

// Boot options of the test build in `mode` with the test image disk attached.
GuestOptions berth_guest_with_image(BootMode mode);

// Polls `docker info` until it answers; returns the guest uptime at that moment.
double wait_for_docker(QemuGuest& guest, std::chrono::seconds timeout = std::chrono::seconds(180));

// Waits until the boot's image import (rc.d/76-import) has finished: the test ISO carries
// archives, and the importer's console lines would otherwise mix into command output.
void wait_for_boot_import(QemuGuest& guest,
                          std::chrono::seconds timeout = std::chrono::seconds(300));

// The guest's /dev name of the virtio disk with `serial`, once it shows up (30 s).
std::string guest_disk_by_serial(QemuGuest& guest, const std::string& serial);

// `docker load -i /dev/vdX` from the test image disk (once it shows up); checks the image.
void load_test_image(QemuGuest& guest);

// `docker run --rm <test image> echo <word>` prints the word.
void expect_container_echo(QemuGuest& guest, const std::string& word);

}  // namespace berth::vm
