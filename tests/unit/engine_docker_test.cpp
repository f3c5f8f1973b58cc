// engine-docker: daemon.json from [engine], the iptables alternatives, the docker group.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include "alternatives.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/testing/temp_dir.hpp"
#include "daemon_config.hpp"
#include "group_file.hpp"
#include "target_files.hpp"
#include "unused_programs.hpp"

namespace berth::engine_docker {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using sdk::ConfigTable;
using sdk::ConfigValue;

ConfigValue at(ConfigValue::Array items) {
  return {std::move(items), "berth.toml:9"};
}
template <typename T>
ConfigValue at(T value) {
  return {std::move(value), "berth.toml:9"};
}

std::shared_ptr<ConfigTable> daemon_table() {
  auto daemon = std::make_shared<ConfigTable>("engine.daemon", "berth.toml:8");
  auto opts = std::make_shared<ConfigTable>("engine.daemon.log-opts", "berth.toml:10");
  opts->set("max-size", at(std::string("50m")));
  daemon->set("log-opts", at(ConfigValue::Table(opts)));
  daemon->set("debug", at(true));
  daemon->set("max-concurrent-downloads", at(std::int64_t{6}));
  daemon->set("registry-mirrors", at(ConfigValue::Array{at(std::string("http://10.0.2.2:5000"))}));
  daemon->set("default-shm-size-ratio", at(0.5));
  return daemon;
}

TEST(EngineDockerConfig, DefaultsNeedNoDockerProxy) {
  const json config = daemon_json(read_settings(ConfigTable("engine", "berth.toml:7")));
  EXPECT_EQ(config["data-root"], "/var/lib/docker");
  EXPECT_EQ(config["storage-driver"], "overlay2");
  EXPECT_EQ(config["userland-proxy"], false);
  EXPECT_EQ(config["log-driver"], "json-file");
  EXPECT_EQ(config["log-opts"]["max-file"], "3");
  EXPECT_EQ(config["exec-opts"], json::array({"native.cgroupdriver=cgroupfs"}));
  // Swarm mode refuses live-restore: off, so that `docker swarm init` works as it comes.
  EXPECT_EQ(config["live-restore"], false);
}

TEST(EngineDockerConfig, TomlTableBecomesJsonOfTheSameTypes) {
  const json converted = table_to_json(*daemon_table());
  EXPECT_EQ(converted, json::parse(R"({
      "log-opts": {"max-size": "50m"}, "debug": true, "max-concurrent-downloads": 6,
      "registry-mirrors": ["http://10.0.2.2:5000"], "default-shm-size-ratio": 0.5})"));
  EXPECT_TRUE(converted["max-concurrent-downloads"].is_number_integer());
}

TEST(EngineDockerConfig, DaemonTableMergesOverTheDefaults) {
  ConfigTable engine("engine", "berth.toml:7");
  engine.set("daemon", at(ConfigValue::Table(daemon_table())));
  engine.set("data_root", at(std::string("/var/lib/berth/docker-data")));
  engine.set("userland_proxy", at(true));
  const json config = daemon_json(read_settings(engine));
  EXPECT_EQ(config["log-opts"]["max-size"], "50m");  // overridden
  EXPECT_EQ(config["log-opts"]["max-file"], "3");    // kept: objects merge key by key
  EXPECT_EQ(config["debug"], true);
  EXPECT_EQ(config["data-root"], "/var/lib/berth/docker-data");
  EXPECT_EQ(config["userland-proxy"], true);
}

// A fixed-address engine unless the build asks for Debian's position-independent one.
TEST(EngineDockerConfig, PieIsOffUnlessAsked) {
  ConfigTable engine("engine", "berth.toml:7");
  EXPECT_FALSE(read_settings(engine).pie);
  engine.set("pie", at(true));
  EXPECT_TRUE(read_settings(engine).pie);
}

// The user who wants containers to outlive a dockerd restart (and no swarm) turns it on.
TEST(EngineDockerConfig, LiveRestoreCanBeTurnedOn) {
  auto daemon = std::make_shared<ConfigTable>("engine.daemon", "berth.toml:8");
  daemon->set("live-restore", at(true));
  ConfigTable engine("engine", "berth.toml:7");
  engine.set("daemon", at(ConfigValue::Table(daemon)));
  EXPECT_EQ(daemon_json(read_settings(engine))["live-restore"], true);
}

TEST(EngineDockerConfig, OwnedKeysHaveOneSpelling) {
  auto daemon = std::make_shared<ConfigTable>("engine.daemon", "berth.toml:8");
  daemon->set("data-root", {std::string("/x"), "berth.toml:12"});
  ConfigTable engine("engine", "berth.toml:7");
  engine.set("daemon", at(ConfigValue::Table(daemon)));
  try {
    read_settings(engine);
    FAIL() << "no error";
  } catch (const sdk::ConfigError& error) {
    EXPECT_STREQ(
        error.what(),
        "berth.toml:12: [engine.daemon] data-root: set it with [engine] data_root instead");
  }
}

// [engine] tls asks remote-access for the TLS listener at boot; daemon.json itself never
// opens a TCP port (without certificates that would be plain TCP).
TEST(EngineDockerConfig, TlsOpensNoPortInDaemonJson) {
  ConfigTable engine("engine", "berth.toml:7");
  EXPECT_FALSE(read_settings(engine).tls);
  engine.set("tls", at(true));
  const Settings settings = read_settings(engine);
  EXPECT_TRUE(settings.tls);
  const json config = daemon_json(settings);
  EXPECT_FALSE(config.contains("hosts")) << config.dump();
  EXPECT_FALSE(config.contains("tlsverify")) << config.dump();
}

TEST(EngineDockerConfig, ProxyMustBeAPlainUrl) {
  ConfigTable engine("engine", "berth.toml:7");
  EXPECT_EQ(read_settings(engine).proxy, "");
  engine.set("proxy", at(std::string("http://user:p%40ss@proxy.example:3128")));
  EXPECT_EQ(read_settings(engine).proxy, "http://user:p%40ss@proxy.example:3128");
  EXPECT_TRUE(valid_proxy_url("socks5://[fd00::1]:1080"));
  for (const char* bad : {"proxy.example:3128", "http://", "ftp://x", "http://a b",
                          "http://x\";reboot", "http://$(reboot)", "http://x\n"}) {
    EXPECT_FALSE(valid_proxy_url(bad)) << bad;
  }
  EXPECT_FALSE(valid_proxy_url("http://" + std::string(510, 'a')));
  engine.set("proxy", at(std::string("http://x y")));
  EXPECT_THROW(read_settings(engine), sdk::ConfigError);
}

TEST(EngineDockerConfig, DataRootMustBeAbsolute) {
  ConfigTable engine("engine", "berth.toml:7");
  engine.set("data_root", at(std::string("var/lib/docker")));
  EXPECT_THROW(read_settings(engine), sdk::ConfigError);
}

TEST(EngineDockerAlternatives, NftVariantsOfAllFourTools) {
  const auto alternatives = iptables_alternatives();
  ASSERT_EQ(alternatives.size(), 12u);
  const auto find = [&](const std::string& name) {
    for (const auto& alternative : alternatives) {
      if (alternative.name == name) return alternative;
    }
    ADD_FAILURE() << "no alternative " << name;
    return Alternative{};
  };
  EXPECT_EQ(find("iptables").link, "/usr/sbin/iptables");
  EXPECT_EQ(find("iptables").target, "/usr/sbin/iptables-nft");
  EXPECT_TRUE(find("iptables").required);
  EXPECT_EQ(find("ip6tables-restore").target, "/usr/sbin/ip6tables-nft-restore");
  EXPECT_EQ(find("iptables-save").target, "/usr/sbin/iptables-nft-save");
  EXPECT_EQ(find("ebtables-save").target, "/usr/sbin/ebtables-nft-save");
  EXPECT_FALSE(find("arptables").required);
}

// A rootfs with the packages' programs, as files of known sizes.
class EngineDockerUnused : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("berth-engine-" + std::to_string(::getpid()));
    for (const char* program :
         {"usr/bin/ctr", "usr/bin/containerd", "usr/bin/containerd-shim",
          "usr/bin/containerd-shim-runc-v1", "usr/bin/containerd-shim-runc-v2",
          "usr/sbin/docker-proxy", "usr/sbin/dockerd"}) {
      fs::create_directories((root_ / program).parent_path());
      std::ofstream(root_ / program) << std::string(1000, 'x');
    }
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(EngineDockerUnused, RemovesCtrTheV1ShimsAndTheProxyButNotWhatDockerRuns) {
  const Removed removed = remove_unused_programs(root_, unused_programs(false));
  EXPECT_EQ(removed.files, 4u);
  EXPECT_EQ(removed.bytes, 4000u);
  for (const char* gone : {"usr/bin/ctr", "usr/bin/containerd-shim",
                           "usr/bin/containerd-shim-runc-v1", "usr/sbin/docker-proxy"}) {
    EXPECT_FALSE(fs::exists(root_ / gone)) << gone;
  }
  for (const char* kept :
       {"usr/bin/containerd", "usr/bin/containerd-shim-runc-v2", "usr/sbin/dockerd"}) {
    EXPECT_TRUE(fs::exists(root_ / kept)) << kept;
  }
  // A second run finds nothing more.
  EXPECT_EQ(remove_unused_programs(root_, unused_programs(false)).files, 0u);
}

TEST_F(EngineDockerUnused, TheUserlandProxyKeepsDockerProxyAndALinkIsNotTheBinary) {
  fs::remove(root_ / "usr/bin/ctr");
  fs::create_symlink("containerd", root_ / "usr/bin/ctr");
  EXPECT_EQ(remove_unused_programs(root_, unused_programs(true)).files, 2u);
  EXPECT_TRUE(fs::exists(root_ / "usr/sbin/docker-proxy"));
  EXPECT_TRUE(fs::is_symlink(root_ / "usr/bin/ctr"));
}

// The program a name points to is not removed through the name: only a regular file at
// the path itself (links on the way resolved inside the rootfs) is the program.
TEST_F(EngineDockerUnused, ALinkedDirectoryLeadsToTheRootfsOwnFile) {
  fs::rename(root_ / "usr/sbin", root_ / "usr/real-sbin");
  fs::create_symlink("/usr/real-sbin", root_ / "usr/sbin");
  EXPECT_EQ(remove_unused_programs(root_, unused_programs(false)).files, 4u);
  EXPECT_FALSE(fs::exists(root_ / "usr/real-sbin/docker-proxy"));
  EXPECT_TRUE(fs::exists(root_ / "usr/real-sbin/dockerd"));
}

// update-alternatives' two levels of links, made inside the rootfs whatever its links say.
TEST(EngineDockerLinks, ReplaceALinkAndLeaveARealFile) {
  sdk::testing::TempDir dir;
  const fs::path root = dir.path() / "rootfs";
  const fs::path host_etc = dir.path() / "host-etc";
  fs::create_directories(host_etc);
  fs::create_directories(root / "usr/sbin");
  fs::create_symlink(host_etc, root / "etc");  // absolute: the image's own /<host-etc>
  EXPECT_TRUE(link_in_root(root, "/etc/alternatives/iptables", "/usr/sbin/iptables-nft"));
  EXPECT_TRUE(fs::is_empty(host_etc));
  EXPECT_EQ(fs::read_symlink(root / host_etc.relative_path() / "alternatives/iptables"),
            "/usr/sbin/iptables-nft");
  fs::create_symlink("xtables-legacy-multi", root / "usr/sbin/iptables");
  EXPECT_TRUE(link_in_root(root, "/usr/sbin/iptables", "/etc/alternatives/iptables"));
  EXPECT_EQ(fs::read_symlink(root / "usr/sbin/iptables"), "/etc/alternatives/iptables");
  dir.write("rootfs/usr/sbin/ip6tables", "a real program");
  EXPECT_FALSE(link_in_root(root, "/usr/sbin/ip6tables", "/etc/alternatives/ip6tables"));
  EXPECT_EQ(dir.read("rootfs/usr/sbin/ip6tables"), "a real program");
}

TEST(EngineDockerGroup, FindsAndAddsGroups) {
  const std::string groups = "root:*:0:\nusers:*:100:\nntpd:*:101:\nnogroup:*:65534:";
  EXPECT_EQ(find_group(groups, "users"), 100u);
  EXPECT_EQ(find_group(groups, "docker"), std::nullopt);
  EXPECT_EQ(free_system_gid(groups), 102u);
  const std::string added = append_group(groups, "docker", "x", 102);
  EXPECT_EQ(added.substr(added.size() - 31), "nogroup:*:65534:\ndocker:x:102:\n");
  EXPECT_EQ(find_group(added, "docker"), 102u);
  EXPECT_THROW(find_group("docker:x:abc:\n", "docker"), sdk::Error);
}

TEST(EngineDockerGroup, FullSystemRangeIsAnError) {
  std::string groups;
  for (unsigned gid = 100; gid <= 999; ++gid)
    groups += "g" + std::to_string(gid) + ":*:" + std::to_string(gid) + ":\n";
  EXPECT_THROW(free_system_gid(groups), sdk::Error);
}

}  // namespace
}  // namespace berth::engine_docker
