#include "timeline_measure.hpp"

#include <berth/sdk/error.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include "boot_measure.hpp"
#include "docker_checks.hpp"
#include "qemu_guest.hpp"

namespace berth::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

constexpr const char* kImageSerial = "bench-image";
// GRUB's menu header, and the line it prints when the menu's timeout runs out.
constexpr const char* kGrubMenu = "GNU GRUB";
constexpr const char* kGrubBooting = "Booting `";

double between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Seconds from `start` until `text` first came over the console.
std::optional<double> console_mark(const vm::QemuGuest& guest, std::string_view text,
                                   Clock::time_point start) {
  const std::size_t offset = guest.console().find(text);
  if (offset == std::string::npos) return std::nullopt;
  const auto arrived = guest.arrival(offset);
  if (!arrived) return std::nullopt;
  return between(start, *arrived);
}

// A shell loop that waits up to 300 s for `test` to hold, looking twice a second (unlike
// polling `docker info`, this takes next to no CPU from the boot; the times come from the
// guest's log, not from this loop).
std::string wait_until(const std::string& test) {
  return "n=0; until " + test + " || [ $n -ge 600 ]; do usleep 500000; n=$((n + 1)); done; " + test;
}

double number(const std::string& text, const std::string& what) {
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    throw sdk::Error(what + " reads \"" + text + "\"");
  }
}

}  // namespace

BootTimeline measure_timeline(vm::GuestOptions options, const std::string& mode_name,
                              const std::filesystem::path& image_archive) {
  const bool with_image = !image_archive.empty();
  if (with_image) options.disks.push_back({image_archive, true, kImageSerial});
  HostMarks host;
  host.boot_loader = options.mode != vm::BootMode::DirectKernel;

  const auto start = Clock::now();
  vm::QemuGuest guest(std::move(options));
  guest.wait_for_shell();
  if (!guest.run(wait_until("[ -s /run/berth/docker.ready ]"), seconds(400)).ok()) {
    throw sdk::Error(mode_name + ": Docker did not answer within 300 s of the shell prompt");
  }
  // The boot's image import (import-docker) writes on the console and takes the CPU; it is
  // over before anything is measured here.
  guest.run("[ ! -x /etc/berth/rc.d/76-import ] || { " +
                wait_until("[ -e /run/berth/import.done ]") + "; }",
            seconds(400));

  // The kernel started `uptime` seconds before the moment the guest read it, which lies
  // between sending the command and getting its answer.
  const auto sent = Clock::now();
  const std::string uptime = guest.check("cut -d' ' -f1 /proc/uptime").output;
  const auto answered = Clock::now();
  host.kernel_start =
      between(start, sent + (answered - sent) / 2) - number(uptime, "the guest's /proc/uptime");
  host.grub_menu = console_mark(guest, kGrubMenu, start);
  host.grub_booting = console_mark(guest, kGrubBooting, start);

  std::optional<std::pair<double, double>> docker_run;
  if (with_image) {
    load_image_from_disk(guest, kImageSerial);
    const std::string times =
        guest
            .check(std::string("a=$(cut -d' ' -f1 /proc/uptime); docker run --rm ") +
                       vm::kTestImage +
                       " true >/dev/null && echo \"$a $(cut -d' ' -f1 /proc/uptime)\"",
                   seconds(300))
            .output;
    std::istringstream fields(times);
    double begun = 0;
    double ended = 0;
    if (!(fields >> begun >> ended)) throw sdk::Error("docker run: no times in \"" + times + "\"");
    docker_run = std::pair(begun, ended);
  }

  const std::string log = guest.check("cat /run/berth/init.log").output;
  // Next to the console log: what dockerd and containerd said, with their own timestamps
  // (the detail behind the docker steps), and the guest's own view of the timeline.
  if (const auto console_log = guest.options().log_file; !console_log.empty()) {
    const auto beside = [&console_log](const char* extension) {
      return std::filesystem::path(console_log).replace_extension(extension);
    };
    std::ofstream(beside(".docker.log"))
        << guest.run("cat /var/log/docker.log", seconds(60)).output;
    std::ofstream(beside(".status-boot.txt"))
        << guest.run("berth status --boot", seconds(60)).output;
  }
  guest.poweroff(seconds(60));
  return compose_timeline(mode_name, host, parse_init_log(log), docker_run);
}

}  // namespace berth::bench
