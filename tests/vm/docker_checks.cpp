#include "docker_checks.hpp"

#include <berth/sdk/error.hpp>

#include "docker_ready.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using std::chrono::seconds;

[[noreturn]] void fail(QemuGuest& guest, const std::string& what) {
  // What dockerd said is usually the explanation; fetch it before giving up.
  std::string log;
  try {
    log = guest.run("tail -n 30 /var/log/docker.log", seconds(20)).output;
  } catch (const sdk::Error&) {
    log = "(could not read /var/log/docker.log)";
  }
  throw sdk::Error(what + "\n--- /var/log/docker.log (last 30 lines) ---\n" + log);
}

}  // namespace

GuestOptions berth_guest_with_image(BootMode mode) {
  GuestOptions options = berth_guest(mode);
  options.disks.push_back({fixture_dir() / "busybox-image.tar", true, kImageDiskSerial});
  if (!std::filesystem::is_regular_file(options.disks.back().path)) {
    throw sdk::Error("test image " + options.disks.back().path.string() +
                     " missing: run the vm.fixtures test (tests/fixtures/make-fixtures.sh)");
  }
  return options;
}

double wait_for_docker(QemuGuest& guest, seconds timeout) {
  const auto uptime = wait_docker_ready(guest, timeout);
  if (!uptime) {
    fail(guest, "dockerd did not answer `docker info` within " + std::to_string(timeout.count()) +
                    " s of guest time; docker info says:\n" +
                    guest.run("docker info 2>&1 | tail -n 5").output);
  }
  return *uptime;
}

void wait_for_boot_import(QemuGuest& guest, seconds timeout) {
  const CommandResult done =
      guest.retry("[ -e /run/berth/import.done ]", timeout, std::chrono::milliseconds(1000));
  if (!done.ok()) {
    fail(guest,
         "the boot's image import did not finish within " + std::to_string(timeout.count()) + " s");
  }
}

std::string guest_disk_by_serial(QemuGuest& guest, const std::string& serial) {
  const CommandResult found =
      guest.retry("for d in /sys/block/vd*; do [ \"$(cat \"$d/serial\" 2>/dev/null)\" = " + serial +
                      " ] && [ -b \"/dev/${d##*/}\" ] && echo \"/dev/${d##*/}\"; done | grep .",
                  seconds(30));
  if (!found.ok()) {
    throw sdk::Error(
        "no block device with serial " + serial +
        " appeared (virtio_blk not loaded?); /sys/block has: " + guest.run("ls /sys/block").output);
  }
  return found.output.substr(0, found.output.find('\n'));
}

void load_test_image(QemuGuest& guest) {
  const std::string dev = guest_disk_by_serial(guest, kImageDiskSerial);
  const CommandResult load = guest.run("docker load -i " + dev, seconds(180));
  if (!load.ok() ||
      load.output.find(std::string("Loaded image: ") + kTestImage) == std::string::npos) {
    fail(guest, "`docker load -i " + dev + "` exited " + std::to_string(load.status) + ":\n" +
                    load.output);
  }
  const CommandResult images = guest.run(
      std::string("docker image inspect --format '{{.Os}}/{{.Architecture}}' ") + kTestImage);
  if (!images.ok() || images.output != "linux/amd64\n") {
    fail(guest, "loaded image does not inspect as linux/amd64: " + images.output);
  }
}

void expect_container_echo(QemuGuest& guest, const std::string& word) {
  const CommandResult r =
      guest.run(std::string("docker run --rm ") + kTestImage + " echo " + word, seconds(180));
  // The word on a line of its own; docker may add warnings on stderr around it.
  if (!r.ok() || ("\n" + r.output).find("\n" + word + "\n") == std::string::npos) {
    fail(guest, "`docker run --rm " + std::string(kTestImage) + " echo " + word + "` exited " +
                    std::to_string(r.status) + " printing:\n" + r.output);
  }
}

}  // namespace berth::vm
