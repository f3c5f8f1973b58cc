// init-busybox: the [init] settings and the generated /etc files.
#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "init_files.hpp"
#include "settings.hpp"

namespace berth::init_busybox {
namespace {

using sdk::ConfigTable;
using sdk::ConfigValue;

ConfigTable table(std::initializer_list<std::pair<std::string, ConfigValue>> values) {
  ConfigTable out("init", "berth.toml:40");
  for (const auto& [key, value] : values) out.set(key, value);
  return out;
}

ConfigValue text(const std::string& value) {
  return {value, "berth.toml:41"};
}

std::string error_for(const ConfigTable& config) {
  try {
    read_settings(config);
  } catch (const sdk::ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(InitBusyboxSettings, DefaultsAreALiveSystemOnTtyS0) {
  const Settings settings = read_settings(table({}));
  EXPECT_EQ(settings.hostname, "berth");
  EXPECT_EQ(settings.serial_console, "ttyS0");
  EXPECT_EQ(settings.serial_speed, 115200);
  EXPECT_TRUE(settings.autologin);
  EXPECT_EQ(settings.ntp_servers, std::vector<std::string>{"0.debian.pool.ntp.org"});
}

TEST(InitBusyboxSettings, RejectsBadHostnamesNamingTheKey) {
  const std::string error = error_for(table({{"hostname", text("-bad_name")}}));
  EXPECT_NE(error.find("berth.toml:41"), std::string::npos) << error;
  EXPECT_NE(error.find("[init] hostname"), std::string::npos) << error;
  EXPECT_NE(error_for(table({{"hostname", text("a..b")}})), "");
  EXPECT_NE(error_for(table({{"hostname", text(std::string(64, 'a'))}})), "");
  EXPECT_EQ(error_for(table({{"hostname", text("dock-1.example.org")}})), "");
}

TEST(InitBusyboxSettings, ChecksConsoleSpeedAndNtpServers) {
  EXPECT_NE(error_for(table({{"serial_console", text("/dev/ttyS0")}})).find("serial_console"),
            std::string::npos);
  EXPECT_EQ(error_for(table({{"serial_console", text("")}})), "");
  EXPECT_NE(error_for(table({{"serial_speed", {std::int64_t{12345}, "f:3"}}})).find("baud"),
            std::string::npos);
  ConfigValue servers{ConfigValue::Array{text("10.0.2.2"), text("bad server")}, "f:4"};
  EXPECT_NE(error_for(table({{"ntp_servers", servers}})).find("'bad server'"), std::string::npos);
}

TEST(InitBusyboxSettings, NoAutologinNeedsAPassword) {
  const ConfigValue off{false, "f:5"};
  EXPECT_NE(error_for(table({{"autologin", off}})).find("root_password_hash"), std::string::npos);
  EXPECT_EQ(error_for(table({{"autologin", off}, {"root_password_hash", text("$6$salt$hash")}})),
            "");
  EXPECT_NE(error_for(table({{"root_password_hash", text("a:b")}})), "");
}

TEST(InitBusyboxFiles, InittabRunsRcAndAutologinConsoles) {
  const std::string inittab = inittab_text(Settings{});
  EXPECT_NE(inittab.find("::sysinit:/etc/berth/rc start\n"), std::string::npos);
  EXPECT_NE(inittab.find("::respawn:/etc/berth/console tty1 38400 linux autologin\n"),
            std::string::npos);
  EXPECT_NE(inittab.find("::respawn:/etc/berth/console ttyS0 115200 vt100 autologin\n"),
            std::string::npos);
  // Services stop before anything is unmounted.
  const auto stop = inittab.find("::shutdown:/etc/berth/rc stop\n");
  const auto umount = inittab.find("::shutdown:/bin/umount -a -r\n");
  ASSERT_NE(stop, std::string::npos);
  ASSERT_NE(umount, std::string::npos);
  EXPECT_LT(stop, umount);
}

TEST(InitBusyboxFiles, InittabFollowsTheConsoleSettings) {
  Settings settings;
  settings.serial_console = "ttyS1";
  settings.serial_speed = 9600;
  settings.autologin = false;
  const std::string inittab = inittab_text(settings);
  EXPECT_NE(inittab.find("console ttyS1 9600 vt100 login\n"), std::string::npos) << inittab;
  EXPECT_EQ(inittab.find("ttyS0"), std::string::npos);
  EXPECT_EQ(inittab.find("autologin"), std::string::npos);

  settings.serial_console = "";
  EXPECT_EQ(consoles(settings).size(), 1u);
  settings.serial_console = "tty1";  // not twice on the same terminal
  EXPECT_EQ(consoles(settings).size(), 1u);
}

TEST(InitBusyboxFiles, HostsNamesTheHostOn127011) {
  const std::string hosts = hosts_text("berth");
  EXPECT_NE(hosts.find("127.0.0.1\tlocalhost\n"), std::string::npos);
  EXPECT_NE(hosts.find("127.0.1.1\tberth\n"), std::string::npos);
  EXPECT_NE(hosts.find("::1\tlocalhost ip6-localhost ip6-loopback\n"), std::string::npos);
  EXPECT_NE(hosts_text("dock.example.org").find("127.0.1.1\tdock.example.org dock\n"),
            std::string::npos);
}

TEST(InitBusyboxFiles, NtpServersOneALine) {
  EXPECT_EQ(ntp_servers_text({"a.example", "10.0.0.1"}).substr(ntp_servers_text({}).size()),
            "a.example\n10.0.0.1\n");
}

}  // namespace
}  // namespace berth::init_busybox
