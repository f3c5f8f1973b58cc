// The [bootstrap] packages list, and the packages.txt record of what was installed.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/config.hpp"
#include "berth/sdk/context.hpp"

namespace berth::bootstrap {

// The config keys both bootstrap plugins accept.
std::vector<sdk::ConfigKey> bootstrap_config_keys();

// `packages` from the plugin's table: required, not empty, plain Debian package names
// (policy 5.6.1: lower case letters, digits, + - and ., at least two characters,
// starting with a letter or digit), duplicates dropped in order. Versions and suites
// are chosen with [debian] pins, not here, so both tools see the same request.
std::vector<std::string> read_package_list(const sdk::ConfigTable& config);

bool is_package_name(const std::string& name);

// "name version" lines, sorted by name then version: the file the equivalence test
// compares between the two bootstrap plugins.
std::string packages_txt(std::vector<sdk::FetchedPackage> packages);

}  // namespace berth::bootstrap
