// multistrap's config file, from [debian] and the package list, and the check that
// multistrap is installed at all.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::bootstrap {

inline constexpr const char* kMultistrapProgram = "/usr/sbin/multistrap";

struct MultistrapSettings {
  std::filesystem::path directory;  // the rootfs
  std::string architecture;
  std::filesystem::path preferences;  // apt_preferences file for the pins
  std::string suite;                  // [debian] suite: its section lists the packages
  std::vector<sdk::AptSource> sources;
  std::vector<std::string> packages;
};

// The multistrap config: a [General] section and one section per source suite, all of
// them bootstrap sections so apt resolves across every suite with the pins. Throws
// Error for a value multistrap's ini parser would misread (whitespace in a path, a
// newline anywhere).
std::string render_multistrap_config(const MultistrapSettings& settings);

// Section names: the suite, lower case, with anything but [a-z0-9.-] replaced, and
// "-2", "-3" ... when two sources share a suite.
std::vector<std::string> section_names(const std::vector<sdk::AptSource>& sources);

// Throws the one-line Error naming bootstrap-mmdebstrap when `program` is missing.
void require_multistrap(const std::filesystem::path& program);

}  // namespace berth::bootstrap
