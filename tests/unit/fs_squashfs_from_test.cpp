// The base's frugal and ISO-file boot (fs-squashfs): the initramfs hook early.d/20-from
// (berth.from=, berth.iso=: which filesystem, which data file, RAM-only fallbacks), and
// rc.d/12-medium with the hook's from.env (the medium is the directory or the ISO file;
// at shutdown the data file and the host filesystem are released in order). Under
// busybox sh and dash, with mount, losetup, blkid and the like replaced by fakes that
// only log.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "early_hook_prelude.hpp"
#include "fake_block_devices.hpp"
#include "shell_runner.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::ScriptOutcome;
using test::TempDir;

const fs::path kSource = BERTH_SOURCE_DIR;
const fs::path kFiles = kSource / "plugins/fs-squashfs/files";
const fs::path kHook = kFiles / "initramfs/usr/lib/berth/early.d/20-from";
const fs::path kParams = kFiles / "initramfs/usr/lib/berth/params.d/fs-squashfs";
const fs::path kService = kFiles / "rootfs/etc/berth/rc.d/12-medium";
const fs::path kMediumSh = kFiles / "rootfs/usr/lib/berth/medium.sh";
const fs::path kCmdlineSh = kFiles / "both/usr/lib/berth/cmdline.sh";

// The parts of /init the hook uses, as stubs, with the disks of fake_block_devices.hpp: every
// mount, umount and losetup call is logged in $WORK/log.
const std::string kInitStubs =
    test::early_hook_prelude() + test::fake_blkid() + test::fake_mount() + R"sh(
FAKE_LOG=$WORK/log
berth_base_exec() {
  [ "$1" = blkid ] || return 127
  shift
  fake_blkid "$@"
}
umount() {
  echo "umount ${1#"$WORK"}" >>"$WORK/log"
  find "$1" -mindepth 1 -delete
}
losetup() {
  echo "losetup $*" >>"$WORK/log"
  [ "$*" != -f ] || echo /dev/loop7
}
)sh";

struct HookResult {
  ScriptOutcome outcome;
  std::string env;  // from.env
  std::string log;  // the fake tools' calls
};

class FromHook : public ::testing::TestWithParam<std::string> {
 protected:
  // A filesystem on /dev/NAME holding `files` (paths, created empty).
  void disk(const std::string& name, const std::vector<std::string>& files) {
    fs::create_directories(work_.path() / "fs" / name);
    for (const auto& file : files) work_.write("fs/" + name + "/" + file, "x");
  }

  void block(const std::string& name) {
    fs::create_directories(work_.path() / "sys/class/block" / name);
  }

  HookResult run(const std::vector<std::string>& env) {
    const fs::path driver =
        work_.write("driver.sh", std::string(kInitStubs) + ". '" + kHook.string() + "'\n");
    std::vector<std::string> argv = test::shell_command(GetParam());
    argv.push_back(driver.string());
    std::vector<std::string> full_env = {"WORK=" + work_.path().string(),
                                         "BERTH_TEST_ROOT=" + work_.path().string(),
                                         "FAKE_DEVICES="};
    full_env.insert(full_env.end(), env.begin(), env.end());
    HookResult result;
    result.outcome = test::run_script(argv, full_env);
    result.env = read_file(work_.path() / "run/from.env");
    result.log = read_file(work_.path() / "log");
    return result;
  }

  TempDir work_;
};

TEST_P(FromHook, WithoutTheParametersNothingIsLookedAt) {
  const auto r = run({"FAKE_DEVICES=/dev/vdb1 ext4 - abcd"});
  EXPECT_EQ(r.outcome.status, 0) << r.outcome.err;
  EXPECT_FALSE(fs::exists(work_.path() / "run/from.env"));
  EXPECT_EQ(r.log, "");
}

TEST_P(FromHook, FrugalDirectoryIsMountedAndItsDataFileAttached) {
  disk("vdb1", {"berth/berth/boot/vmlinuz", "berth/data.img"});
  const auto r = run({"PARAM_from=UUID=abcd:/berth/",
                      "FAKE_DEVICES=/dev/vda1 vfat - 1234-ABCD\n/dev/vdb1 ext4 - abcd"});
  EXPECT_EQ(r.outcome.status, 0) << r.outcome.err;
  EXPECT_NE(r.env.find("BERTH_FROM_STATE='on'"), std::string::npos) << r.env << r.outcome.out;
  EXPECT_NE(r.env.find("BERTH_FROM_KIND='dir'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_FROM_DEVICE='/dev/vdb1'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_FROM_PATH='/berth'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_FROM_LOOP='/dev/loop7'"), std::string::npos) << r.env;
  const std::string data = (work_.path() / "run/host/berth/data.img").string();
  EXPECT_NE(r.env.find("BERTH_FROM_DATA='" + data + "'"), std::string::npos) << r.env;
  // Looked at read-only, made writable only for the data file, which the loop device
  // then holds for the unlock and data volume hooks.
  const auto probe = r.log.find("mount -t ext4 -o ro /dev/vdb1 ");
  const auto remount = r.log.find("mount -o remount,rw ");
  const auto attach = r.log.find("losetup /dev/loop7 " + data);
  ASSERT_NE(probe, std::string::npos) << r.log;
  ASSERT_NE(remount, std::string::npos) << r.log;
  ASSERT_NE(attach, std::string::npos) << r.log;
  EXPECT_LT(probe, remount);
  EXPECT_LT(remount, attach);
  EXPECT_EQ(r.log.find("vda1"), std::string::npos) << "a filesystem SPEC does not name";
}

TEST_P(FromHook, IsoWithoutSpecSearchesEveryDiskAndUsesTheDataFileNextToIt) {
  for (const char* name : {"loop0", "vda", "vdb1", "vdc1"}) block(name);
  disk("vdb1", {"other/file"});
  disk("vdc1", {"isos/berth.iso", "isos/berth-data.img"});
  const auto r =
      run({"PARAM_iso=/isos/berth.iso",
           "FAKE_DEVICES=/dev/loop0 squashfs - -\n/dev/vdb1 ext4 - b\n/dev/vdc1 vfat - c"});
  EXPECT_NE(r.env.find("BERTH_FROM_STATE='on'"), std::string::npos) << r.env << r.outcome.out;
  EXPECT_NE(r.env.find("BERTH_FROM_KIND='iso'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_FROM_DEVICE='/dev/vdc1'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_FROM_FSTYPE='vfat'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("/run/host/isos/berth-data.img'"), std::string::npos) << r.env;
  // The filesystem without the ISO was let go again; loop devices are never looked at.
  EXPECT_NE(r.log.find("mount -t ext4 -o ro /dev/vdb1"), std::string::npos) << r.log;
  EXPECT_NE(r.log.find("umount /run/host"), std::string::npos) << r.log;
  EXPECT_EQ(r.log.find("loop0"), std::string::npos) << r.log;
}

TEST_P(FromHook, WithoutADataFileTheFilesystemStaysReadOnly) {
  disk("vdb1", {"isos/berth.iso"});
  const auto r = run({"PARAM_iso=/dev/berth-test-none1:/isos/berth.iso", "PARAM_wait=0"});
  // A /dev SPEC must be a block device.
  EXPECT_NE(r.env.find("BERTH_FROM_STATE='failed'"), std::string::npos) << r.env;
  const auto by_uuid = run({"PARAM_iso=UUID=b:/isos/berth.iso", "FAKE_DEVICES=/dev/vdb1 ext4 - b"});
  EXPECT_NE(by_uuid.env.find("BERTH_FROM_STATE='on'"), std::string::npos) << by_uuid.env;
  EXPECT_NE(by_uuid.env.find("BERTH_FROM_DATA=''"), std::string::npos) << by_uuid.env;
  EXPECT_NE(by_uuid.env.find("BERTH_FROM_LOOP=''"), std::string::npos) << by_uuid.env;
  EXPECT_EQ(by_uuid.log.find("remount"), std::string::npos) << by_uuid.log;
  EXPECT_NE(by_uuid.outcome.out.find("no data file /isos/berth-data.img on /dev/vdb1"),
            std::string::npos)
      << by_uuid.outcome.out;
}

TEST_P(FromHook, AMissingDirectoryMeansOneLineAndNoFiles) {
  disk("vdb1", {"elsewhere/file"});
  const auto r =
      run({"PARAM_from=UUID=b:/berth", "PARAM_wait=0", "FAKE_DEVICES=/dev/vdb1 ext4 - b"});
  EXPECT_EQ(r.outcome.status, 0) << r.outcome.err;
  EXPECT_NE(r.env.find("BERTH_FROM_STATE='failed'"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("warn: berth.from: no ext2/3/4, vfat or exfat filesystem on "
                               "UUID=b holds /berth (looked for 0s); booting without them"),
            std::string::npos)
      << r.outcome.out;
  const auto gone = run({"PARAM_from=UUID=zz:/berth", "PARAM_wait=0", "FAKE_DEVICES="});
  EXPECT_NE(gone.outcome.out.find("berth.from: no filesystem UUID=zz found (looked for 0s)"),
            std::string::npos)
      << gone.outcome.out;
}

TEST_P(FromHook, BadValuesAreNamedAndNothingIsMounted) {
  const auto spec = run({"PARAM_from=sdb1:/berth"});
  EXPECT_NE(spec.outcome.out.find("berth.from=sdb1:/berth: sdb1 is not LABEL=, UUID=, "
                                  "PARTUUID= or a /dev path"),
            std::string::npos)
      << spec.outcome.out;
  const auto dots = run({"PARAM_iso=UUID=b:/a/../b.iso"});
  EXPECT_NE(dots.outcome.out.find("the path may not hold .."), std::string::npos)
      << dots.outcome.out;
  const auto no_file = run({"PARAM_iso=UUID=b"});
  EXPECT_NE(no_file.outcome.out.find("berth.iso=UUID=b names no file"), std::string::npos)
      << no_file.outcome.out;
  EXPECT_NE(no_file.env.find("BERTH_FROM_STATE='failed'"), std::string::npos) << no_file.env;
  EXPECT_EQ(spec.log + dots.log + no_file.log, "");
}

TEST_P(FromHook, AFilesystemThatStaysReadOnlyLeavesTheDataFileUnused) {
  disk("vdb1", {"berth/berth/boot/vmlinuz", "berth/data.img"});
  const auto r =
      run({"PARAM_from=UUID=b:/berth", "FAKE_REMOUNT=1", "FAKE_DEVICES=/dev/vdb1 ext4 - b"});
  EXPECT_NE(r.env.find("BERTH_FROM_STATE='on'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_FROM_LOOP=''"), std::string::npos) << r.env;
  EXPECT_NE(r.outcome.out.find("cannot mount /dev/vdb1 read-write; its data file "
                               "/berth/data.img is not used"),
            std::string::npos)
      << r.outcome.out;
  EXPECT_EQ(r.log.find("losetup"), std::string::npos) << r.log;
}

TEST_P(FromHook, RamOnlyLeavesTheDataFileAndTheFilesystemAlone) {
  disk("vdb1", {"berth/berth/boot/vmlinuz", "berth/data.img"});
  const auto r =
      run({"PARAM_from=UUID=b:/berth", "PARAM_data=none", "FAKE_DEVICES=/dev/vdb1 ext4 - b"});
  EXPECT_NE(r.env.find("BERTH_FROM_STATE='on'"), std::string::npos) << r.env;
  EXPECT_NE(r.env.find("BERTH_FROM_LOOP=''"), std::string::npos) << r.env;
  EXPECT_EQ(r.log.find("remount"), std::string::npos) << r.log;
  EXPECT_EQ(r.log.find("losetup"), std::string::npos) << r.log;
}

TEST_P(FromHook, FromWinsOverIso) {
  disk("vdb1", {"berth/berth/boot/vmlinuz"});
  const auto r = run(
      {"PARAM_from=UUID=b:/berth", "PARAM_iso=UUID=b:/x.iso", "FAKE_DEVICES=/dev/vdb1 ext4 - b"});
  EXPECT_NE(r.outcome.out.find("berth.iso=UUID=b:/x.iso is ignored"), std::string::npos)
      << r.outcome.out;
  EXPECT_NE(r.env.find("BERTH_FROM_KIND='dir'"), std::string::npos) << r.env;
}

TEST(FromHookParams, DeclaresFromAndIso) {
  const std::string params = read_file(kParams);
  EXPECT_NE(params.find("\nfrom\n"), std::string::npos) << params;
  EXPECT_NE(params.find("\niso\n"), std::string::npos) << params;
}

INSTANTIATE_TEST_SUITE_P(Shells, FromHook, ::testing::ValuesIn(test::available_shells()));

// Fake tools for 12-medium (run from $BERTH_TEST_ROOT/bin/): each logs its arguments.
// mount --bind copies the directory; mount -t iso9660 -o loop copies fake/iso; umount
// empties the directory. proc/mounts follows.
const char* kFakeMount = R"sh(#!/bin/sh
r=$BERTH_TEST_ROOT
echo "mount $(echo "$*" | sed "s|$r||g")" >>"$r/fake/log"
case $1 in
  --bind) cp -R "$2/." "$3/" && echo "$2 $3 none rw 0 0" >>"$r/proc/mounts" ;;
  -o) exit "${FAKE_REMOUNT:-0}" ;;
  -t) cp -R "$r/fake/iso/." "$6/" && echo "/dev/loop9 $6 iso9660 ro 0 0" >>"$r/proc/mounts" ;;
esac
)sh";
const char* kFakeUmount = R"sh(#!/bin/sh
r=$BERTH_TEST_ROOT
for dir; do :; done
echo "umount $(echo "$*" | sed "s|$r||g")" >>"$r/fake/log"
[ -z "${FAKE_BUSY:-}" ] || [ "$dir" != "$FAKE_BUSY" ] || exit 32
find "$dir" -mindepth 1 -delete
awk -v dir="$dir" '$2 != dir' "$r/proc/mounts" >"$r/proc/mounts.new"
mv "$r/proc/mounts.new" "$r/proc/mounts"
)sh";
const char* kFakeLog = R"sh(#!/bin/sh
echo "${0##*/} $*" >>"$BERTH_TEST_ROOT/fake/log"
)sh";

class FromMedium : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    shell_ = test::shell_command(GetParam());
    for (const auto& [name, text] : {std::pair{"bin/mount", kFakeMount},
                                     {"bin/umount", kFakeUmount},
                                     {"bin/losetup", kFakeLog},
                                     {"bin/cryptsetup", kFakeLog},
                                     {"bin/kill", kFakeLog},
                                     {"bin/blkid", kFakeLog}}) {
      fs::permissions(root_.write(name, text), fs::perms(0755));
    }
    fs::create_directories(root_.path() / "usr/lib/berth");
    fs::copy_file(kCmdlineSh, root_.path() / "usr/lib/berth/cmdline.sh");
    fs::copy_file(kCmdlineSh.parent_path() / "lib.sh", root_.path() / "usr/lib/berth/lib.sh");
    fs::copy_file(kMediumSh, root_.path() / "usr/lib/berth/medium.sh");
    root_.write("proc/cmdline", "berth.from=UUID=b:/berth\n");
    root_.write("fake/log", "");
    // vdb1, a partition of vdb, holds the host filesystem.
    const fs::path part = root_.path() / "sys/devices/pci/block/vdb/vdb1";
    fs::create_directories(part);
    std::ofstream(part / "partition") << "1\n";
    fs::create_directories(root_.path() / "sys/class/block");
    fs::create_symlink("../../devices/pci/block/vdb/vdb1", root_.path() / "sys/class/block/vdb1");
    fs::create_directories(root_.path() / "run/berth/data");
  }

  void from_env(const std::string& kind, const std::string& path, const std::string& loop) {
    const std::string host = "/run/berth/host";
    root_.write("run/berth/from.env",
                "BERTH_FROM_STATE='on'\nBERTH_FROM_KIND='" + kind +
                    "'\nBERTH_FROM_DEVICE='/dev/vdb1'\nBERTH_FROM_FSTYPE='ext4'\n"
                    "BERTH_FROM_HOST='" +
                    host + "'\nBERTH_FROM_PATH='" + path + "'\nBERTH_FROM_DATA='" + host +
                    "/berth/data.img'\nBERTH_FROM_LOOP='" + loop + "'\nBERTH_FROM_REASON=''\n");
    root_.write("proc/mounts",
                "/dev/vdb1 " + (root_.path() / "run/berth/host").string() + " ext4 rw 0 0\n");
  }

  ScriptOutcome service(const std::string& action, const std::vector<std::string>& env = {}) {
    auto argv = shell_;
    argv.insert(argv.end(), {kService.string(), action});
    std::vector<std::string> full_env = {"BERTH_TEST_ROOT=" + root_.path().string()};
    full_env.insert(full_env.end(), env.begin(), env.end());
    return test::run_script(argv, full_env);
  }

  std::string env_values() {
    auto argv = shell_;
    argv.insert(argv.end(), {"-c",
                             ". \"$1\" && echo \"$BERTH_MEDIUM_ID|$BERTH_MEDIUM_DEVICE|"
                             "$BERTH_MEDIUM_DISK|$BERTH_MEDIUM_FSTYPE|$BERTH_MEDIUM_KIND|"
                             "$BERTH_MEDIUM_PATH\"",
                             "sh", (root_.path() / "run/berth/medium.env").string()});
    return test::run_script(argv).out;
  }

  std::string log() const { return read_file(root_.path() / "fake/log"); }

  std::vector<std::string> shell_;
  TempDir root_;
};

TEST_P(FromMedium, TheFrugalDirectoryIsTheMediumReadOnly) {
  from_env("dir", "/berth", "/dev/loop7");
  root_.write("run/berth/host/berth/berth/boot/abc123.id", "id");
  root_.write("run/berth/host/berth/berth/images/a.tar", "a");
  const auto r = service("start");
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(log().find("mount --bind /run/berth/host/berth /run/berth/medium\n"
                       "mount -o remount,bind,ro /run/berth/medium\n"),
            std::string::npos)
      << log();
  EXPECT_EQ(env_values(), "abc123|/dev/vdb1|/dev/vdb|ext4|dir|/berth\n");
  EXPECT_TRUE(fs::exists(root_.path() / "run/berth/medium/berth/images/a.tar"));
  EXPECT_NE(r.out.find("boot medium /dev/vdb1:/berth (dir) at"), std::string::npos) << r.out;
}

TEST_P(FromMedium, TheIsoFileIsLoopMounted) {
  from_env("iso", "/isos/berth.iso", "");
  root_.write("fake/iso/berth/boot/def456.id", "id");
  const auto r = service("start");
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(log().find("mount -t iso9660 -o loop,ro /run/berth/host/isos/berth.iso "
                       "/run/berth/medium\n"),
            std::string::npos)
      << log();
  EXPECT_EQ(env_values(), "def456|/dev/vdb1|/dev/vdb|iso9660|iso|/isos/berth.iso\n");
}

TEST_P(FromMedium, StopReleasesTheDataFileThenTheHostFilesystem) {
  from_env("dir", "/berth", "/dev/loop7");
  root_.write("run/berth/host/berth/berth/boot/abc123.id", "id");
  ASSERT_EQ(service("start").status, 0);
  // The data volume in the data file, encrypted: dm-0 on loop7, mounted as its mapper name.
  const fs::path holder = root_.path() / "sys/devices/virtual/block/dm-0";
  fs::create_directories(holder / "dm");
  std::ofstream(holder / "dm/name") << "berth-data\n";
  fs::create_directories(root_.path() / "sys/class/block/loop7/holders");
  fs::create_symlink(holder, root_.path() / "sys/class/block/loop7/holders/dm-0");
  std::ofstream(root_.path() / "proc/mounts", std::ios::app)
      << "/dev/mapper/berth-data " << (root_.path() / "run/berth/data").string()
      << " ext4 ro 0 0\n";
  const auto r = service("stop");
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  const std::string calls = log();
  const auto medium = calls.find("umount /run/berth/medium\n");
  const auto data = calls.find("umount /run/berth/data\n");
  const auto close = calls.find("cryptsetup close berth-data\n");
  const auto detach = calls.find("losetup -d /dev/loop7\n");
  const auto host = calls.find("umount /run/berth/host\n");
  for (auto at : {medium, data, close, detach, host}) ASSERT_NE(at, std::string::npos) << calls;
  EXPECT_LT(medium, data);
  EXPECT_LT(data, close);
  EXPECT_LT(close, detach);
  EXPECT_LT(detach, host);
}

TEST_P(FromMedium, ALoginShellInTheDataVolumeIsEndedBeforeItIsUnmounted) {
  from_env("dir", "/berth", "/dev/loop7");
  const fs::path data = root_.path() / "run/berth/data";
  fs::create_directories(data / "root");
  std::ofstream(root_.path() / "proc/mounts", std::ios::app)
      << "/dev/loop7 " << data.string() << " ext4 ro 0 0\n";
  // Process 4242 sits in /root, bound from the data volume; 4343 is elsewhere.
  fs::create_directories(root_.path() / "proc/4242");
  fs::create_symlink(data / "root", root_.path() / "proc/4242/cwd");
  fs::create_directories(root_.path() / "proc/4343");
  fs::create_symlink("/proc", root_.path() / "proc/4343/cwd");
  const auto r = service("stop");
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  const std::string calls = log();
  const auto term = calls.find("kill -TERM 4242\n");
  const auto unmount = calls.find("umount /run/berth/data\n");
  ASSERT_NE(term, std::string::npos) << calls;
  ASSERT_NE(unmount, std::string::npos) << calls;
  EXPECT_LT(term, unmount);
  EXPECT_EQ(calls.find("4343"), std::string::npos) << calls;
}

TEST_P(FromMedium, ABusyHostFilesystemIsMadeReadOnly) {
  from_env("dir", "/berth", "");
  const auto r = service("stop", {"FAKE_BUSY=" + (root_.path() / "run/berth/host").string()});
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(log().find("mount -o remount,ro /run/berth/host"), std::string::npos) << log();
  const auto stuck = service(
      "stop", {"FAKE_BUSY=" + (root_.path() / "run/berth/host").string(), "FAKE_REMOUNT=1"});
  EXPECT_NE(stuck.status, 0);
  EXPECT_NE(stuck.out.find("/dev/vdb1 is busy; it was synced but stays mounted read-write"),
            std::string::npos)
      << stuck.out;
}

TEST_P(FromMedium, ADataVolumeStillInUseKeepsTheHostMountedAndSaysWhy) {
  from_env("dir", "/berth", "/dev/loop7");
  const std::string data = (root_.path() / "run/berth/data").string();
  std::ofstream(root_.path() / "proc/mounts", std::ios::app)
      << "/dev/loop7 " << data << " ext4 rw 0 0\n";
  const auto r = service("stop", {"FAKE_BUSY=" + data});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("is still in use at"), std::string::npos) << r.out;
  EXPECT_EQ(log().find("losetup -d"), std::string::npos) << log();
  EXPECT_EQ(log().find("umount /run/berth/host"), std::string::npos) << log();
}

INSTANTIATE_TEST_SUITE_P(Shells, FromMedium, ::testing::ValuesIn(test::available_shells()));

}  // namespace
}  // namespace berth::fs_squashfs
