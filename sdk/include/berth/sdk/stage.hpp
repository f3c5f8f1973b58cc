// The fixed pipeline every build walks through, in this order.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace berth::sdk {

enum class Stage {
  bootstrap,   // make the rootfs from Debian packages
  kernel,      // kernel image and the modules the system ships
  customize,   // plugins put their configuration, services and files into the rootfs
  strip,       // drop what the running system never reads
  filesystem,  // pack the base image (squashfs)
  initramfs,   // assemble /init, early hooks, modules and the base image into the initrd
  bootloader,  // the ISO and its boot files
  finalize,    // manifest, checksums, size report
};

inline constexpr std::array<Stage, 8> kAllStages = {
    Stage::bootstrap,  Stage::kernel,    Stage::customize,  Stage::strip,
    Stage::filesystem, Stage::initramfs, Stage::bootloader, Stage::finalize};

inline constexpr std::string_view stage_name(Stage stage) {
  constexpr std::array<std::string_view, 8> names = {"bootstrap",  "kernel",     "customize",
                                                     "strip",      "filesystem", "initramfs",
                                                     "bootloader", "finalize"};
  return names.at(static_cast<std::size_t>(stage));
}

inline std::optional<Stage> stage_from_name(std::string_view name) {
  for (Stage stage : kAllStages) {
    if (stage_name(stage) == name) return stage;
  }
  return std::nullopt;
}

// Named places inside a stage for HookRegistry::add(): a hook says what it must come after
// (or before), never another plugin's number. Hooks at one place run by plugin name, then
// hook name. Any int works; these are the places the built-in plugins use.
namespace order {
// Lays out the tree the stage's other hooks fill (the initramfs skeleton, /init, busybox).
inline constexpr int kLayout = 5;
// The core installs every plugin's files/ here: files/rootfs (and files/both) in customize,
// files/initramfs (and files/both) in initramfs, into the tree kLayout laid out. A plugin's
// own hooks at kInputs and later find them in place.
inline constexpr int kFiles = 10;
// What other hooks of the stage build on or pack: accounts and /etc/group before services
// are installed, early-boot hooks before the initrd is written, image archives before the
// ISO is written. (Early hooks run at boot in the order of their early.d file names, not
// in this order.)
inline constexpr int kInputs = 20;
// A concern's own work, and each stage's product: the rootfs, the kernel, the squashfs,
// the initrd, the ISO.
inline constexpr int kMain = 50;
// Builds on what kMain hooks installed (files that call the engine's programs).
inline constexpr int kOnTop = 70;
// Sees everything the stage added: strip rules, applet links for whatever is missing.
inline constexpr int kLast = 90;
}  // namespace order

}  // namespace berth::sdk
