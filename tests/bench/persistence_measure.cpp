#include "persistence_measure.hpp"

#include <berth/sdk/error.hpp>
#include <iostream>

#include "boot_measure.hpp"
#include "disk_images.hpp"
#include "docker_ready.hpp"
#include "qemu_guest.hpp"

namespace berth::bench {

namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr const char* kImageSerial = "bench-image";
constexpr const char* kDataSerial = "bench-data";

double ready_or_throw(vm::QemuGuest& guest) {
  const auto ready = vm::wait_docker_ready(guest, seconds(300));
  if (!ready) throw sdk::Error("docker did not answer within 300 s of guest time");
  return *ready;
}

// Loads the archive, then makes nine more images, each with a layer of its own.
void load_ten_images(vm::QemuGuest& guest) {
  load_image_from_disk(guest, kImageSerial);
  const std::string image =
      guest.check("docker images --format '{{.Repository}}:{{.Tag}}' | head -n 1").output;
  const std::string name = image.substr(0, image.find('\n'));
  if (name.empty()) throw sdk::Error("the image archive loaded no image");
  guest.check("for i in 1 2 3 4 5 6 7 8 9; do docker run --name bench$i " + name +
                  " sh -c \"echo $i >/layer\" && docker commit bench$i bench/image$i >/dev/null"
                  " && docker rm bench$i >/dev/null || exit 1; done",
              seconds(900));
  const std::string count = guest.check("docker images -q | sort -u | wc -l").output;
  if (std::stoi(count) < 10) throw sdk::Error("only " + count + " images on the data volume");
}

}  // namespace

PersistenceSamples measure_persistence(
    const std::function<vm::GuestOptions(const std::string&)>& guest_for,
    const fs::path& image_archive, const fs::path& scratch_dir, int boots) {
  const fs::path disk = vm::ext4_disk(scratch_dir, "bench-data.img", "BERTH-DATA", 4096);
  const auto with_volume = [&](const std::string& name) {
    vm::GuestOptions options = guest_for(name);
    options.disks.push_back({disk, false, kDataSerial, true});
    return options;
  };
  PersistenceSamples samples;
  const auto measure = [&](std::vector<double>& into, const std::string& label) {
    for (int i = 1; i <= boots; ++i) {
      std::cerr << "berth-bench: " << label << " boot " << i << "/" << boots << "...\n";
      vm::QemuGuest guest(with_volume(label + "-" + std::to_string(i)));
      guest.wait_for_shell();
      into.push_back(ready_or_throw(guest));
      guest.poweroff(seconds(120));
    }
  };

  std::cerr << "berth-bench: first boot on a fresh data volume...\n";
  {
    vm::QemuGuest guest(with_volume("persist-first"));
    guest.wait_for_shell();
    ready_or_throw(guest);
    guest.poweroff(seconds(120));
  }
  measure(samples.empty_volume_s, "persist-empty");

  std::cerr << "berth-bench: loading ten images onto the data volume...\n";
  {
    vm::GuestOptions options = with_volume("persist-load");
    options.disks.push_back({image_archive, true, kImageSerial});
    vm::QemuGuest guest(options);
    guest.wait_for_shell();
    ready_or_throw(guest);
    load_ten_images(guest);
    guest.poweroff(seconds(180));
  }
  measure(samples.ten_images_s, "persist-10-images");
  fs::remove(disk);
  return samples;
}

}  // namespace berth::bench
