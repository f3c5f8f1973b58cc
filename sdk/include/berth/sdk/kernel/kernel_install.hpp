// The part of the kernel stage every kernel plugin shares, once the package is unpacked:
// depmod the package's modules, choose the modules to ship, install them into the
// rootfs and the initramfs, put vmlinuz into the output, publish and report.
//
// Layout produced (for kernel version <ver>):
//   rootfs/usr/lib/modules/<ver>/         the pruned modules, decompressed, depmod'ed
//   rootfs/usr/lib/modules/<ver>/config   the kernel's build config (boot/config-<ver>),
//                                         for docker's check-config.sh and for people
//   initramfs/usr/lib/modules/<ver>/      the early-boot subset, depmod'ed on its own
//   initramfs/lib -> usr/lib              when the initramfs has no /lib yet, so that
//                                         busybox modprobe finds /lib/modules
//   output_dir()/vmlinuz
//   work_dir()/modules/                   the rootfs module tree as built (fact
//                                         kernel.modules), before later stages touch it
#pragma once

#include <filesystem>
#include <string>

#include "berth/sdk/context.hpp"
#include "berth/sdk/kernel/kernel_options.hpp"

namespace berth::sdk::kernel {

// `unpacked_root` holds the extracted kernel package; `label` names it in messages.
// Patterns from the config that match nothing fail the build (sdk::ConfigError).
void install_kernel(sdk::BuildContext& ctx, const std::filesystem::path& unpacked_root,
                    const std::string& label, const ModuleOptions& options);

}  // namespace berth::sdk::kernel
