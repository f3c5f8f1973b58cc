// One boot's timeline, for `make bench`: boots once, records on the host when GRUB's menu
// and its "Booting" line came over the serial console and when the kernel started (the
// guest's uptime read back against the host clock), waits for Docker's ready marker, times
// the first `docker run` of a local image, and reads the guest's /run/berth/init.log. Next
// to the console log go the guest's docker.log and its `berth status --boot`.
#pragma once

#include <filesystem>
#include <string>

#include "boot_timeline.hpp"
#include "qemu_command.hpp"

namespace berth::bench {

// `image_archive` (a `docker save` archive of vm::kTestImage) is attached as a disk and
// loaded after the boot for the `docker run`; empty: no `docker run`.
BootTimeline measure_timeline(vm::GuestOptions options, const std::string& mode_name,
                              const std::filesystem::path& image_archive);

}  // namespace berth::bench
