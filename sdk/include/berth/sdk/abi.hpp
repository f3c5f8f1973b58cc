// The one number that says whether a plugin and the core agree on the SDK layout.
// Bump kAbiVersion whenever a class in this directory changes shape (a virtual added,
// removed or reordered, a member added to a struct passed across the boundary).
#pragma once

namespace berth::sdk {

inline constexpr unsigned kAbiVersion = 1;

// Symbol names every plugin exports (see BERTH_PLUGIN in plugin.hpp).
inline constexpr const char* kAbiSymbol = "berth_plugin_abi_version";
inline constexpr const char* kFactorySymbol = "berth_plugin_create";

}  // namespace berth::sdk
