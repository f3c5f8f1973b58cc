// The [engine] table of engine-docker and the daemon.json it turns into.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
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
  // The multicall engine as a position-independent executable (Debian builds dockerd so).
  // Off: the dynamic loader's 300,000 relocations, 6 MiB of dirtied pages in every engine
  // process and 1 MB of image cost more than an executable at a fixed address buys a
  // memory-safe program whose Go heap is at fixed addresses either way.
  bool pie = false;
  // The Docker API over TLS on port 2376 at every boot: the remote-access plugin makes the
  // certificates and dockerd's listener at boot (/etc/berth/docker-tls asks it to).
  bool tls = false;
  // An HTTP(S) proxy for dockerd and login shells, as remote-access's rc.d/64-proxy reads it
  // from /etc/berth/docker-proxy at boot (berth.proxy= overrides it); empty: none.
  std::string proxy;
  nlohmann::json daemon = nlohmann::json::object();  // [engine.daemon], verbatim
};

std::vector<sdk::ConfigKey> config_schema();

// A proxy URL as remote-access's rc.d/64-proxy takes it (the same rule, checked at build
// time so that a typo fails the build): http://, https:// or socks5://, then letters,
// digits and . _ ~ : / @ % + - [ ] only, at most 512 bytes.
bool valid_proxy_url(std::string_view url);

// Reads and checks the table; throws ConfigError naming the key.
Settings read_settings(const sdk::ConfigTable& table);

// A TOML table as JSON: strings, integers, booleans, floats, arrays and nested tables.
nlohmann::json table_to_json(const sdk::ConfigTable& table);

// daemon.json: Berth's defaults, then data_root and userland_proxy, then the
// [engine.daemon] table merged over them (nested objects key by key, RFC 7386 style).
nlohmann::json daemon_json(const Settings& settings);

}  // namespace berth::engine_docker
