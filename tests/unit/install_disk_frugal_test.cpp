// install-disk's `berth install --frugal` on the target: the argument and safety checks
// that come before anything is written. Under busybox sh and dash; the writing itself is
// the VM tests' (frugal_vm_test.cpp).
#include <gtest/gtest.h>

#include <fstream>

#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::install_disk {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kSource = BERTH_SOURCE_DIR;
const fs::path kInstallLib = kSource / "plugins/install-disk/files/rootfs/usr/lib/berth";
const fs::path kPersistLib = kSource / "plugins/persist-disk/files/rootfs/usr/lib/berth";
const fs::path kBaseLib = kSource / "plugins/fs-squashfs/files/both/usr/lib/berth";

// `berth install --frugal`: what is refused before anything is written.
class FrugalInstall : public ::testing::TestWithParam<std::string> {
 protected:
  ScriptOutcome install(const std::vector<std::string>& args) {
    const fs::path lib = temp_.path() / "usr/lib/berth";
    if (!fs::exists(lib)) {
      fs::create_directories(lib);
      for (const auto& file :
           {kBaseLib / "lib.sh", kPersistLib / "persist.sh", kPersistLib / "disk.sh",
            kInstallLib / "disk-boot.sh", kInstallLib / "install-frugal.sh"}) {
        fs::create_symlink(file, lib / file.filename());
      }
    }
    std::vector<std::string> argv = test::shell_command(GetParam());
    // Through `berth install`, as a user runs it.
    argv.push_back((kInstallLib / "commands/install").string());
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_script(argv, {"BERTH_TEST_ROOT=" + temp_.path().string()});
  }

  void expect_refused(const std::vector<std::string>& args, const std::string& message) {
    const auto r = install(args);
    EXPECT_NE(r.status, 0) << message;
    EXPECT_NE(r.err.find("berth install: " + message), std::string::npos) << r.err;
    // One line, naming the culprit.
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }

  TempDir temp_;
};

TEST_P(FrugalInstall, HelpDescribesTheCommand) {
  const auto r = install({"--frugal", "--help"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("berth install --frugal PARTITION[:DIR]", 0), 0U) << r.out;
  EXPECT_NE(r.out.find("--data-size SIZE"), std::string::npos);
}

TEST_P(FrugalInstall, ArgumentsAreCheckedBeforeAnyDisk) {
  expect_refused({"--frugal"}, "where? e.g. 'berth install --frugal /dev/sda2:/berth'");
  expect_refused({"--frugal", "sda2"}, "sda2: not a device like /dev/sda2");
  expect_refused({"--frugal", "/dev/sda2:berth"}, "berth: DIR must be an absolute path");
  expect_refused({"--frugal", "/dev/sda2:/a/../b"}, "/a/../b: DIR must be a directory below /");
  expect_refused({"--frugal", "/dev/sda2:/my dir"}, "/my dir: DIR must be a directory below /");
  expect_refused({"--frugal", "/dev/sda2:/"}, "/: DIR must be a directory below /");
  expect_refused({"--frugal", "/dev/sda2", "--data-size", "2X"},
                 "--data-size 2X: not a size like 512M or 4G");
  expect_refused({"--frugal", "/dev/sda2", "--data-size", "16M"},
                 "--data-size 16M: data.img needs at least 64 MiB");
  expect_refused({"--frugal", "/dev/sda2", "--key-file", "/etc/hostname"},
                 "--key-file goes with --encrypt");
  expect_refused({"--frugal", "/dev/sda2", "--bogus"}, "unknown option --bogus");
  expect_refused({"--frugal", "/dev/sda2", "/dev/sdb1"}, "one target at a time");
}

TEST_P(FrugalInstall, TheMediumAndThePartitionMustBeUsable) {
  const fs::path medium = temp_.path() / "medium";
  fs::create_directories(medium / "berth/boot");
  std::ofstream(medium / "berth/boot/vmlinuz") << "kernel";
  expect_refused({"--frugal", "/dev/sdz9:/berth", "--from", medium.string()},
                 medium.string() + " has no berth/boot/initrd.img");
  for (const char* file : {"initrd.img", "disk/bios-boot.img", "disk/bios-core.img",
                           "disk/bootx64.efi", "disk/linux-params"}) {
    fs::create_directories((medium / "berth/boot" / file).parent_path());
    std::ofstream(medium / "berth/boot" / file) << "x";
  }
  expect_refused({"--frugal", "/dev/null:/berth", "--from", medium.string()},
                 "/dev/null: no such block device");
}

INSTANTIATE_TEST_SUITE_P(Shells, FrugalInstall, ::testing::ValuesIn(test::available_shells()));

}  // namespace
}  // namespace berth::install_disk
