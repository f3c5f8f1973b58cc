// The hooks of fs-squashfs, one function per stage step (see plugin.cpp for the order).
#pragma once

#include "berth/sdk/context.hpp"
#include "settings.hpp"

namespace berth::fs_squashfs {

// strip: remove what the running system never reads, report each rule.
void strip_rootfs(sdk::BuildContext& ctx, const Settings& settings);

// strip, after the rules: every dynamic ELF file's interpreter and DT_NEEDED libraries
// resolve inside the rootfs; else each problem is logged and the build fails.
void check_libraries(sdk::BuildContext& ctx);

// strip, last: out/contents.txt (contents_report.hpp), and the estimate's total in the
// build report.
void report_contents(sdk::BuildContext& ctx, const Settings& settings);

// filesystem: mksquashfs the rootfs into work_dir()/base.squashfs.
void build_base_image(sdk::BuildContext& ctx, const Settings& settings);

// initramfs, kLayout: the skeleton and busybox, into which the core installs every plugin's
// files/initramfs (this plugin's /init too).
void prepare_initramfs(sdk::BuildContext& ctx);

// initramfs: the base image in, checks, and initrd.img out.
void write_initramfs(sdk::BuildContext& ctx, const Settings& settings);

}  // namespace berth::fs_squashfs
