// The programs `berth install` and `berth upgrade` run on the target, checked at build
// time so that a missing one fails the build rather than an install halfway through.
#pragma once

#include <filesystem>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/programs.hpp"

namespace berth::install_disk {

using RequiredProgram = sdk::RequiredProgram;

// The programs the on-target scripts run, with the packages to add when one is missing.
const std::vector<RequiredProgram>& required_programs();

// The first required program `rootfs` lacks (a busybox link does not count), or nothing.
const RequiredProgram* first_missing_program(const std::filesystem::path& rootfs);

// customize: throws sdk::Error naming the first missing program and its package.
void require_rootfs_programs(sdk::BuildContext& ctx);

}  // namespace berth::install_disk
