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

}  // namespace berth::sdk
