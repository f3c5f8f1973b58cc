// Configuring and compiling a prepared source tree, and the cache of compiled kernels:
// <cache>/kernel-source/kernels/<key>/ holds boot/vmlinuz-<ver>, boot/config-<ver> and
// usr/lib/modules/<ver>/, the layout of an unpacked linux-image package, which the
// shared installer (the SDK's Berth::kernel) takes as it takes Debian's.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "kconfig.hpp"
#include "settings.hpp"
#include "source_tree.hpp"

namespace berth::kernel_source {

// Every request, in the order it applies: the plugin's fragments (berth, docker,
// hardware, size unless turned off), the user's fragments, then [kernel.options].
std::vector<Request> collect_requests(sdk::BuildContext& ctx, const Settings& settings);

// Writes the base config into the tree's build directory, applies `requests`, runs
// olddefconfig and returns the final .config. Throws sdk::Error naming every request
// that did not stick and the fragment line that asked for it.
std::string configure(sdk::BuildContext& ctx, const SourceTree& tree, const Settings& settings,
                      const std::vector<Request>& requests);

// The compiler and linker that would build the kernel (first lines of their --version).
std::string toolchain(sdk::BuildContext& ctx);

// The cached kernel for `key`, compiled (niced, make -j, with `make_variables`) and
// installed into the cache first when missing. Returns the entry's directory.
std::filesystem::path compiled_kernel(sdk::BuildContext& ctx, const SourceTree& tree,
                                      const Settings& settings, const std::string& key,
                                      const std::vector<std::string>& make_variables);

}  // namespace berth::kernel_source
