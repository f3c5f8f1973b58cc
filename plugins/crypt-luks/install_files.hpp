// What crypt-luks puts into the image: its initramfs hook and its files in the running
// system, once the rootfs has cryptsetup.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/programs.hpp"

namespace berth::crypt_luks {

using RequiredProgram = sdk::RequiredProgram;

// The programs the hook and luks.sh run, with the packages to add when one is missing.
const std::vector<RequiredProgram>& required_programs();

// The first required program `rootfs` lacks (a symlink does not count: busybox has no
// such applets, and the initramfs runs the file through the base image's loader), or
// nothing. Throws nothing.
const RequiredProgram* first_missing_program(const std::filesystem::path& rootfs);

// customize: checks the programs the on-target scripts run (the core installs files/).
void require_rootfs_programs(sdk::BuildContext& ctx);

}  // namespace berth::crypt_luks
