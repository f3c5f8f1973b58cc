// Text of the small configuration files init-busybox writes; pure functions of the
// settings so the unit tests can check them line by line.
#pragma once

#include <string>
#include <vector>

#include "settings.hpp"

namespace berth::init_busybox {

// A terminal that gets a shell (or a login prompt) from /etc/berth/console.
struct Console {
  std::string tty;   // name under /dev
  long speed = 0;    // baud rate for getty
  std::string term;  // TERM for programs on it
};

// tty1 always; the serial console when configured and not tty1 itself.
std::vector<Console> consoles(const Settings& settings);

// /etc/inittab for busybox init: rc start at boot, the consoles, rc stop at shutdown.
std::string inittab_text(const Settings& settings);

// /etc/hosts: localhost and the host name on 127.0.1.1, as Debian does.
std::string hosts_text(const std::string& hostname);

// /etc/berth/ntp-servers: one server per line, read by rc.d/55-time.
std::string ntp_servers_text(const std::vector<std::string>& servers);

}  // namespace berth::init_busybox
