// The [init] table of init-busybox: its schema and the checked values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "berth/sdk/config.hpp"

namespace berth::init_busybox {

// Where /usr/bin/busybox comes from: built from the configured suites' Debian source package
// with Debian's static configuration against musl (less than half the size of the glibc
// build, the same applets), or Debian's busybox-static as it is.
enum class BusyboxBuild { musl, debian };

struct Settings {
  std::string hostname = "berth";
  std::string serial_console = "ttyS0";  // empty: no shell on a serial port
  std::int64_t serial_speed = 115200;
  bool autologin = true;           // live mode: root shells without a password
  std::string root_password_hash;  // crypt(3) string for /etc/shadow, empty: locked
  std::vector<std::string> ntp_servers = {"0.debian.pool.ntp.org"};
  BusyboxBuild busybox = BusyboxBuild::musl;
};

std::vector<sdk::ConfigKey> config_schema();

// Reads and checks the table; throws ConfigError naming the key.
Settings read_settings(const sdk::ConfigTable& table);

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
bool valid_hostname(std::string_view name);

// A tty name under /dev such as ttyS0 or hvc0 (no slashes, no spaces).
bool valid_tty_name(std::string_view name);

}  // namespace berth::init_busybox
