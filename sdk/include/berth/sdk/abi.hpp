// What decides whether a plugin and the core can share objects: the SDK layout (one
// number) and the C++ library the two were compiled against (a string the core checks
// before it calls any of the plugin's code).
#pragma once

// Defines the C++ library's own macros (__GLIBCXX__, _LIBCPP_VERSION) the record reads.
#include <version>

namespace berth::sdk {

// Bump whenever a class in this directory changes shape (a virtual added, removed or
// reordered, a member added to a struct passed across the boundary).
// 2: SDK 1.0 (validate(), PluginInfo::requires, the toolchain record).
inline constexpr unsigned kAbiVersion = 2;
inline constexpr const char* kSdkVersion = "1.0";

// Symbol names every plugin exports (see BERTH_PLUGIN in plugin.hpp).
inline constexpr const char* kAbiSymbol = "berth_plugin_abi_version";
inline constexpr const char* kFactorySymbol = "berth_plugin_create";
inline constexpr const char* kToolchainSymbol = "berth_plugin_toolchain";

}  // namespace berth::sdk

// The toolchain record: "stdlib=...;std=...;compiler=...;data=0|1", a plain C string so the
// core can read it from a plugin built with any C++ library. std::string, std::vector and
// std::function cross the boundary, so the C++ library and its ABI flavour must match the
// core's (a plugin built with libstdc++'s old string ABI would crash in its first call); the
// compiler and the language standard are recorded for the record and `berth plugins`.
#define BERTH_SDK_STR2(x) #x
#define BERTH_SDK_STR(x) BERTH_SDK_STR2(x)
#if defined(_LIBCPP_VERSION)
#define BERTH_SDK_STDLIB "libc++"
#elif defined(__GLIBCXX__) && defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define BERTH_SDK_STDLIB "libstdc++/cxx11"
#elif defined(__GLIBCXX__)
#define BERTH_SDK_STDLIB "libstdc++/gcc4"
#else
#define BERTH_SDK_STDLIB "unknown"
#endif
#if defined(__clang__)
#define BERTH_SDK_COMPILER "clang-" BERTH_SDK_STR(__clang_major__)
#elif defined(__GNUC__)
#define BERTH_SDK_COMPILER "gcc-" BERTH_SDK_STR(__GNUC__)
#else
#define BERTH_SDK_COMPILER "unknown"
#endif
// berth_add_plugin(... DATA dir) defines BERTH_PLUGIN_HAS_DATA: the core then refuses to
// load the plugin without its data directory instead of letting it install nothing.
#if defined(BERTH_PLUGIN_HAS_DATA) && BERTH_PLUGIN_HAS_DATA
#define BERTH_SDK_DATA "1"
#else
#define BERTH_SDK_DATA "0"
#endif
#define BERTH_SDK_TOOLCHAIN                                                                     \
  "stdlib=" BERTH_SDK_STDLIB ";std=" BERTH_SDK_STR(__cplusplus) ";compiler=" BERTH_SDK_COMPILER \
                                                                ";data=" BERTH_SDK_DATA
