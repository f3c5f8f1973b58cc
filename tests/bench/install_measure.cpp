#include "install_measure.hpp"

#include <berth/sdk/error.hpp>
#include <iostream>

#include "disk_images.hpp"
#include "qemu_guest.hpp"

namespace berth::bench {

namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr const char* kDiskSerial = "bench-install";
constexpr const char* kPassphrase = "bench passphrase";

double number(const std::string& text, const std::string& what) {
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    throw sdk::Error(what + ": not a number: \"" + text + "\"");
  }
}

// Runs `command` in the guest and returns the guest seconds it took.
double timed(vm::QemuGuest& guest, const std::string& command) {
  const vm::CommandResult r =
      guest.run("a=$(cut -d' ' -f1 /proc/uptime); " + command +
                    " >/tmp/bench-install.log 2>&1 || { cat /tmp/bench-install.log; exit 1; }; "
                    "b=$(cut -d' ' -f1 /proc/uptime); echo \"$a $b\" | awk '{ print $2 - $1 }'",
                seconds(1800));
  if (!r.ok()) throw sdk::Error("`" + command + "` failed in the guest:\n" + r.output);
  const std::string last = r.output.substr(r.output.rfind('\n', r.output.size() - 2) + 1);
  return number(last, command);
}

}  // namespace

InstallSamples measure_install(
    const std::function<vm::GuestOptions(vm::BootMode, const std::string&)>& guest_for,
    const fs::path& scratch_dir, int runs) {
  InstallSamples samples;
  for (int i = 1; i <= runs; ++i) {
    const fs::path disk = vm::blank_disk(scratch_dir, "bench-install.img", 4096);
    const vm::Disk target{disk, false, kDiskSerial, true};
    std::cerr << "berth-bench: install run " << i << "/" << runs << "...\n";
    {
      vm::GuestOptions options = guest_for(vm::BootMode::SeabiosCd, "install-" + std::to_string(i));
      options.disks = {target};
      vm::QemuGuest guest(options);
      guest.wait_for_shell();
      guest.retry("[ -e /run/berth/import.done ]", seconds(300));
      samples.plain_s.push_back(timed(guest, "berth install /dev/vda --yes"));
      guest.check(std::string("printf %s '") + kPassphrase + "' >/run/bench-key");
      samples.encrypted_s.push_back(
          timed(guest, "berth install /dev/vda --encrypt --key-file /run/bench-key --force --yes"));
      guest.poweroff(seconds(180));
    }
    vm::GuestOptions options =
        guest_for(vm::BootMode::SeabiosDisk, "install-unlock-" + std::to_string(i));
    options.disks = {target};
    vm::QemuGuest guest(options);
    guest.set_poke_after(seconds(3600));
    guest.wait_for_prompt("Passphrase for the Berth data volume [^ ]*: *$", seconds(300));
    guest.send(std::string(kPassphrase) + "\n");
    guest.set_poke_after(seconds(20));
    guest.wait_for_shell();
    const vm::CommandResult env =
        guest.check(". /run/berth/crypt.env && echo \"$BERTH_CRYPT_SECONDS\"");
    samples.unlock_s.push_back(number(env.output, "BERTH_CRYPT_SECONDS"));
    guest.poweroff(seconds(180));
    fs::remove(disk);
  }
  return samples;
}

}  // namespace berth::bench
