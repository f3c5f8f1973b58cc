// The toolchain record a plugin carries (BERTH_SDK_TOOLCHAIN, see berth/sdk/abi.hpp): read
// from the plugin before any of its C++ code runs, and checked against the core's own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth::core {

struct PluginToolchain {
  std::string stdlib;     // "libstdc++/cxx11", "libstdc++/gcc4", "libc++"
  long standard = 0;      // __cplusplus, e.g. 202002
  std::string compiler;   // "gcc-12", "clang-16"
  bool has_data = false;  // built with berth_add_plugin(... DATA dir)
  std::string text;       // the record as the plugin wrote it
};

// Parses "stdlib=...;std=...;compiler=...;data=0|1". Unknown keys are ignored (a later SDK
// may record more); a record without stdlib or std is nullopt.
std::optional<PluginToolchain> parse_toolchain(std::string_view record);

// The core's own record, compiled from the same macro.
const PluginToolchain& core_toolchain();

// Why a plugin built with `plugin` cannot share objects with this core, or nullopt.
std::optional<std::string> toolchain_mismatch(const PluginToolchain& plugin,
                                              const PluginToolchain& core);

}  // namespace berth::core
