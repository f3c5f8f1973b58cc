// Putting a chosen set of modules into a lib/modules/<ver>/ directory: copied from the
// kernel package, decompressed (the image compresses them better as a whole), with
// the module lists modprobe reads, and depmod run on the result.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

#include "berth/sdk/context.hpp"
#include "berth/sdk/kernel/module_index.hpp"

namespace berth::sdk::kernel {

// Runs depmod for `modules_dir` (a lib/modules/<ver>/ directory anywhere). depmod only
// takes a base directory it appends lib/modules/<ver> to (usr/lib/modules/<ver> for
// newer kmod), so a throwaway base in `scratch` points both at `modules_dir`.
void run_depmod(sdk::BuildContext& ctx, const std::filesystem::path& modules_dir,
                const std::string& version, const std::filesystem::path& scratch);

struct InstalledModules {
  std::size_t count = 0;
  std::uint64_t bytes = 0;  // every file in the directory, module lists included
};

// Replaces `target_dir` with the modules `names` of `index` (read from `source_dir`),
// decompressed, plus modules.order (restricted to them), modules.builtin and
// modules.builtin.modinfo, and runs depmod on it (`scratch` as for run_depmod).
InstalledModules install_modules(sdk::BuildContext& ctx, const ModuleIndex& index,
                                 const std::filesystem::path& source_dir,
                                 const std::set<std::string>& names,
                                 const std::filesystem::path& target_dir,
                                 const std::string& version, const std::filesystem::path& scratch);

// Bytes in the regular files under `dir` (symlinks not followed).
std::uint64_t tree_size(const std::filesystem::path& dir);

}  // namespace berth::sdk::kernel
