#include "settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace berth::init_busybox {

namespace {

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

// The speeds termios knows; getty refuses anything else.
constexpr std::array<std::int64_t, 9> kSpeeds = {9600,   19200,  38400,  57600, 115200,
                                                 230400, 460800, 500000, 921600};

}  // namespace

bool valid_hostname(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    if (!valid_label(name.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool valid_tty_name(std::string_view name) {
  return !name.empty() && name.size() <= 32 &&
         std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '.'; });
}

std::vector<sdk::ConfigKey> config_schema() {
  using sdk::ValueType;
  return {
      {"hostname", ValueType::string, "host name of the running system (default \"berth\")"},
      {"serial_console", ValueType::string,
       "serial port that gets a shell, e.g. \"ttyS0\" (default); \"\" for none"},
      {"serial_speed", ValueType::integer, "baud rate of the serial console (default 115200)"},
      {"autologin", ValueType::boolean,
       "root shells without a password on tty1 and the serial console (default true)"},
      {"root_password_hash", ValueType::string,
       "crypt(3) hash for root in /etc/shadow (e.g. from `openssl passwd -6`); default locked"},
      {"ntp_servers", ValueType::string_array,
       "NTP servers for clock sync at boot (default [\"0.debian.pool.ntp.org\"]); [] disables"},
      {"busybox", ValueType::string,
       "\"musl\" (default): /usr/bin/busybox built from the configured suites' Debian source "
       "package with Debian's static configuration against musl, cached under the cache dir; "
       "\"debian\": Debian's busybox-static as it is (linked against glibc)"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;
  settings.hostname = table.get_string("hostname", settings.hostname);
  if (!valid_hostname(settings.hostname)) {
    table.fail("hostname", "'" + settings.hostname +
                               "' is not a valid host name (letters, digits, inner hyphens, "
                               "dot-separated labels of at most 63 characters)");
  }
  settings.serial_console = table.get_string("serial_console", settings.serial_console);
  if (!settings.serial_console.empty() && !valid_tty_name(settings.serial_console)) {
    table.fail("serial_console",
               "'" + settings.serial_console + "' is not a tty name under /dev, e.g. \"ttyS0\"");
  }
  settings.serial_speed = table.get_int("serial_speed", settings.serial_speed);
  if (std::find(kSpeeds.begin(), kSpeeds.end(), settings.serial_speed) == kSpeeds.end()) {
    table.fail("serial_speed", std::to_string(settings.serial_speed) +
                                   " is not a standard baud rate (9600 ... 921600)");
  }
  settings.autologin = table.get_bool("autologin", settings.autologin);
  settings.root_password_hash = table.get_string("root_password_hash", "");
  if (settings.root_password_hash.find_first_of(":\n") != std::string::npos) {
    table.fail("root_password_hash", "must not contain ':' or a newline");
  }
  if (!settings.autologin && settings.root_password_hash.empty()) {
    table.fail("autologin",
               "false needs root_password_hash too, or nobody can log in to the system");
  }
  settings.ntp_servers = table.get_strings("ntp_servers", settings.ntp_servers);
  for (const auto& server : settings.ntp_servers) {
    if (!valid_hostname(server)) {
      table.fail("ntp_servers", "'" + server + "' is not a host name or IPv4 address");
    }
  }
  const std::string busybox = table.get_string("busybox", "musl");
  if (busybox == "debian") {
    settings.busybox = BusyboxBuild::debian;
  } else if (busybox != "musl") {
    table.fail("busybox", "'" + busybox + "' is neither \"musl\" nor \"debian\"");
  }
  return settings;
}

}  // namespace berth::init_busybox
