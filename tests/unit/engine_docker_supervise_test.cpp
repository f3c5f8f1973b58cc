// engine-docker's supervisor (/usr/lib/berth/docker-supervise): its lines in the boot
// timeline and the ready marker, run under busybox sh and dash with a stand-in dockerd that
// brings up a containerd socket and then an API, and a stand-in docker CLI.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::engine_docker {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;

const fs::path kSupervise =
    test::plugin_files("engine-docker") / "rootfs/usr/lib/berth/docker-supervise";

class DockerSupervise : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    root_.write("proc/uptime", "8.25 10.00\n");
    fs::create_directories(root_.path() / "run/berth");
    install_library(test::boot_log_sh());
    // A dockerd that starts its containerd, answers half a second later, and exits once
    // the supervisor has marked it ready, asking not to be started again.
    script("bin/dockerd",
           "[ \"$1\" = --config-file ] || exit 64\n"
           "mkdir -p \"$BERTH_TEST_ROOT/run/docker/containerd\"\n"
           ": >\"$BERTH_TEST_ROOT/run/docker/containerd/containerd.sock\"\n"
           "sleep 0.5\n"
           ": >\"$BERTH_TEST_ROOT/api-up\"\n"
           "api_socket\n"
           "i=0\n"
           "while [ ! -e \"$BERTH_TEST_ROOT/run/berth/docker.ready\" ] && [ $i -lt 100 ]; do\n"
           "  sleep 0.1; i=$((i + 1))\n"
           "done\n"
           ": >\"$BERTH_TEST_ROOT/run/berth/docker.stop\"\n"
           "exit 7\n");
    script("bin/docker",
           "[ \"$1 $2 $3\" = 'version --format {{.Server.Version}}' ] || exit 64\n"
           "echo call >>\"$BERTH_TEST_ROOT/docker-calls\"\n"
           "[ -e \"$BERTH_TEST_ROOT/api-up\" ] || exit 1\n"
           "echo 27.5.1\n");
    script("bin/usleep", "sleep \"$(awk -v us=\"$1\" 'BEGIN { print us / 1000000 }')\"\n");
    // The API's unix socket, a real one (the supervisor asks the CLI only once it is there);
    // perl-base is in every Debian system.
    script(
        "bin/api_socket",
        "exec perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), "
        "Local => $ARGV[0], Listen => 1) or die \"$!\\n\"' \"$BERTH_TEST_ROOT/run/docker.sock\"\n");
  }

  void script(const std::string& name, const std::string& body) {
    const fs::path file = root_.write(name, "#!/bin/sh\n" + body);
    fs::permissions(file, fs::perms(0755));
  }

  ScriptOutcome supervise(const std::string& config = "/etc/docker/daemon.json") {
    return run_in_root({kSupervise.string(), config});
  }
};

TEST_P(DockerSupervise, TimelineHasDockerdContainerdTheApiAndTheExit) {
  const auto outcome = supervise();
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  const std::regex expected(
      "\\[8\\.25\\] docker: dockerd started \\(pid [0-9]+\\)\n"
      "\\[8\\.25\\] docker: containerd answering\n"
      "\\[8\\.25\\] docker: API answering \\(docker 27\\.5\\.1\\)\n"
      "\\[8\\.25\\] docker: dockerd exited \\(status 7\\)\n");
  EXPECT_TRUE(std::regex_match(read("run/berth/init.log"), expected)) << read("run/berth/init.log");
  // The supervisor's own log says the same for people.
  EXPECT_NE(outcome.out.find("dockerd 27.5.1 is ready"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("stopped"), std::string::npos) << outcome.out;
  // The CLI (a second of CPU on a slow machine) was started once, when the socket was there,
  // not every second while dockerd came up.
  EXPECT_EQ(read("docker-calls"), "call\n");
  // Gone with the dockerd that wrote it.
  EXPECT_FALSE(fs::exists(root_.path() / "run/berth/docker.ready"));
}

TEST_P(DockerSupervise, WithoutAContainerdSocketTheRestIsStillLogged) {
  // A dockerd told to use a containerd elsewhere.
  script("bin/dockerd",
         "sleep 0.3\n: >\"$BERTH_TEST_ROOT/api-up\"\napi_socket\n"
         "while [ ! -e \"$BERTH_TEST_ROOT/run/berth/docker.ready\" ]; do sleep 0.1; done\n"
         ": >\"$BERTH_TEST_ROOT/run/berth/docker.stop\"\n");
  const auto outcome = supervise();
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  const std::string log = read("run/berth/init.log");
  EXPECT_EQ(log.find("containerd"), std::string::npos) << log;
  EXPECT_NE(log.find("] docker: API answering (docker 27.5.1)\n"), std::string::npos) << log;
  EXPECT_NE(log.find("] docker: dockerd exited (status 0)\n"), std::string::npos) << log;
}

// Other plugins' daemon.json drop-ins (remote-access's TLS listener) are merged over the
// config, in name order, and dockerd reads the merged file; a drop-in that is not JSON leaves
// dockerd on its own config, with a line in the log.
class DockerSuperviseDropIns : public DockerSupervise {
 protected:
  void SetUp() override {
    DockerSupervise::SetUp();
    if (IsSkipped()) return;
    if (test::find_program("jq").empty()) GTEST_SKIP() << "jq is not installed";
    // A dockerd that keeps the config it was given and asks not to be started again.
    script("bin/dockerd",
           "cp \"$2\" \"$BERTH_TEST_ROOT/seen-config\"\n"
           "echo \"$2\" >\"$BERTH_TEST_ROOT/seen-path\"\n"
           ": >\"$BERTH_TEST_ROOT/run/berth/docker.stop\"\n");
    config_ = root_.write("etc/docker/daemon.json",
                          "{\"data-root\": \"/var/lib/docker\", \"log-opts\": {\"max-size\": "
                          "\"10m\"}, \"hosts\": [\"unix:///var/run/docker.sock\"]}\n");
  }
  fs::path config_;
};

TEST_P(DockerSuperviseDropIns, DropInsAreMergedInNameOrder) {
  root_.write("run/berth/docker/daemon.d/50-tls.json",
              "{\"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2376\"], "
              "\"tlsverify\": true, \"log-opts\": {\"max-file\": \"3\"}}\n");
  root_.write("run/berth/docker/daemon.d/60-proxy.json", "{\"tlsverify\": false}\n");
  const auto outcome = supervise(config_.string());
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_EQ(read("seen-path"), (root_.path() / "run/berth/docker/daemon.json").string() + "\n");
  const auto merged = nlohmann::json::parse(read("seen-config"));
  EXPECT_EQ(merged["data-root"], "/var/lib/docker");
  EXPECT_EQ(merged["hosts"].size(), 2u) << merged.dump();
  EXPECT_EQ(merged["tlsverify"], false) << "60- comes after 50-: " << merged.dump();
  EXPECT_EQ(merged["log-opts"]["max-size"], "10m") << merged.dump();
  EXPECT_EQ(merged["log-opts"]["max-file"], "3") << merged.dump();
}

TEST_P(DockerSuperviseDropIns, ABrokenDropInLeavesTheConfigAlone) {
  root_.write("run/berth/docker/daemon.d/50-tls.json", "{\"hosts\": [\n");
  const auto outcome = supervise(config_.string());
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_EQ(read("seen-path"), config_.string() + "\n");
  // stderr: the same log as stdout on a real system.
  EXPECT_NE(outcome.err.find("cannot merge"), std::string::npos) << outcome.err;
}

TEST_P(DockerSuperviseDropIns, WithoutDropInsDockerdReadsTheConfig) {
  const auto outcome = supervise(config_.string());
  EXPECT_EQ(outcome.status, 0) << outcome.out << outcome.err;
  EXPECT_EQ(read("seen-path"), config_.string() + "\n");
  EXPECT_FALSE(fs::exists(root_.path() / "run/berth/docker/daemon.json"));
}

INSTANTIATE_TEST_SUITE_P(Shells, DockerSuperviseDropIns, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

INSTANTIATE_TEST_SUITE_P(Shells, DockerSupervise, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::engine_docker
