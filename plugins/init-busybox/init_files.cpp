#include "init_files.hpp"

namespace berth::init_busybox {

std::vector<Console> consoles(const Settings& settings) {
  std::vector<Console> out = {{"tty1", 38400, "linux"}};
  if (!settings.serial_console.empty() && settings.serial_console != "tty1") {
    // Serial terminals and terminal emulators on the other end speak at least vt100.
    out.push_back({settings.serial_console, static_cast<long>(settings.serial_speed), "vt100"});
  }
  return out;
}

std::string inittab_text(const Settings& settings) {
  const std::string mode = settings.autologin ? "autologin" : "login";
  std::string text =
      "# /etc/inittab for busybox init, written by the init-busybox plugin.\n"
      "# Boot: /etc/berth/rc runs /etc/berth/rc.d/* in name order; the consoles start\n"
      "# once it returns.\n"
      "::sysinit:/etc/berth/rc start\n"
      "\n"
      "# No tty in the first field: /etc/berth/console checks that the port exists\n"
      "# before getty opens it, so a machine without a serial port gets no error\n"
      "# every second from init's respawning.\n";
  for (const auto& console : consoles(settings)) {
    text += "::respawn:/etc/berth/console " + console.tty + " " + std::to_string(console.speed) +
            " " + console.term + " " + mode + "\n";
  }
  text +=
      "\n"
      "::ctrlaltdel:/sbin/reboot\n"
      "::restart:/sbin/init\n"
      "\n"
      "# poweroff/reboot: init runs these in order, then signals every process and\n"
      "# asks the kernel to power off. Services stop in reverse (containers first).\n"
      "::shutdown:/etc/berth/rc stop\n"
      "::shutdown:/sbin/swapoff -a\n"
      "::shutdown:/bin/umount -a -r\n"
      "::shutdown:/bin/sync\n";
  return text;
}

std::string hosts_text(const std::string& hostname) {
  // A dotted name is a fully qualified one: list the short name after it.
  std::string names = hostname;
  if (const auto dot = hostname.find('.'); dot != std::string::npos) {
    names += " " + hostname.substr(0, dot);
  }
  return "127.0.0.1\tlocalhost\n"
         "127.0.1.1\t" +
         names +
         "\n"
         "\n"
         "::1\tlocalhost ip6-localhost ip6-loopback\n"
         "ff02::1\tip6-allnodes\n"
         "ff02::2\tip6-allrouters\n";
}

std::string ntp_servers_text(const std::vector<std::string>& servers) {
  std::string text = "# NTP servers for rc.d/55-time, one a line ([init] ntp_servers).\n";
  for (const auto& server : servers) text += server + "\n";
  return text;
}

}  // namespace berth::init_busybox
