// engine-docker's rc.d/05-engine-readahead, run under busybox sh and dash with `nice` and
// `cat` stand-ins that record what is read: each file of the engine once, in the
// background, and nothing for a program the image does not have.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "script_root_test.hpp"

namespace berth::engine_docker {
namespace {

namespace fs = std::filesystem;

const fs::path kScript =
    test::plugin_files("engine-docker") / "rootfs/etc/berth/rc.d/05-engine-readahead";

class EngineReadahead : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    // nice -n N PROGRAM...: runs PROGRAM, as nice does, after saying with which priority.
    script("bin/nice",
           "[ \"$1\" = -n ] || exit 64\necho \"nice $2\" >>\"$BERTH_TEST_ROOT/log\"\n"
           "shift 2\nexec \"$@\"\n");
    script("bin/cat", "echo \"read ${1#\"$BERTH_TEST_ROOT\"/}\" >>\"$BERTH_TEST_ROOT/log\"\n");
  }

  void script(const std::string& name, const std::string& body) {
    const fs::path file = root_.write(name, "#!/bin/sh\n" + body);
    fs::permissions(file, fs::perms(0755));
  }

  test::ScriptOutcome start() {
    const char* path = std::getenv("PATH");
    return run_in_root({kScript.string(), "start"}, 60,
                       {"PATH=" + (root_.path() / "bin").string() + ":" + (path ? path : "")});
  }

  // The log once it has `lines` lines (the reads run in the background), or after 10 s.
  std::string log(int lines) {
    for (int waited = 0; waited < 100; ++waited) {
      if (exists("log")) {
        const std::string text = read("log");
        if (std::count(text.begin(), text.end(), '\n') >= lines) return text;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return exists("log") ? read("log") : "";
  }
};

TEST_P(EngineReadahead, TheMulticallEngineIsReadOnceAtTheLowestPriority) {
  root_.write("usr/bin/containerd", "engine");
  fs::create_directories(path("usr/sbin"));
  fs::create_hard_link(path("usr/bin/containerd"), path("usr/sbin/dockerd"));
  EXPECT_EQ(start().status, 0);
  EXPECT_EQ(log(2), "nice 19\nread usr/sbin/dockerd\n");
}

TEST_P(EngineReadahead, DebiansTwoProgramsAreBothRead) {
  root_.write("usr/sbin/dockerd", "dockerd");
  root_.write("usr/bin/containerd", "containerd");
  EXPECT_EQ(start().status, 0);
  const std::string got = log(4);
  EXPECT_NE(got.find("read usr/sbin/dockerd\n"), std::string::npos) << got;
  EXPECT_NE(got.find("read usr/bin/containerd\n"), std::string::npos) << got;
}

TEST_P(EngineReadahead, AnImageWithoutTheEngineReadsNothing) {
  const auto outcome = start();
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(exists("log"));
}

INSTANTIATE_TEST_SUITE_P(Shells, EngineReadahead, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace berth::engine_docker
