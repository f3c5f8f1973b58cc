// Adding a system group to /etc/group (and /etc/gshadow) as `addgroup --system` would.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth::engine_docker {

// The gid of `name` in an /etc/group text, if the group is there (throws sdk::Error when
// its gid is not a number).
std::optional<unsigned> find_group(std::string_view group_text, std::string_view name);

// The lowest gid in Debian's system range 100..999 that no group in the text uses.
// Throws sdk::Error when the range is full.
unsigned free_system_gid(std::string_view group_text);

// The text with one more line, "name:password:gid:" (a newline is added first when the
// text does not end in one).
std::string append_group(std::string group_text, const std::string& name,
                         const std::string& password, unsigned gid);

}  // namespace berth::engine_docker
