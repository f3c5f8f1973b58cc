// remote-access's Docker API over TLS: rc.d/66-docker-tls makes a CA, a server certificate for
// the machine's names and a client certificate, and writes dockerd's drop-in, only when asked
// (berth.docker=tls, `berth tls enable`, [engine] tls); certificates from the medium are
// checked one by one; `berth tls client` exports a bundle that openssl verifies. Run under
// busybox sh and dash with the host's openssl and jq; `ip` is a stand-in.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::remote_access {
namespace {

namespace fs = std::filesystem;
using test::run_script;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kFiles = test::plugin_files("remote-access") / "rootfs";

// ip -o addr show scope global: the addresses in $BERTH_TEST_ROOT/addresses, as busybox's ip
// (the image's; iproute2's prints the same) prints them.
constexpr const char* kFakeIp = R"SH(#!/bin/sh
[ "$*" = "-o addr show scope global" ] || exit 64
while read -r family address; do
  echo "2: eth0    $family $address/24 scope global eth0\       valid_lft forever"
done <"$BERTH_TEST_ROOT/addresses"
)SH";

class RemoteTls : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    for (const char* tool : {"openssl", "jq", "timeout"}) {
      if (test::find_program(tool).empty()) GTEST_SKIP() << tool << " is not installed";
    }
    for (const char* name : {"remote.sh", "remote-tls.sh"}) {
      install_library(kFiles / "usr/lib/berth" / name);
    }
    install_library(test::cmdline_sh());
    fs::permissions(root_.write("bin/ip", kFakeIp), fs::perms(0755));
    root_.write("etc/hostname", "berth-test\n");
    root_.write("addresses", "inet 10.0.2.15\ninet6 fec0::5054:ff:fe12:3456\n");
    cmdline("console=ttyS0");
  }

  ScriptOutcome run(const fs::path& script, std::vector<std::string> args) {
    args.insert(args.begin(), script.string());
    return run_in_root(args);
  }
  ScriptOutcome rc(const std::string& action = "start") {
    return run(kFiles / "etc/berth/rc.d/66-docker-tls", {action});
  }
  ScriptOutcome berth_tls(const std::vector<std::string>& args) {
    return run(kFiles / "usr/lib/berth/commands/tls", args);
  }

  // `openssl ARGS`: its output, or "FAILED: ..." when it exits non-zero.
  static std::string openssl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"openssl"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto outcome = run_script(argv);
    return outcome.status == 0 ? outcome.out : "FAILED: " + outcome.out + outcome.err;
  }
  std::string cert_text(const std::string& name) const {
    return openssl({"x509", "-noout", "-text", "-in", path(name).string()});
  }
};

TEST_P(RemoteTls, OffUnlessAskedAndAStaleDropInGoes) {
  root_.write("run/berth/docker/daemon.d/50-tls.json", "{}\n");
  const auto outcome = rc();
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_FALSE(exists("run/berth/docker/daemon.d/50-tls.json"));
  EXPECT_FALSE(exists("var/lib/berth/tls/ca.pem"));
  EXPECT_EQ(rc("status").status, 3);
}

TEST_P(RemoteTls, KernelParameterMakesCertificatesForTheMachinesNames) {
  cmdline("console=ttyS0 berth.docker=tls");
  const auto outcome = rc();
  ASSERT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_NE(outcome.out.find("in RAM (no data volume"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("berth.docker=tls"), std::string::npos) << outcome.out;

  const std::string server = cert_text("var/lib/berth/tls/server-cert.pem");
  for (const char* name :
       {"DNS:berth-test", "DNS:localhost", "IP Address:127.0.0.1", "IP Address:10.0.2.15",
        "IP Address:FEC0:0:0:0:5054:FF:FE12:3456", "TLS Web Server Authentication"}) {
    EXPECT_NE(server.find(name), std::string::npos) << name << " not in\n" << server;
  }
  const std::string ca = path("var/lib/berth/tls/ca.pem").string();
  for (const char* cert : {"server-cert.pem", "client-cert.pem"}) {
    EXPECT_EQ(openssl({"verify", "-CAfile", ca, path("var/lib/berth/tls/").string() + cert}),
              path("var/lib/berth/tls/").string() + cert + ": OK\n");
  }
  EXPECT_NE(cert_text("var/lib/berth/tls/client-cert.pem").find("TLS Web Client Authentication"),
            std::string::npos);
  // Keys and the directory are root's alone.
  struct stat info {};
  ASSERT_EQ(::stat(path("var/lib/berth/tls/ca-key.pem").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0077, 0u);
  ASSERT_EQ(::stat(path("var/lib/berth/tls").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  const auto dropin = nlohmann::json::parse(read("run/berth/docker/daemon.d/50-tls.json"));
  EXPECT_EQ(dropin["hosts"],
            nlohmann::json::array({"unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"}));
  EXPECT_EQ(dropin["tlsverify"], true);
  EXPECT_EQ(dropin["tlscacert"], path("run/berth/tls/clients-ca.pem").string());
  EXPECT_EQ(dropin["tlscert"], path("var/lib/berth/tls/server-cert.pem").string());
  EXPECT_EQ(dropin["tlskey"], path("var/lib/berth/tls/server-key.pem").string());
  EXPECT_EQ(read("run/berth/tls/clients-ca.pem"), read("var/lib/berth/tls/ca.pem"));
  EXPECT_EQ(rc("status").status, 0);
}

// A kernel with IPv6 (/proc/net/if_inet6 is there): dockerd listens on [::], which takes
// IPv4 clients too (dual-stack); without IPv6, on 0.0.0.0 (the test above).
TEST_P(RemoteTls, ListensOnIpv6AndIpv4WhereTheKernelHasIpv6) {
  root_.write("proc/net/if_inet6", "00000000000000000000000000000001 01 80 10 80       lo\n");
  cmdline("console=ttyS0 berth.docker=tls");
  const auto outcome = rc();
  ASSERT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  const auto dropin = nlohmann::json::parse(read("run/berth/docker/daemon.d/50-tls.json"));
  EXPECT_EQ(dropin["hosts"],
            nlohmann::json::array({"unix:///var/run/docker.sock", "tcp://[::]:2376"}));
}

TEST_P(RemoteTls, ANewAddressGetsANewServerCertificateFromTheSameCa) {
  cmdline("berth.docker=tls");
  ASSERT_EQ(rc().status, 0);
  const std::string ca = read("var/lib/berth/tls/ca.pem");
  const std::string client = read("var/lib/berth/tls/client-cert.pem");
  const auto again = rc();
  EXPECT_EQ(again.out.find("server certificate"), std::string::npos) << "same names: kept";
  root_.write("addresses", "inet 192.168.7.20\n");
  const auto moved = rc();
  EXPECT_NE(moved.out.find("server certificate for"), std::string::npos) << moved.out;
  EXPECT_EQ(read("var/lib/berth/tls/ca.pem"), ca);
  EXPECT_EQ(read("var/lib/berth/tls/client-cert.pem"), client);
  EXPECT_NE(cert_text("var/lib/berth/tls/server-cert.pem").find("IP Address:192.168.7.20"),
            std::string::npos);
}

TEST_P(RemoteTls, AnUnknownValueIsOneCleanLineAndOff) {
  cmdline("berth.docker=\"t$(reboot)\x1b[2J\"");
  const auto outcome = rc();
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(outcome.err,
            "berth: berth.docker=t$(reboot)?[2J: unknown value (only 'tls'); ignored\n");
  EXPECT_FALSE(exists("run/berth/docker/daemon.d/50-tls.json"));
}

TEST_P(RemoteTls, BuildDefaultOnAndDisableBeatsIt) {
  root_.write("etc/berth/docker-tls", "[engine] tls = true\n");
  EXPECT_NE(rc().out.find("[engine] tls"), std::string::npos);
  EXPECT_TRUE(exists("run/berth/docker/daemon.d/50-tls.json"));
  root_.write("var/lib/berth/tls/disabled", "");
  rc();
  EXPECT_FALSE(exists("run/berth/docker/daemon.d/50-tls.json"));
  // The kernel parameter turns it on for this boot anyway.
  cmdline("berth.docker=tls");
  rc();
  EXPECT_TRUE(exists("run/berth/docker/daemon.d/50-tls.json"));
}

TEST_P(RemoteTls, CertificatesFromTheMediumAreCheckedOneByOne) {
  // A CA of the user's own, from elsewhere.
  TempDir other;
  ASSERT_EQ(openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", (other.path() / "k.pem").string(), "-out",
                     (other.path() / "ca.pem").string(), "-days", "2", "-subj", "/CN=mine"})
                .rfind("FAILED", 0),
            std::string::npos);
  fs::create_directories(path("run/berth/medium/berth/tls"));
  fs::copy_file(other.path() / "ca.pem", path("run/berth/medium/berth/tls/mine.pem"));
  fs::copy_file(other.path() / "k.pem", path("run/berth/medium/berth/tls/key.pem"));
  root_.write("run/berth/medium/berth/tls/junk.pem", "not a certificate\n");
  root_.write("run/berth/medium/berth/tls/big.pem", std::string(70000, 'A'));
  fs::create_symlink("/etc/shadow", path("run/berth/medium/berth/tls/link.pem"));
  cmdline("berth.docker=tls");
  const auto outcome = rc();
  ASSERT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  const std::string medium = "berth: TLS: the medium's berth/tls/ ";
  EXPECT_NE(outcome.err.find(medium + "key.pem: holds a private key"), std::string::npos)
      << outcome.err;
  EXPECT_NE(outcome.err.find(medium + "junk.pem: not a PEM certificate; skipped"),
            std::string::npos);
  EXPECT_NE(outcome.err.find(medium + "big.pem: not a regular file of at most 65536 bytes"),
            std::string::npos);
  EXPECT_NE(outcome.err.find(medium + "link.pem: not a regular file"), std::string::npos);
  EXPECT_NE(outcome.err.find("clients of " + medium.substr(12) + "mine.pem are let in"),
            std::string::npos)
      << outcome.err;
  EXPECT_EQ(read("run/berth/tls/clients-ca.pem"),
            read("var/lib/berth/tls/ca.pem") + read("run/berth/medium/berth/tls/mine.pem"));
}

TEST_P(RemoteTls, ClientBundleVerifiesAndIsNeverWrittenOverExistingFiles) {
  EXPECT_EQ(berth_tls({"client", path("out").string()}).status, 1) << "off: nothing to export";
  root_.write("run/berth/persist.env", "BERTH_DATA_STATE='on'\n");
  const auto on = berth_tls({"enable"});
  ASSERT_EQ(on.status, 0) << on.out << on.err;
  EXPECT_NE(on.out.find("kept on the data volume"), std::string::npos) << on.out;
  EXPECT_TRUE(exists("var/lib/berth/tls/enabled"));

  const auto bundle = berth_tls({"client", path("out").string()});
  ASSERT_EQ(bundle.status, 0) << bundle.out << bundle.err;
  EXPECT_EQ(bundle.out,
            "export DOCKER_HOST=tcp://10.0.2.15:2376 DOCKER_TLS_VERIFY=1 "
            "DOCKER_CERT_PATH=" +
                path("out").string() + "\n");
  EXPECT_EQ(
      openssl({"verify", "-CAfile", path("out/ca.pem").string(), path("out/cert.pem").string()}),
      path("out/cert.pem").string() + ": OK\n");
  // The key matches the certificate.
  EXPECT_EQ(openssl({"pkey", "-pubout", "-in", path("out/key.pem").string()}),
            openssl({"x509", "-noout", "-pubkey", "-in", path("out/cert.pem").string()}));
  struct stat info {};
  ASSERT_EQ(::stat(path("out/key.pem").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0077, 0u);

  const auto again = berth_tls({"client", path("out").string()});
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.err.find("ca.pem exists; not replaced"), std::string::npos) << again.err;
}

TEST_P(RemoteTls, EnableAndDisableStartDockerdAgain) {
  // A dockerd for the supervisor to start again, which notes the signal that ends it.
  const std::string term = path("terminated").string();
  const auto dockerd = run_script({"sh", "-c",
                                   "sh -c 'trap \"echo TERM >" + term +
                                       "; exit 0\" TERM; i=0; while [ $i -lt 300 ]; do "
                                       "sleep 0.1; i=$((i + 1)); done' >/dev/null 2>&1 & echo $!"});
  const std::string pid = dockerd.out.substr(0, dockerd.out.find('\n'));
  root_.write("run/berth/dockerd.pid", pid + "\n");
  const auto on = berth_tls({"enable"});
  ASSERT_EQ(on.status, 0) << on.out << on.err;
  EXPECT_NE(on.out.find("in RAM until the next boot"), std::string::npos) << on.out;
  EXPECT_NE(on.out.find("dockerd starts again"), std::string::npos) << on.out;
  run_script({"sh", "-c",
              "i=0; while [ ! -s " + term +
                  " ] && [ $i -lt 50 ]; do sleep 0.1; "
                  "i=$((i + 1)); done"});
  EXPECT_EQ(read("terminated"), "TERM\n") << "dockerd was not ended";
  EXPECT_NE(berth_tls({}).out.find("docker tls: on (berth tls enable), tcp port 2376"),
            std::string::npos);

  const auto off = berth_tls({"disable"});
  EXPECT_EQ(off.status, 0) << off.err;
  EXPECT_FALSE(exists("run/berth/docker/daemon.d/50-tls.json"));
  EXPECT_TRUE(exists("var/lib/berth/tls/disabled"));
  EXPECT_FALSE(exists("var/lib/berth/tls/enabled"));
  EXPECT_EQ(berth_tls({}).out.rfind("docker tls: off", 0), 0u);
  EXPECT_EQ(berth_tls({"disable"}).out, "docker tls: off already\n");
}

TEST_P(RemoteTls, BadArgumentsAreUsage) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"client"}, {"client", ""}, {"enable", "x"}, {"bogus"}}) {
    const auto outcome = berth_tls(args);
    EXPECT_EQ(outcome.status, 2);
    EXPECT_EQ(outcome.err, "usage: berth tls [enable | disable | client DIR]\n");
  }
  EXPECT_FALSE(exists("var/lib/berth/tls"));
}

TEST_P(RemoteTls, AHostnameThatIsNoDnsNameIsLeftOut) {
  root_.write("etc/hostname", "bad/name$(x)\n");
  cmdline("berth.docker=tls");
  ASSERT_EQ(rc().status, 0);
  EXPECT_EQ(read("var/lib/berth/tls/server.names"),
            "DNS:localhost,IP:127.0.0.1,IP:10.0.2.15,IP:fec0::5054:ff:fe12:3456\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, RemoteTls, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::remote_access
