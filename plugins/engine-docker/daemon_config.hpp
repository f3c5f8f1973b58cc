// The [engine] table of engine-docker and the daemon.json it turns into.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::engine_docker {

// Where dockerd and friends come from: Debian's binary packages as they are, or one
// multicall binary built from the same versions' source packages (engine_build.hpp).
enum class EngineBuild { debian, multicall };

struct Settings {
  EngineBuild build = EngineBuild::multicall;
  std::string data_root = "/var/lib/docker";
  bool userland_proxy = false;
  nlohmann::json daemon = nlohmann::json::object();  // [engine.daemon], verbatim
};

std::vector<sdk::ConfigKey> config_schema();

// Reads and checks the table; throws ConfigError naming the key.
Settings read_settings(const sdk::ConfigTable& table);

// A TOML table as JSON: strings, integers, booleans, floats, arrays and nested tables.
nlohmann::json table_to_json(const sdk::ConfigTable& table);

// daemon.json: Berth's defaults, then data_root and userland_proxy, then the
// [engine.daemon] table merged over them (nested objects key by key, RFC 7386 style).
nlohmann::json daemon_json(const Settings& settings);

}  // namespace berth::engine_docker
