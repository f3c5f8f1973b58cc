// The keys the core itself owns: [berth] and [debian].
#pragma once

#include <vector>

#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"
#include "config_loader.hpp"

namespace berth::core {

const std::vector<sdk::ConfigKey>& berth_schema();
const std::vector<sdk::ConfigKey>& debian_schema();

// [debian] as the typed struct plugins see; validates before converting.
sdk::DebianSources read_debian_sources(const LoadedConfig& config);

}  // namespace berth::core
