// The [remote] table of remote-access.
#pragma once

#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::remote_access {

// Where dropbear and dropbearkey come from: built from the configured suites' Debian
// source package with dropbear's bundled libtomcrypt and libtommath linked in (only the
// algorithms dropbear enables; no libtomcrypt, libtommath, libgmp, zlib or libcrypt in the
// image for it), or Debian's dropbear-bin as it is (those shared libraries with it).
enum class DropbearBuild { bundled_libtom, debian };

struct Settings {
  DropbearBuild build = DropbearBuild::bundled_libtom;
};

std::vector<sdk::ConfigKey> config_schema();

// Reads and checks the table; throws ConfigError naming the key.
Settings read_settings(const sdk::ConfigTable& table);

}  // namespace berth::remote_access
