// Boot-to-docker-ready with a data volume attached (persist-disk), for `make bench`: with an
// empty volume, and with ten images on it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "qemu_command.hpp"

namespace berth::bench {

struct PersistenceSamples {
  std::vector<double> empty_volume_s;  // guest uptime at docker ready, volume without images
  std::vector<double> ten_images_s;    // the same with ten images on the volume
};

// `guest_for(name)` gives the options of one boot (direct kernel, logging to a file named
// after `name`); a fresh ext4 volume labelled BERTH-DATA is attached to each. One boot puts
// the persistent paths in place, `boots` boots measure; one boot loads `image_archive` and
// commits nine more images from it; `boots` boots measure again.
PersistenceSamples measure_persistence(
    const std::function<vm::GuestOptions(const std::string&)>& guest_for,
    const std::filesystem::path& image_archive, const std::filesystem::path& scratch_dir,
    int boots);

}  // namespace berth::bench
