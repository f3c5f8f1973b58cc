// [[debian.pins]] as an apt_preferences(5) file, the one both tools hand to apt.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::bootstrap {

// One record per pin, in config order (apt takes the first matching record). A bare
// release ("trixie-backports") becomes "Pin: release n=trixie-backports", the codename,
// as the core's own apt fetcher does; a release holding '=' ("a=stable-backports") is
// used as written. Throws Error for a pin that would break the file (a newline, an
// empty field).
std::string render_apt_preferences(const std::vector<sdk::AptPin>& pins);

}  // namespace berth::bootstrap
