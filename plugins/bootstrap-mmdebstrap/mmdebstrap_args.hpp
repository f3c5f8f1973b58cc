// The mmdebstrap command line for an extract-only bootstrap, and reading back which
// .debs it extracted.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/context.hpp"

namespace berth::bootstrap {

inline constexpr const char* kMmdebstrapProgram = "/usr/bin/mmdebstrap";

// Where the extract hook lists the extracted .debs, relative to the rootfs. Inside the
// rootfs so the hook's command holds no host path; the bootstrap prunes it after.
inline constexpr const char* kExtractedList = "var/cache/apt/berth-extracted.list";

struct MmdebstrapSettings {
  std::filesystem::path rootfs;
  std::string architecture;
  std::string suite;  // [debian] suite; mmdebstrap's SUITE argument
  std::filesystem::path keyring;
  std::vector<sdk::AptSource> sources;
  std::vector<std::string> packages;
};

// "deb [arch=amd64] http://deb.debian.org/debian trixie main": one MIRROR argument.
std::string source_line(const std::string& architecture, const sdk::AptSource& source);

// The full argv, program first. Throws Error for an empty package list or source.
std::vector<std::string> mmdebstrap_argv(const MmdebstrapSettings& settings);

// Throws a one-line Error when `program` is missing.
void require_mmdebstrap(const std::filesystem::path& program);

// The .deb file names in the extract hook's list ("/var/cache/apt/archives/x.deb" per
// line), in its order.
std::vector<std::string> extracted_debs(const std::string& list);

}  // namespace berth::bootstrap
