// What a test guest is (firmware, boot medium, disks, memory, port forwards) and the qemu
// command line that makes it. Kept apart from the process handling so it can be unit-tested.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace berth::vm {

enum class BootMode {
  SeabiosCd,     // BIOS, the ISO on an IDE CD drive
  SeabiosUsb,    // BIOS, the ISO as the raw disk of a USB stick (the hybrid MBR boots)
  OvmfCd,        // UEFI, El Torito EFI image of the ISO
  OvmfUsb,       // UEFI, the ISO's appended ESP on a USB stick
  DirectKernel,  // no firmware boot loader: -kernel/-initrd/-append
  SeabiosDisk,   // BIOS, booting the first of `disks` (an installed disk), no ISO
  OvmfDisk,      // UEFI, booting the first of `disks`, no ISO
};

// Whether `mode` runs OVMF (UEFI) firmware, and whether it boots options.iso.
bool uses_ovmf(BootMode mode);
bool uses_iso(BootMode mode);

std::string to_string(BootMode mode);

struct Disk {
  std::filesystem::path path;  // a raw image, attached as a virtio disk
  bool read_only = true;       // when false, writes go to a throw-away snapshot
  // Shown in the guest as /sys/block/vdX/serial (at most 20 characters): finds the disk
  // whatever order the guest names its disks in.
  std::string serial;
  // With read_only false: writes reach the file (a data disk that must outlive the boot)
  // instead of a throw-away snapshot.
  bool persistent = false;
};

struct HostForward {
  std::uint16_t host_port = 0;   // bound on 127.0.0.1 only
  std::uint16_t guest_port = 0;  // TCP
};

// The direct boots' kernel command line. no_timer_check as in berth.toml's [boot] cmdline:
// under an emulator on a busy host the kernel's IO-APIC timer test misses its ticks and
// panics ("IO-APIC + timer doesn't work!"; 5 of 26 boots at a host load of 10-12).
inline constexpr const char* kDirectBootAppend = "console=ttyS0,115200 no_timer_check";

struct GuestOptions {
  BootMode mode = BootMode::DirectKernel;
  std::filesystem::path iso;     // the four firmware modes
  std::filesystem::path kernel;  // DirectKernel
  std::filesystem::path initrd;  // DirectKernel
  std::string append = kDirectBootAppend;
  int memory_mib = 1024;
  int cpus = 2;
  std::vector<Disk> disks;
  std::vector<HostForward> forwards;
  std::string usb_controller = "qemu-xhci";  // or "usb-ehci"
  std::filesystem::path ovmf_code = "/usr/share/OVMF/OVMF_CODE_4M.fd";
  std::filesystem::path ovmf_vars = "/usr/share/OVMF/OVMF_VARS_4M.fd";  // copied, never written
  std::string qemu = "qemu-system-x86_64";
  std::vector<std::string> extra_args;  // appended as they are, for debugging and odd setups
  // When set: qemu's human monitor listens on this unix socket (see qemu_monitor.hpp), for
  // plugging devices in while the guest runs; and the machine gets a USB controller.
  std::filesystem::path monitor_socket;

  // The end of the console's last line when the shell waits for input (ECMA-48 escapes and
  // CRs removed first). The Berth serial console and busybox's default root prompt end in "# ".
  std::string prompt_pattern = "# $";
  std::chrono::seconds boot_timeout{300};
  // While waiting for the prompt, press Enter after this much console silence: covers
  // "press Enter to activate this console" and a prompt that a kernel message pushed away.
  std::chrono::seconds poke_after{20};
  std::filesystem::path log_file;  // the whole console, written as it arrives; empty: none
};

// Throws sdk::Error naming the first missing input (ISO, kernel, initrd, firmware, disk).
void check_inputs(const GuestOptions& options);

// The qemu argv for `options`; `vars_copy` is the guest's private OVMF variable store.
std::vector<std::string> qemu_arguments(const GuestOptions& options,
                                        const std::filesystem::path& vars_copy);

}  // namespace berth::vm
