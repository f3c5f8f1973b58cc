// install-disk's `berth install` on the target: the argument checks that come before any
// disk is looked at, and the installed disk's boot files (disk-boot.sh): GRUB's
// environment block, the menu, and the kernel and initrd pair that install and upgrade
// write. Under busybox sh and dash. The writing to disks needs real disks: the VM tests
// (install_vm_test.cpp) do it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::install_disk {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;

const fs::path kSource = BERTH_SOURCE_DIR;
const fs::path kInstallLib = kSource / "plugins/install-disk/files/rootfs/usr/lib/berth";
const fs::path kPersistLib = kSource / "plugins/persist-disk/files/rootfs/usr/lib/berth";
const fs::path kBaseLib = kSource / "plugins/fs-squashfs/files/both/usr/lib/berth";

class InstallScripts : public ::testing::TestWithParam<std::string> {
 protected:
  // The library directory of an image with install-disk and persist-disk (and crypt-luks's
  // luks.sh when `with_luks`: the build refuses an image whose scripts source a missing
  // library, so without it only what comes before --encrypt's key is reached).
  fs::path library(bool with_luks = false) {
    const fs::path lib = temp_.path() / (with_luks ? "lib-luks" : "lib");
    fs::remove_all(lib);
    fs::create_directories(lib);
    for (const auto& file : {kBaseLib / "lib.sh", kPersistLib / "persist.sh",
                             kPersistLib / "disk.sh", kInstallLib / "disk-boot.sh"}) {
      fs::create_symlink(file, lib / file.filename());
    }
    if (with_luks) {
      std::ofstream(lib / "luks.sh") << "luks_required() { echo 'no cryptsetup' >&2; return 1; }\n";
    }
    return lib;
  }

  test::ScriptOutcome install(const std::vector<std::string>& args, bool with_luks = false) {
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.push_back((kInstallLib / "commands/install").string());
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_script(argv, {"BERTH_LIB=" + library(with_luks).string()});
  }

  test::ScriptOutcome library_call(const std::string& code) {
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.insert(argv.end(), {"-c", "set -eu; die() { echo \"die: $*\" >&2; exit 1; }; . '" +
                                       (kInstallLib / "disk-boot.sh").string() + "'; " + code});
    return test::run_script(argv);
  }

  TempDir temp_;
};

TEST_P(InstallScripts, WantsADisk) {
  const auto r = install({});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("berth install: which disk?"), std::string::npos) << r.err;
}

TEST_P(InstallScripts, UnknownOptionIsNamed) {
  const auto r = install({"--encrpyt", "/dev/sdz"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("unknown option --encrpyt"), std::string::npos) << r.err;
}

TEST_P(InstallScripts, KeyFileWithoutEncryptionIsRefused) {
  const auto r = install({"--key-file", "/etc/hostname", "/dev/sdz"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("--key-file goes with --encrypt"), std::string::npos) << r.err;
}

TEST_P(InstallScripts, MissingKeyFileIsNamed) {
  const auto r = install({"--encrypt", "--key-file", "/nonexistent/key", "/dev/sdz"}, true);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("/nonexistent/key: no such key file"), std::string::npos) << r.err;
}

TEST_P(InstallScripts, RecoveryKeyFileIsCheckedAndNeedsEncryption) {
  const auto plain = install({"--recovery-key-file", "/etc/hostname", "/dev/sdz"});
  EXPECT_NE(plain.status, 0);
  EXPECT_NE(plain.err.find("--recovery goes with --encrypt"), std::string::npos) << plain.err;
  const auto missing =
      install({"--encrypt", "--recovery-key-file", "/nonexistent/recovery", "/dev/sdz"}, true);
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("/nonexistent/recovery: no such key file"), std::string::npos)
      << missing.err;
}

TEST_P(InstallScripts, EncryptionNeedsCryptsetup) {
  const auto without_tool = install({"--encrypt", "/dev/sdz"}, true);
  EXPECT_NE(without_tool.status, 0);
  EXPECT_NE(without_tool.err.find("no cryptsetup"), std::string::npos) << without_tool.err;
}

TEST_P(InstallScripts, MediumWithoutDiskImagesIsRefusedBeforeAnyDisk) {
  const fs::path medium = temp_.path() / "medium";
  fs::create_directories(medium / "berth/boot");
  std::ofstream(medium / "berth/boot/vmlinuz") << "kernel";
  const auto r = install({"--from", medium.string(), "/dev/sdz"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("has no berth/boot/initrd.img"), std::string::npos) << r.err;
}

TEST_P(InstallScripts, UpgradeWantsASourceAndAnInstalledDisk) {
  std::vector<std::string> argv = test::shell_command(GetParam());
  argv.push_back((kInstallLib / "commands/upgrade").string());
  const auto none = test::run_script(argv, {"BERTH_LIB=" + kInstallLib.string()});
  EXPECT_NE(none.status, 0);
  EXPECT_NE(none.err.find("berth upgrade: upgrade from what?"), std::string::npos) << none.err;
  argv.push_back("/nonexistent.iso");
  const auto live = test::run_script(argv, {"BERTH_LIB=" + kInstallLib.string()});
  EXPECT_NE(live.status, 0);
  // This host did not boot from an installed Berth disk.
  EXPECT_NE(live.err.find("not"), std::string::npos) << live.err;
  EXPECT_NE(live.err.find("berth install"), std::string::npos) << live.err;
}

TEST_P(InstallScripts, GrubEnvironmentValuesAreReadBack) {
  const fs::path env = temp_.path() / "grubenv";
  const auto r = library_call("diskboot_grubenv '" + env.string() +
                              "' berth_trial=reverted berth_default=berth-previous; "
                              "diskboot_env_get '" +
                              env.string() +
                              "' berth_trial; "
                              "diskboot_env_get '" +
                              env.string() +
                              "' berth_default; "
                              "diskboot_env_get '" +
                              env.string() + "' missing");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "reverted\nberth-previous\n");
}

TEST_P(InstallScripts, GrubEnvironmentBlockIsExactly1024Bytes) {
  const fs::path env = temp_.path() / "grubenv";
  const auto r =
      library_call("diskboot_grubenv '" + env.string() + "' berth_trial=1 berth_default=berth");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string block = read_file(env);
  ASSERT_EQ(block.size(), 1024U);
  EXPECT_EQ(block.rfind("# GRUB Environment Block\nberth_trial=1\nberth_default=berth\n###", 0),
            0U);
  EXPECT_EQ(block.back(), '#');
}

TEST_P(InstallScripts, MenuBootsTheDataVolumeAndOffersThePreviousPair) {
  const auto r = library_call(
      "diskboot_menu install-1234 berth.data=PARTUUID=abcd 'console=tty0 console=ttyS0,115200' 5");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(
      r.out.find("linux /berth/boot/vmlinuz berth.medium=install-1234 "
                 "berth.data=PARTUUID=abcd console=tty0 console=ttyS0,115200 ${berth_trial_arg}"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("linux /berth/boot/previous/vmlinuz berth.medium=install-1234"),
            std::string::npos);
  EXPECT_NE(r.out.find("berth.medium=install-1234 berth.data=none console=tty0"),
            std::string::npos);
  // An upgrade on trial gets one boot, which restarts the machine on failure; the second
  // falls back for good.
  EXPECT_NE(r.out.find("set berth_default=berth-previous"), std::string::npos);
  EXPECT_NE(r.out.find("set berth_onfail_arg=berth.onfail=reboot"), std::string::npos);
  EXPECT_NE(r.out.find("${berth_trial_arg} ${berth_panic_arg} ${berth_onfail_arg}"),
            std::string::npos);
  EXPECT_NE(r.out.find("set timeout=5\n"), std::string::npos);
}

// `berth install` and `berth upgrade` put a medium's kernel and initrd on the ESP the same
// way: the installed pair becomes the previous one, and a copy that fails leaves it booting.
TEST_P(InstallScripts, APairGoesInWholeAndTheInstalledOneBecomesThePrevious) {
  const auto medium = [&](const std::string& name) {
    temp_.write(name + "/berth/boot/vmlinuz", "kernel " + name);
    temp_.write(name + "/berth/boot/initrd.img", "initrd " + name);
    return "'" + (temp_.path() / name).string() + "'";
  };
  const fs::path boot = temp_.path() / "esp/berth/boot";
  fs::create_directories(boot);
  const std::string to = " '" + boot.string() + "'";
  const auto read = [&](const std::string& name) { return read_file(boot / name); };

  auto r = library_call("diskboot_pair_bytes " + medium("one") + "; diskboot_install_pair " +
                        medium("one") + to);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "20\n");  // "kernel one" and "initrd one"
  EXPECT_EQ(read("vmlinuz"), "kernel one");
  EXPECT_EQ(read("initrd.img"), "initrd one");
  EXPECT_FALSE(fs::exists(boot / "previous"));

  ASSERT_EQ(library_call("diskboot_install_pair " + medium("two") + to).status, 0);
  r = library_call("diskboot_install_pair " + medium("three") + to);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read("vmlinuz"), "kernel three");
  EXPECT_EQ(read("initrd.img"), "initrd three");
  EXPECT_EQ(read("previous/vmlinuz"), "kernel two");
  EXPECT_EQ(read("previous/initrd.img"), "initrd two");
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(boot)) {
    names.push_back(fs::relative(entry.path(), boot).string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"initrd.img", "previous", "previous/initrd.img",
                                             "previous/vmlinuz", "vmlinuz"}));

  // A medium whose initrd cannot be read: refused, the installed pair still boots.
  temp_.write("broken/berth/boot/vmlinuz", "kernel broken");
  r = library_call("diskboot_install_pair '" + (temp_.path() / "broken").string() + "'" + to);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("die: cannot copy"), std::string::npos) << r.err;
  EXPECT_EQ(read("vmlinuz"), "kernel three");
  EXPECT_EQ(read("initrd.img"), "initrd three");
}

INSTANTIATE_TEST_SUITE_P(Shells, InstallScripts, ::testing::ValuesIn(test::available_shells()));

}  // namespace
}  // namespace berth::install_disk
