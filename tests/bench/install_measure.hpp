// `berth install` for `make bench`: the time of a full install to a blank 4 GiB disk (plain
// and with a LUKS2 data volume), and the time the initrd spends unlocking that volume.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "qemu_command.hpp"

namespace berth::bench {

struct InstallSamples {
  std::vector<double> plain_s;      // berth install DISK, guest seconds
  std::vector<double> encrypted_s;  // berth install DISK --encrypt --key-file
  std::vector<double> unlock_s;     // cryptsetup open at boot (BERTH_CRYPT_SECONDS)
};

// `guest_for(mode, name)` gives the options of one boot of the build in `mode` (the ISO from a
// CD, or an installed disk), logging to a file named after `name`. `runs` times: boot the ISO
// with a blank disk, install plain, then encrypted over it; boot the disk and type the
// passphrase.
InstallSamples measure_install(
    const std::function<vm::GuestOptions(vm::BootMode, const std::string&)>& guest_for,
    const std::filesystem::path& scratch_dir, int runs);

}  // namespace berth::bench
