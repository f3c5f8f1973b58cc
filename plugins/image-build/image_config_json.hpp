// The image config blob (application/vnd.oci.image.config.v1+json) and the timestamps in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recipe.hpp"

namespace berth::image_build {

// What Docker's platform says for a dpkg architecture: "amd64" -> {"amd64", ""},
// "armhf" -> {"arm", "v7"}. Throws Error for an architecture Docker has no name for.
struct OciPlatform {
  std::string architecture;
  std::string variant;  // empty when none
};
OciPlatform oci_platform(const std::string& dpkg_architecture);

// "1970-01-01T00:00:00Z" for 0.
std::string rfc3339_utc(std::int64_t epoch);

// The config JSON: platform, config{Entrypoint, Cmd, Env, WorkingDir, User, Labels,
// ExposedPorts} (empty ones left out), rootfs{layers, diff_ids}, one history entry per
// layer saying `created_by`, every date at `epoch`.
std::string image_config_json(const ImageConfig& config, const OciPlatform& platform,
                              const std::vector<std::string>& diff_id_hexes,
                              const std::string& created_by, std::int64_t epoch);

}  // namespace berth::image_build
