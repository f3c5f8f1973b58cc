// Image import, for `make bench`: boot to "every archive on a USB disk imported", and the
// importer's throughput against a plain `docker load` of the same archive in the same guest.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "qemu_command.hpp"

namespace berth::bench {

struct ImportSamples {
  std::vector<double> imported_s;  // guest uptime when the boot import's summary appeared
  int images = 0;                  // images those archives held
  double archive_mib = 0;          // size of the archive timed below
  std::vector<double> docker_load_s, berth_import_s;  // one sample per boot
};

// `archives` go into berth/images/ on an ext4 disk attached to each boot; the largest of
// them is then timed with `docker load -i` and with `berth import` (image removed between).
ImportSamples measure_import(const std::function<vm::GuestOptions(const std::string&)>& guest_for,
                             const std::vector<std::filesystem::path>& archives,
                             const std::filesystem::path& scratch_dir, int boots);

}  // namespace berth::bench
