#include "qemu_command.hpp"

#include <berth/sdk/error.hpp>

namespace berth::vm {
namespace {

void require_file(const std::filesystem::path& path, const std::string& what) {
  if (path.empty()) throw sdk::Error(what + ": no path given");
  if (!std::filesystem::is_regular_file(path) && !std::filesystem::is_block_file(path)) {
    throw sdk::Error(what + " " + path.string() + ": no such file");
  }
}

// qemu splits -drive/-device values on commas; a comma in a path is written twice.
std::string escape(const std::filesystem::path& path) {
  std::string out;
  for (const char c : path.string()) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

bool boots_a_disk(BootMode mode) {
  return mode == BootMode::SeabiosDisk || mode == BootMode::OvmfDisk;
}

}  // namespace

bool uses_ovmf(BootMode mode) {
  return mode == BootMode::OvmfCd || mode == BootMode::OvmfUsb || mode == BootMode::OvmfDisk;
}

bool uses_iso(BootMode mode) {
  return mode != BootMode::DirectKernel && !boots_a_disk(mode);
}

std::string to_string(BootMode mode) {
  switch (mode) {
    case BootMode::SeabiosCd:
      return "SeabiosCd";
    case BootMode::SeabiosUsb:
      return "SeabiosUsb";
    case BootMode::OvmfCd:
      return "OvmfCd";
    case BootMode::OvmfUsb:
      return "OvmfUsb";
    case BootMode::DirectKernel:
      return "DirectKernel";
    case BootMode::SeabiosDisk:
      return "SeabiosDisk";
    case BootMode::OvmfDisk:
      return "OvmfDisk";
  }
  return "unknown";
}

void check_inputs(const GuestOptions& options) {
  if (uses_iso(options.mode)) {
    require_file(options.iso, "ISO");
  } else if (boots_a_disk(options.mode)) {
    if (options.disks.empty()) throw sdk::Error(to_string(options.mode) + ": no disk to boot");
  } else {
    require_file(options.kernel, "kernel");
    require_file(options.initrd, "initrd");
  }
  if (uses_ovmf(options.mode)) {
    require_file(options.ovmf_code, "OVMF code (package ovmf)");
    require_file(options.ovmf_vars, "OVMF variable store (package ovmf)");
  }
  for (const auto& disk : options.disks) {
    require_file(disk.path, "disk");
    if (disk.serial.size() > 20 || disk.serial.find(',') != std::string::npos) {
      throw sdk::Error("disk " + disk.path.string() + ": serial \"" + disk.serial +
                       "\" is not 1-20 characters without commas");
    }
  }
  if (options.memory_mib < 64)
    throw sdk::Error("guest memory: " + std::to_string(options.memory_mib) + " MiB");
}

namespace {

// How writes to a disk are handled: refused, kept in a snapshot qemu drops, or written.
std::string disk_mode(const Disk& disk) {
  if (disk.read_only) return "readonly=on,";
  return disk.persistent ? "" : "snapshot=on,";
}

}  // namespace

std::vector<std::string> qemu_arguments(const GuestOptions& options,
                                        const std::filesystem::path& vars_copy) {
  std::vector<std::string> args = {
      options.qemu,
      // TCG: this host has no usable KVM. The default CPU model: -cpu max oopsed under TCG.
      // thread=single: with one host thread per vCPU (MTTCG) the guest kernel's live code
      // patching (static keys, text_poke_bp) raced and oopsed in int3 about once in 20 boots.
      "-machine",
      "pc",
      "-accel",
      "tcg,thread=single",
      "-smp",
      std::to_string(options.cpus),
      "-m",
      std::to_string(options.memory_mib),
      // The first serial port is our stdio; no window, no monitor to steal stdio from us.
      "-display",
      "none",
      "-monitor",
      options.monitor_socket.empty()
          ? "none"
          : "unix:" + escape(options.monitor_socket) + ",server=on,wait=off",
      "-parallel",
      "none",
      "-chardev",
      "stdio,id=console,signal=off",
      "-serial",
      "chardev:console",
      // A guest that reboots (panic, triple fault) ends qemu instead of booting again.
      "-no-reboot",
  };

  // Slirp with restrict=on: the guest reaches nothing outside; explicit forwards still work.
  std::string netdev = "user,id=n0,restrict=on";
  for (const auto& fwd : options.forwards) {
    netdev += ",hostfwd=tcp:127.0.0.1:" + std::to_string(fwd.host_port) +
              "-:" + std::to_string(fwd.guest_port);
  }
  args.insert(args.end(), {"-netdev", netdev, "-device", "virtio-net-pci,netdev=n0"});

  if (uses_ovmf(options.mode)) {
    args.insert(
        args.end(),
        {"-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + escape(options.ovmf_code),
         "-drive", "if=pflash,format=raw,unit=1,file=" + escape(vars_copy)});
  }

  switch (options.mode) {
    case BootMode::SeabiosCd:
    case BootMode::OvmfCd:
      args.insert(args.end(),
                  {"-drive", "if=none,id=cd0,media=cdrom,readonly=on,file=" + escape(options.iso),
                   "-device", "ide-cd,drive=cd0,bootindex=0"});
      break;
    case BootMode::SeabiosUsb:
    case BootMode::OvmfUsb:
      // snapshot=on: the guest may write to its "stick"; the ISO file stays untouched.
      args.insert(args.end(),
                  {"-device", options.usb_controller + ",id=usb", "-drive",
                   "if=none,id=stick,format=raw,snapshot=on,file=" + escape(options.iso), "-device",
                   "usb-storage,bus=usb.0,drive=stick,removable=on,bootindex=0"});
      break;
    case BootMode::DirectKernel:
      args.insert(args.end(), {"-kernel", options.kernel.string(), "-initrd",
                               options.initrd.string(), "-append", options.append});
      break;
    case BootMode::SeabiosDisk:
    case BootMode::OvmfDisk:
      break;  // the first disk below is the boot disk
  }
  // Somewhere to plug a USB stick in later (the USB modes have their controller already).
  if (!options.monitor_socket.empty() && options.mode != BootMode::SeabiosUsb &&
      options.mode != BootMode::OvmfUsb) {
    args.insert(args.end(), {"-device", options.usb_controller + ",id=usb"});
  }

  int index = 0;
  for (const auto& disk : options.disks) {
    const std::string id = "disk" + std::to_string(index++);
    args.insert(
        args.end(),
        {"-drive",
         "if=none,id=" + id + ",format=raw," + disk_mode(disk) + "file=" + escape(disk.path),
         "-device",
         "virtio-blk-pci,drive=" + id + (disk.serial.empty() ? "" : ",serial=" + disk.serial) +
             (index == 1 && boots_a_disk(options.mode) ? ",bootindex=0" : "")});
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  return args;
}

}  // namespace berth::vm
