#include "plugin_toolchain.hpp"

#include <charconv>

#include "berth/sdk/abi.hpp"

namespace berth::core {

std::optional<PluginToolchain> parse_toolchain(std::string_view record) {
  PluginToolchain toolchain;
  toolchain.text = std::string(record);
  bool has_std = false;
  while (!record.empty()) {
    const std::size_t end = std::min(record.find(';'), record.size());
    const std::string_view item = record.substr(0, end);
    record.remove_prefix(end == record.size() ? end : end + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, equals);
    const std::string_view value = item.substr(equals + 1);
    if (key == "stdlib") {
      toolchain.stdlib = std::string(value);
    } else if (key == "std") {
      // __cplusplus is written as a number, with an L suffix on some compilers.
      const auto [rest, error] =
          std::from_chars(value.data(), value.data() + value.size(), toolchain.standard);
      has_std = error == std::errc() && (rest == value.data() + value.size() || *rest == 'L');
    } else if (key == "compiler") {
      toolchain.compiler = std::string(value);
    } else if (key == "data") {
      toolchain.has_data = value == "1";
    }
  }
  if (toolchain.stdlib.empty() || !has_std) return std::nullopt;
  return toolchain;
}

const PluginToolchain& core_toolchain() {
  static const PluginToolchain toolchain = *parse_toolchain(BERTH_SDK_TOOLCHAIN);
  return toolchain;
}

std::optional<std::string> toolchain_mismatch(const PluginToolchain& plugin,
                                              const PluginToolchain& core) {
  // std::string, std::vector and std::function cross the boundary: the library and its
  // ABI flavour decide their layout. The compiler does not (GCC and Clang share libstdc++).
  if (plugin.stdlib != core.stdlib) {
    return "built with the C++ library " + plugin.stdlib + ", this berth uses " + core.stdlib +
           ": rebuild it with the same library (for libstdc++, the same _GLIBCXX_USE_CXX11_ABI)";
  }
  constexpr long kSdkStandard = 202002L;  // the SDK's headers are C++20
  if (plugin.standard < kSdkStandard) {
    return "built as C++ " + std::to_string(plugin.standard) +
           ", the SDK needs C++20 (202002) or later";
  }
  return std::nullopt;
}

}  // namespace berth::core
