// What persist-disk puts into the image: its initramfs hook and its files in the
// running system, once the rootfs has the programs they run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/programs.hpp"

namespace berth::persist_disk {

using RequiredProgram = sdk::RequiredProgram;

// The programs the on-target scripts run, with the packages to add when one is missing.
const std::vector<RequiredProgram>& required_programs();

// The first required program `rootfs` lacks (a busybox link does not count: its applets
// lack what the scripts need), or nothing. Throws nothing.
const RequiredProgram* first_missing_program(const std::filesystem::path& rootfs);

// customize: checks the programs the on-target scripts run (the core installs files/).
void require_rootfs_programs(sdk::BuildContext& ctx);

}  // namespace berth::persist_disk
