// persist-disk: the initramfs hook's decisions (which volume, fsck outcomes, RAM-only
// fallbacks, berth.persist=full), persist.conf parsing, the `berth data` argument checks,
// and the plugin's refusal of a rootfs without the programs its scripts run. The scripts
// run under busybox sh and dash with the system around them (blkid, e2fsck, mount)
// replaced by shell functions that read a fake device table.
#include <gtest/gtest.h>

#include <fstream>

#include "early_hook_prelude.hpp"
#include "fake_block_devices.hpp"
#include "install_files.hpp"
#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::persist_disk {
namespace {

namespace fs = std::filesystem;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kFiles = fs::path(BERTH_SOURCE_DIR) / "plugins/persist-disk/files";
const fs::path kEarlyHook = kFiles / "initramfs/usr/lib/berth/early.d/40-persist";
const fs::path kLibrary = kFiles / "rootfs/usr/lib/berth/persist.sh";
const fs::path kDataCommand = kFiles / "rootfs/usr/lib/berth/commands/data";

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The parts of /init the hook uses, as stubs. Devices: $FAKE_DEVICES lines of
// "DEVICE TYPE LABEL"; e2fsck exits with $FAKE_FSCK; mount records its arguments.
const std::string kInitStubs = test::early_hook_prelude() + test::fake_blkid() + R"(
[ -z "${FAKE_CRYPT_ENV:-}" ] || echo "$FAKE_CRYPT_ENV" >"$BERTH_RUN/crypt.env"
BERTH_UPPER=
BERTH_UPPER_FSTYPE=
BERTH_UPPER_OPTIONS=rw,noatime
mount() { echo "mount $*" >>"$WORK/mounts"; }
berth_base_exec() {
  [ "$1" = -t ] && shift 2
  case $1 in
    e2fsck)
      printf '%s\n' "${FAKE_FSCK_OUTPUT:-}"
      return "$FAKE_FSCK"
      ;;
    blkid)
      shift
      fake_blkid "$@" || :
      ;;
  esac
  return 0
}
)";

struct HookResult {
  ScriptOutcome outcome;
  std::string env;     // persist.env
  std::string mounts;  // what mount was asked to do
};

HookResult run_hook(const std::string& shell, const std::vector<std::string>& env) {
  TempDir work;
  const fs::path driver =
      work.write("driver.sh", std::string(kInitStubs) + ". '" + kEarlyHook.string() +
                                  "'\necho \"upper=$BERTH_UPPER options=$BERTH_UPPER_OPTIONS\"\n");
  std::vector<std::string> argv = test::shell_command(shell);
  argv.push_back(driver.string());
  std::vector<std::string> full_env = {"WORK=" + work.path().string(), "FAKE_FSCK=0",
                                       "FAKE_DEVICES="};
  full_env.insert(full_env.end(), env.begin(), env.end());
  HookResult result;
  result.outcome = test::run_script(argv, full_env);
  result.env = read_file(work.path() / "run/persist.env");
  result.mounts = read_file(work.path() / "mounts");
  return result;
}

class EarlyHook : public ::testing::TestWithParam<std::string> {};

TEST_P(EarlyHook, DataNoneLooksAtNoDisk) {
  const auto r = run_hook(GetParam(), {"PARAM_data=none", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_EQ(r.outcome.status, 0) << r.outcome.err;
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='off'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_DATA_REASON='berth.data=none'"), std::string::npos) << r.env;
  EXPECT_EQ(r.mounts, "");
}

TEST_P(EarlyHook, FindsTheLabelChecksAndMounts) {
  const auto r =
      run_hook(GetParam(), {"FAKE_DEVICES=/dev/sr0 iso9660 BERTH\n/dev/vdb1 ext4 BERTH-DATA"});
  EXPECT_EQ(r.outcome.status, 0) << r.outcome.err;
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='on'"), std::string::npos) << r.env << r.outcome.out;
  EXPECT_NE(r.env.find("BERTH_DATA_DEVICE='/dev/vdb1'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_DATA_MODE='data'"), std::string::npos) << r.env;
  EXPECT_NE(r.mounts.find("-t ext4 -o rw,noatime /dev/vdb1 "), std::string::npos) << r.mounts;
  EXPECT_NE(r.outcome.out.find("upper= options=rw,noatime"), std::string::npos);
}

TEST_P(EarlyHook, NoVolumeMeansRamOnlyWithoutWaitingLong) {
  const auto r = run_hook(GetParam(), {"PARAM_wait=0", "FAKE_DEVICES=/dev/vda ext4 OTHER"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='off'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("no persistence: no LABEL=BERTH-DATA volume found"),
            std::string::npos)
      << r.outcome.out;
  EXPECT_EQ(r.mounts, "");
}

TEST_P(EarlyHook, AfterTheUnlockHookLookedForDisksOneLookIsEnough) {
  const auto r = run_hook(
      GetParam(), {"FAKE_DEVICES=/dev/vda ext4 OTHER", "FAKE_CRYPT_ENV=BERTH_CRYPT_STATE='none'"});
  EXPECT_NE(r.outcome.out.find("no LABEL=BERTH-DATA volume found (looked for 0s)"),
            std::string::npos)
      << r.outcome.out;
  // Alone, on a machine with a USB host: a short look, a USB disk may still come.
  TempDir usb_host;
  usb_host.write("sys/bus/usb/devices/usb1/bDeviceClass", "09\n");
  const auto alone = run_hook(GetParam(), {"BERTH_TEST_ROOT=" + usb_host.path().string(),
                                           "FAKE_DEVICES=/dev/vda ext4 OTHER"});
  EXPECT_NE(alone.outcome.out.find("(looked for 2s)"), std::string::npos) << alone.outcome.out;
  // Without USB or MMC hosts every disk is there at the first look.
  TempDir no_late_buses;
  const auto bare = run_hook(GetParam(), {"BERTH_TEST_ROOT=" + no_late_buses.path().string(),
                                          "FAKE_DEVICES=/dev/vda ext4 OTHER"});
  EXPECT_NE(bare.outcome.out.find("(looked for 0s)"), std::string::npos) << bare.outcome.out;
}

TEST_P(EarlyHook, AUsbStickStillBeingSetUpIsWaitedForOnlyOnce) {
  // A USB mass-storage interface (class 08) whose disk is not there yet.
  TempDir root;
  root.write("sys/bus/usb/devices/1-1:1.0/bInterfaceClass", "08\n");
  const std::string usb = "BERTH_TEST_ROOT=" + root.path().string();
  const auto after_unlock = run_hook(GetParam(), {usb, "FAKE_DEVICES=/dev/sda1 iso9660 BERTH",
                                                  "FAKE_CRYPT_ENV=BERTH_CRYPT_STATE='none'"});
  EXPECT_NE(after_unlock.outcome.out.find("(looked for 0s)"), std::string::npos)
      << after_unlock.outcome.out;
  const auto alone = run_hook(GetParam(), {usb, "FAKE_DEVICES=/dev/sda1 iso9660 BERTH"});
  EXPECT_NE(alone.outcome.out.find("(looked for 10s)"), std::string::npos) << alone.outcome.out;
}

TEST_P(EarlyHook, InterruptedInstallIsReportedAndNeverMounted) {
  const auto r =
      run_hook(GetParam(), {"PARAM_wait=0", "FAKE_DEVICES=/dev/vda3 ext4 BERTH-INSTALLING"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='off'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("/dev/vda3 holds an interrupted Berth install"), std::string::npos)
      << r.outcome.out;
  EXPECT_EQ(r.mounts, "");
}

TEST_P(EarlyHook, TwoVolumesWithTheLabelAreRefused) {
  const auto r =
      run_hook(GetParam(), {"FAKE_DEVICES=/dev/vda ext4 BERTH-DATA\n/dev/vdb ext4 BERTH-DATA"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='failed'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("2 volumes match LABEL=BERTH-DATA (/dev/vda /dev/vdb)"),
            std::string::npos)
      << r.outcome.out;
  EXPECT_EQ(r.mounts, "");
}

TEST_P(EarlyHook, ALuksContainerWithTheLabelIsLeftToTheUnlockHook) {
  const auto r =
      run_hook(GetParam(), {"PARAM_wait=0", "FAKE_DEVICES=/dev/vda crypto_LUKS BERTH-DATA"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='off'"), std::string::npos) << r.env;
  EXPECT_EQ(r.mounts, "");
}

TEST_P(EarlyHook, AVolumeNeedingManualRepairIsNotMounted) {
  const auto r = run_hook(GetParam(), {"FAKE_FSCK=4", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='failed'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("needs a manual repair"), std::string::npos) << r.outcome.out;
  EXPECT_NE(r.outcome.out.find("run: e2fsck -f /dev/vda; running without persistence"),
            std::string::npos)
      << r.outcome.out;
  EXPECT_EQ(r.mounts, "");
}

TEST_P(EarlyHook, ARepairedVolumeIsMountedAndSaidSo) {
  const auto r = run_hook(GetParam(), {"FAKE_FSCK=1", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='on'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("repaired the filesystem on the data volume /dev/vda"),
            std::string::npos);
}

TEST_P(EarlyHook, AReplayedJournalIsReported) {
  const auto r = run_hook(GetParam(), {"FAKE_FSCK_OUTPUT=BERTH-DATA: recovering journal",
                                       "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='on'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("replayed the journal of the data volume /dev/vda"),
            std::string::npos)
      << r.outcome.out;
  const auto clean = run_hook(GetParam(), {"FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_EQ(clean.outcome.out.find("replayed"), std::string::npos);
}

TEST_P(EarlyHook, AFsckThatRunsOutOfTimeLeavesTheVolumeAlone) {
  const auto r = run_hook(GetParam(), {"FAKE_FSCK=124", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_NE(r.env.find("BERTH_DATA_STATE='failed'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("took over 300s"), std::string::npos) << r.outcome.out;
  EXPECT_EQ(r.mounts, "");
}

TEST_P(EarlyHook, ANamedVolumeIsFoundByUuidAndANonDeviceIsNot) {
  const auto r =
      run_hook(GetParam(), {"PARAM_data=UUID=1234", "FAKE_DEVICES=/dev/vda ext4 X 1234"});
  EXPECT_NE(r.env.find("BERTH_DATA_DEVICE='/dev/vda'"), std::string::npos) << r.env;
  const auto null = run_hook(GetParam(), {"PARAM_data=/dev/null", "PARAM_wait=1"});
  // /dev/null is no block device: nothing found.
  EXPECT_NE(null.env.find("BERTH_DATA_STATE='off'"), std::string::npos) << null.env;
}

TEST_P(EarlyHook, BadParametersAreNamed) {
  const auto spec = run_hook(GetParam(), {"PARAM_data=sdb1"});
  EXPECT_NE(spec.env.find("BERTH_DATA_STATE='failed'"), std::string::npos);
  EXPECT_NE(
      spec.outcome.out.find("berth.data=sdb1 is not LABEL=, UUID=, PARTUUID=, a /dev path or none"),
      std::string::npos)
      << spec.outcome.out;
  const auto mode =
      run_hook(GetParam(), {"PARAM_persist=everything", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_NE(mode.outcome.out.find("berth.persist=everything is not data or full; using data"),
            std::string::npos);
  EXPECT_NE(mode.env.find("BERTH_DATA_MODE='data'"), std::string::npos);
  const auto wait =
      run_hook(GetParam(), {"PARAM_wait=soon", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_NE(wait.outcome.out.find("berth.wait=soon is not a number of seconds"), std::string::npos);
}

TEST_P(EarlyHook, FullPersistencePutsTheWritableLayerOnTheVolume) {
  const auto r =
      run_hook(GetParam(), {"PARAM_persist=full", "FAKE_DEVICES=/dev/vda ext4 BERTH-DATA"});
  EXPECT_NE(r.env.find("BERTH_DATA_MODE='full'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("/run/data/overlay options=bind"), std::string::npos)
      << r.outcome.out;
}

INSTANTIATE_TEST_SUITE_P(Shells, EarlyHook, ::testing::ValuesIn(test::available_shells()));

class PersistConf : public ::testing::TestWithParam<std::string> {};

TEST_P(PersistConf, ListsUsablePathsAndNamesTheBadLines) {
  TempDir work;
  const fs::path conf = work.write("persist.conf",
                                   "# extra paths\n"
                                   "/etc/ssh\n"
                                   "  /opt/tools/   # trailing slash and blanks\n"
                                   "\n"
                                   "relative/path\n"
                                   "/proc/sys\n"
                                   "/var/lib/docker/volumes\n"
                                   "/etc/../root\n"
                                   "/srv/my data\n"
                                   "/\n"
                                   "/var\n"
                                   "/var/lib/\n"
                                   "/var/run/docker\n");
  std::vector<std::string> argv = test::shell_command(GetParam());
  argv.insert(argv.end(), {"-c", ". '" + kLibrary.string() + "' && persist_conf_paths \"$1\"", "sh",
                           conf.string()});
  const auto r = test::run_script(argv);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "/etc/ssh\n/opt/tools\n/srv/my data\n");
  const std::string where = conf.string() + ":";
  EXPECT_NE(r.err.find(where + "5: not an absolute path; skipped"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(where + "6: /proc/sys cannot be persisted"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(where + "7: /var/lib/docker/volumes is persisted anyway"),
            std::string::npos);
  EXPECT_NE(r.err.find(where + "8: not a plain path"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(where + "10: / cannot be persisted"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(where + "11: /var holds /var/lib/docker and /var/lib/berth"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(where + "12: /var/lib holds /var/lib/docker"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(where + "13: /var/run/docker is in /run, which cannot be persisted"),
            std::string::npos)
      << r.err;
}

INSTANTIATE_TEST_SUITE_P(Shells, PersistConf, ::testing::ValuesIn(test::available_shells()));

class DataCommand : public ::testing::TestWithParam<std::string> {
 protected:
  ScriptOutcome data(const std::vector<std::string>& args) {
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.push_back(kDataCommand.string());
    argv.insert(argv.end(), args.begin(), args.end());
    install_libraries();
    return test::run_script(argv, {"BERTH_TEST_ROOT=" + root_.path().string()});
  }
  // The library directory of an image: persist-disk's libraries and the base's lib.sh.
  void install_libraries() {
    const fs::path lib = root_.path() / "usr/lib/berth";
    if (fs::exists(lib)) return;
    fs::create_directories(lib);
    for (const char* name : {"persist.sh", "disk.sh"}) {
      fs::create_symlink(kLibrary.parent_path() / name, lib / name);
    }
    fs::create_symlink(
        fs::path(BERTH_SOURCE_DIR) / "plugins/fs-squashfs/files/both/usr/lib/berth/lib.sh",
        lib / "lib.sh");
  }
  TempDir root_;
};

TEST_P(DataCommand, BadArgumentsGetOneLineAndNoWrite) {
  const auto none = data({"prepare"});
  EXPECT_EQ(none.status, 1);
  EXPECT_EQ(none.err,
            "berth data: which disk? e.g. 'berth data prepare /dev/sdb' ('berth data disks' lists "
            "them)\n");
  const auto option = data({"prepare", "/dev/sdb", "--fast"});
  EXPECT_EQ(option.status, 1);
  EXPECT_EQ(option.err, "berth data: unknown option --fast (see 'berth data --help')\n");
  const auto two = data({"prepare", "/dev/sdb", "/dev/sdc"});
  EXPECT_EQ(two.err, "berth data: one disk at a time (/dev/sdb and /dev/sdc given)\n");
  const auto missing = data({"prepare", "/dev/berth-no-such-disk", "--yes"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "berth data: /dev/berth-no-such-disk: no such disk\n");
  const auto sneaky = data({"prepare", "../etc/passwd"});
  EXPECT_EQ(sneaky.err, "berth data: ../etc/passwd: not a disk name like /dev/sdb\n");
  const auto sub = data({"format"});
  EXPECT_EQ(sub.status, 1);
  EXPECT_NE(sub.err.find("unknown subcommand 'format'"), std::string::npos);
}

TEST_P(DataCommand, StatusSaysRamOnlyWithTheReason) {
  root_.write("run/berth/persist.env",
              "BERTH_DATA_STATE='off'\nBERTH_DATA_REASON='berth.data=none'\n");
  const auto r = data({});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("data volume: none; everything is in RAM (berth.data=none)"),
            std::string::npos)
      << r.out;
}

TEST_P(DataCommand, HelpDescribesEverySubcommand) {
  const auto r = data({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* word :
       {"berth data disks", "berth data prepare DISK", "--force", "--yes", "--no-move"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word << "\n" << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(Shells, DataCommand, ::testing::ValuesIn(test::available_shells()));

TEST(PersistDiskPlugin, NamesThePackageOfAMissingProgram) {
  TempDir root;
  for (const auto& program : required_programs()) root.write(program.path.substr(1), "");
  EXPECT_EQ(first_missing_program(root.path()), nullptr);

  // busybox's tar applet is not GNU tar.
  fs::remove(root.path() / "usr/bin/tar");
  fs::create_symlink("/usr/bin/busybox", root.path() / "usr/bin/tar");
  const RequiredProgram* missing = first_missing_program(root.path());
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->path, "/usr/bin/tar");
  EXPECT_EQ(missing->package, "tar");

  fs::remove(root.path() / "usr/sbin/e2fsck");
  EXPECT_EQ(first_missing_program(root.path())->package, "e2fsprogs");
}

}  // namespace
}  // namespace berth::persist_disk
