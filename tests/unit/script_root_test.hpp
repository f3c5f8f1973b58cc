// What every unit test of on-target shell scripts starts from: one test per shell (busybox
// sh, the target's, and dash, the POSIX reference; skipped where the host lacks one), a
// temporary root the scripts see as $BERTH_TEST_ROOT with the on-target libraries they
// source installed in it, and a run bounded in time.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::test {

// What plugin `name` ships into the image (its files/ directory in this checkout).
inline fs::path plugin_files(const std::string& name) {
  return fs::path(BERTH_SOURCE_DIR) / "plugins" / name / "files";
}

// The on-target libraries scripts source from /usr/lib/berth/.
inline fs::path cmdline_sh() {
  return plugin_files("fs-squashfs") / "both/usr/lib/berth/cmdline.sh";
}
inline fs::path lib_sh() {
  return plugin_files("fs-squashfs") / "both/usr/lib/berth/lib.sh";
}
inline fs::path boot_log_sh() {
  return plugin_files("init-busybox") / "rootfs/usr/lib/berth/boot-log.sh";
}

class ScriptRootTest : public ::testing::TestWithParam<std::string> {
 protected:
  // A fixture's own SetUp calls this first and returns when IsSkipped().
  void SetUp() override {
    shell_ = shell_command(GetParam());
    if (shell_.empty()) GTEST_SKIP() << GetParam() << " is not installed";
  }

  // `file` into the root's /usr/lib/berth/, where the scripts source it.
  void install_library(const fs::path& file) const {
    const fs::path lib = root_.path() / "usr/lib/berth";
    fs::create_directories(lib);
    fs::copy_file(file, lib / file.filename(), fs::copy_options::overwrite_existing);
  }
  void cmdline(const std::string& text) const { root_.write("proc/cmdline", text + "\n"); }

  // The shell on `args` (a script and its arguments), killed after `seconds`; `env` adds
  // NAME=value settings to BERTH_TEST_ROOT.
  ScriptOutcome run_in_root(const std::vector<std::string>& args, int seconds = 60,
                            std::vector<std::string> env = {}) const {
    std::vector<std::string> argv = {"timeout", std::to_string(seconds)};
    argv.insert(argv.end(), shell_.begin(), shell_.end());
    argv.insert(argv.end(), args.begin(), args.end());
    env.push_back("BERTH_TEST_ROOT=" + root_.path().string());
    return run_script(argv, env);
  }

  fs::path path(const std::string& name) const { return root_.path() / name; }
  bool exists(const std::string& name) const { return fs::exists(path(name)); }
  std::string read(const std::string& name) const { return root_.read(name); }

  std::vector<std::string> shell_;
  TempDir root_;
};

}  // namespace berth::test
