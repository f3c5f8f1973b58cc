#include "image_config_json.hpp"

#include <array>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "berth/sdk/error.hpp"

namespace berth::image_build {

OciPlatform oci_platform(const std::string& dpkg_architecture) {
  static const std::map<std::string, OciPlatform> kPlatforms = {
      {"amd64", {"amd64", ""}}, {"arm64", {"arm64", "v8"}},   {"armhf", {"arm", "v7"}},
      {"armel", {"arm", "v5"}}, {"i386", {"386", ""}},        {"ppc64el", {"ppc64le", ""}},
      {"s390x", {"s390x", ""}}, {"riscv64", {"riscv64", ""}}, {"mips64el", {"mips64le", ""}}};
  const auto found = kPlatforms.find(dpkg_architecture);
  if (found == kPlatforms.end()) {
    throw sdk::Error("architecture '" + dpkg_architecture + "' has no Docker platform name");
  }
  return found->second;
}

std::string rfc3339_utc(std::int64_t epoch) {
  const auto seconds = static_cast<std::time_t>(epoch);
  std::tm utc{};
  if (!gmtime_r(&seconds, &utc))
    throw sdk::Error("timestamp " + std::to_string(epoch) + " out of range");
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

std::string image_config_json(const ImageConfig& config, const OciPlatform& platform,
                              const std::vector<std::string>& diff_id_hexes,
                              const std::string& created_by, std::int64_t epoch) {
  using nlohmann::json;
  const std::string created = rfc3339_utc(epoch);
  json run = json::object();
  if (!config.entrypoint.empty()) run["Entrypoint"] = config.entrypoint;
  if (!config.cmd.empty()) run["Cmd"] = config.cmd;
  if (!config.env.empty()) run["Env"] = config.env;
  if (!config.workdir.empty()) run["WorkingDir"] = config.workdir;
  if (!config.user.empty()) run["User"] = config.user;
  if (!config.labels.empty()) run["Labels"] = config.labels;
  for (const auto& port : config.exposed_ports) run["ExposedPorts"][port] = json::object();

  json diff_ids = json::array();
  json history = json::array();
  for (const auto& hex : diff_id_hexes) {
    diff_ids.push_back("sha256:" + hex);
    history.push_back({{"created", created}, {"created_by", created_by}});
  }
  json out = {{"architecture", platform.architecture},
              {"os", "linux"},
              {"created", created},
              {"config", run},
              {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
              {"history", history}};
  if (!platform.variant.empty()) out["variant"] = platform.variant;
  return out.dump();
}

}  // namespace berth::image_build
