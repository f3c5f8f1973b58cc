// qemu's human monitor on a unix socket (GuestOptions::monitor_socket): what a test needs to
// change the machine while the guest runs, e.g. plug in a USB stick.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace berth::vm {

// Connects (retrying while qemu starts), runs one monitor command and returns what the
// monitor printed for it. Throws sdk::Error on a connection failure or a timeout.
std::string monitor_command(const std::filesystem::path& socket, const std::string& command,
                            std::chrono::seconds timeout = std::chrono::seconds(30));

// drive_add + device_add: `image` (raw, writes kept) appears as a USB mass-storage device
// with `serial` on the guest's USB controller.
void plug_usb_stick(const std::filesystem::path& socket, const std::filesystem::path& image,
                    const std::string& id, const std::string& serial);

}  // namespace berth::vm
