// engine-docker's lines in `berth status` (/usr/lib/berth/status.d/70-docker), run under
// busybox sh and dash with a fake docker CLI and a fake 70-docker service.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::engine_docker {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;

const fs::path kScript =
    test::plugin_files("engine-docker") / "rootfs/usr/lib/berth/status.d/70-docker";

class DockerStatus : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    fs::create_directories(root_.path() / "run/berth");
    fs::create_directories(data_root());
    service("exit 3");  // stopped
    // `docker info --format F`: the fields F asks for, as a running dockerd gives them.
    script("bin/docker",
           "[ \"$1 $2\" = 'info --format' ] || exit 64\n"
           "printf '%s\\n' \"$3\" | sed -e 's|{{.DockerRootDir}}|" +
               data_root().string() +
               "|' -e 's/{{.Images}}/3/' -e 's/{{.ContainersRunning}}/1/' "
               "-e 's/{{.Containers}}/4/'\n");
  }

  fs::path data_root() const { return root_.path() / "docker data"; }

  void script(const std::string& name, const std::string& body) {
    const fs::path file = root_.write(name, "#!/bin/sh\n" + body);
    fs::permissions(file, fs::perms(0755));
  }

  // The service's `status`: exit 0 while dockerd runs or starts, 3 when stopped.
  void service(const std::string& body) { script("etc/berth/rc.d/70-docker", body + "\n"); }

  ScriptOutcome status() {
    const char* path = std::getenv("PATH");
    return run_in_root({kScript.string()}, 60,
                       {"PATH=" + (root_.path() / "bin").string() + ":" + (path ? path : "")});
  }
};

TEST_P(DockerStatus, RunningDockerWithItsDataImagesAndContainers) {
  root_.write("run/berth/docker.ready", "26.1.5\n");
  const auto outcome = status();
  EXPECT_EQ(outcome.status, 0);
  std::istringstream lines(outcome.out);
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) got.push_back(line);
  ASSERT_EQ(got.size(), 4u) << outcome.out;
  EXPECT_EQ(got[0], "docker: running 26.1.5");
  // The path has a blank in it; type and free space come from df.
  const std::string data = "docker data: " + data_root().string() + " (";
  EXPECT_EQ(got[1].rfind(data, 0), 0) << got[1];
  EXPECT_EQ(got[1].substr(got[1].size() - 6), " free)") << got[1];
  EXPECT_EQ(got[2], "docker images: 3");
  EXPECT_EQ(got[3], "docker containers: 1 running, 4 in all");
}

TEST_P(DockerStatus, StartingAndStoppedComeFromTheService) {
  service("[ \"$1\" = status ] && exit 0\nexit 2");
  EXPECT_EQ(status().out, "docker: starting (log: /var/log/docker.log)\n");
  service("[ \"$1\" = status ] && exit 3\nexit 2");
  const auto stopped = status();
  EXPECT_EQ(stopped.status, 0);
  EXPECT_EQ(stopped.out, "docker: stopped (log: /var/log/docker.log; start it with " +
                             (root_.path() / "etc/berth/rc.d/70-docker").string() + " start)\n");
}

TEST_P(DockerStatus, DockerInfoThatDoesNotAnswerIsSaidSo) {
  root_.write("run/berth/docker.ready", "26.1.5\n");
  // What a CLI that cannot reach dockerd prints: the template with empty values.
  script("bin/docker", "printf '\\t0\\t0\\t\\n'\nexit 1\n");
  const auto outcome = status();
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out,
            "docker: running 26.1.5\n"
            "docker info: no answer (log: /var/log/docker.log)\n");
}

INSTANTIATE_TEST_SUITE_P(Shells, DockerStatus, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

TEST(DockerStatusScript, IsExecutable) {
  EXPECT_EQ(::access(kScript.c_str(), X_OK), 0);
}

}  // namespace
}  // namespace berth::engine_docker
