#include "daemon_config.hpp"

#include <array>
#include <string_view>

namespace berth::engine_docker {

namespace {

using nlohmann::json;

json value_to_json(const sdk::ConfigValue& value);

json array_to_json(const sdk::ConfigValue::Array& array) {
  json out = json::array();
  for (const auto& item : array) out.push_back(value_to_json(item));
  return out;
}

json value_to_json(const sdk::ConfigValue& value) {
  return std::visit(
      [](const auto& data) -> json {
        using T = std::decay_t<decltype(data)>;
        if constexpr (std::is_same_v<T, sdk::ConfigValue::Array>) {
          return array_to_json(data);
        } else if constexpr (std::is_same_v<T, sdk::ConfigValue::Table>) {
          return data ? table_to_json(*data) : json::object();
        } else {
          return json(data);
        }
      },
      value.data);
}

// Keys of [engine] that own a daemon.json setting: one way to set each.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kOwnedKeys = {{
    {"data-root", "data_root"},
    {"userland-proxy", "userland_proxy"},
}};

}  // namespace

bool valid_proxy_url(std::string_view url) {
  if (url.size() > 512) return false;
  std::string_view rest;
  for (std::string_view scheme : {"http://", "https://", "socks5://"}) {
    if (url.substr(0, scheme.size()) == scheme) rest = url.substr(scheme.size());
  }
  if (rest.empty()) return false;
  constexpr std::string_view kAllowed = "._~:/@%+-[]";
  for (const char c : rest) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kAllowed.find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::vector<sdk::ConfigKey> config_schema() {
  using sdk::ValueType;
  return {
      {"build", ValueType::string,
       "\"multicall\" (default): one binary built from the configured suites' Debian source "
       "packages of docker.io and containerd (dockerd, docker, containerd, "
       "containerd-shim-runc-v2), cached under the cache dir; \"debian\": Debian's binaries "
       "as they are"},
      {"data_root", ValueType::string,
       "where dockerd keeps images and containers (default /var/lib/docker; a tmpfs is "
       "mounted there at boot unless a disk filesystem holds it)"},
      {"pie", ValueType::boolean,
       "build the multicall engine position independent, as Debian builds dockerd (default "
       "false: about 6 MiB more memory per engine process and 1 MB more image for address "
       "randomisation of the executable)"},
      {"userland_proxy", ValueType::boolean,
       "use docker-proxy for published ports (default false: iptables rules only)"},
      {"tls", ValueType::boolean,
       "the Docker API over TLS with client certificates on port 2376 at every boot (default "
       "false; needs the remote-access plugin, see `berth tls`)"},
      {"proxy", ValueType::string,
       "an http://, https:// or socks5:// proxy URL for dockerd's pulls and login shells, "
       "with NO_PROXY holding the local networks (needs the remote-access plugin; "
       "berth.proxy= overrides it at boot)"},
      {"daemon", ValueType::table,
       "extra daemon.json settings, merged over Berth's defaults (any dockerd key)"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;
  const std::string build = table.get_string("build", "multicall");
  if (build == "debian") {
    settings.build = EngineBuild::debian;
  } else if (build != "multicall") {
    table.fail("build", "'" + build + "' is neither \"debian\" nor \"multicall\"");
  }
  settings.data_root = table.get_string("data_root", settings.data_root);
  if (settings.data_root.empty() || settings.data_root.front() != '/' ||
      settings.data_root.find_first_of("\"\\\n") != std::string::npos) {
    table.fail("data_root", "'" + settings.data_root + "' is not an absolute path");
  }
  settings.userland_proxy = table.get_bool("userland_proxy", settings.userland_proxy);
  settings.pie = table.get_bool("pie", settings.pie);
  settings.tls = table.get_bool("tls", settings.tls);
  settings.proxy = table.get_string("proxy", "");
  if (!settings.proxy.empty() && !valid_proxy_url(settings.proxy)) {
    table.fail("proxy", "'" + settings.proxy +
                            "' is not an http://, https:// or socks5:// URL of A-Z a-z 0-9 . _ "
                            "~ : / @ % + - [ ] (at most 512 bytes)");
  }
  if (table.has("daemon")) {
    const auto daemon = table.get_table("daemon");
    settings.daemon = table_to_json(*daemon);
    for (const auto& [json_key, own_key] : kOwnedKeys) {
      if (settings.daemon.contains(json_key)) {
        daemon->fail(std::string(json_key),
                     "set it with [engine] " + std::string(own_key) + " instead");
      }
    }
  }
  return settings;
}

json table_to_json(const sdk::ConfigTable& table) {
  json out = json::object();
  for (const auto& [key, value] : table.values()) out[key] = value_to_json(value);
  return out;
}

json daemon_json(const Settings& settings) {
  json config = {
      {"data-root", settings.data_root},
      // The one driver that works on the tmpfs or ext4 the data root lives on.
      {"storage-driver", "overlay2"},
      // Logs live in RAM with the data root: cap them per container.
      {"log-driver", "json-file"},
      {"log-opts", {{"max-size", "10m"}, {"max-file", "3"}}},
      // No systemd: cgroups are managed directly under /sys/fs/cgroup.
      {"exec-opts", json::array({"native.cgroupdriver=cgroupfs"})},
      {"userland-proxy", settings.userland_proxy},
      // Off, as in Docker's own default: dockerd refuses `docker swarm init` with it on, and
      // a Docker OS must run swarm as it comes. After a crash, containers with `--restart
      // always` start again with dockerd; [engine.daemon] live-restore = true keeps every
      // container running across a dockerd restart on a node that is no swarm member.
      {"live-restore", false},
  };
  config.merge_patch(settings.daemon);
  return config;
}

}  // namespace berth::engine_docker
