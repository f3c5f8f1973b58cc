// Checks a config table against the keys a plugin (or the core) declared.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::core {

// Throws sdk::ConfigError (file:line, section, key) for an unknown key, a value of the
// wrong type or a missing required key. `owner` names who declared the schema
// ("plugin kernel-debian" or "berth") for the message.
void validate_table(const sdk::ConfigTable& table, const std::vector<sdk::ConfigKey>& schema,
                    const std::string& owner);

}  // namespace berth::core
