// The base (fs-squashfs) on the target: rc.d/12-medium and /usr/lib/berth/medium.sh, which find the
// medium GRUB booted from by its id file. Run under busybox sh and dash against a fake
// /sys/class/block and fake blkid, mount and umount (medium.sh runs them from
// $BERTH_TEST_ROOT/bin/ in tests), so nothing is ever mounted on the build host.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "script_root_test.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::ScriptOutcome;

const fs::path kRootfs = test::plugin_files("fs-squashfs") / "rootfs";
const fs::path kService = kRootfs / "etc/berth/rc.d/12-medium";
const fs::path kMediumSh = kRootfs / "usr/lib/berth/medium.sh";
const fs::path kInitramfsParams =
    test::plugin_files("fs-squashfs") / "initramfs/usr/lib/berth/params.d/fs-squashfs";

// blkid -p -o value -s TYPE DEVICE: fake/types/NAME, or exit 2 (nothing found).
const char* kFakeBlkid = R"(#!/bin/sh
for device; do :; done
[ "$1 $2 $3 $4 $5" = "-p -o value -s TYPE" ] || { echo "fake blkid: $*" >&2; exit 4; }
cat "$BERTH_TEST_ROOT/fake/types/${device##*/}" 2>/dev/null || exit 2
)";

// mount -t TYPE -o OPTIONS DEVICE DIR: copies fake/fs/NAME into DIR, notes the mount in
// proc/mounts and the call in fake/log.
const char* kFakeMount = R"(#!/bin/sh
[ "$1" = -t ] && [ "$3" = -o ] && [ $# = 6 ] || { echo "fake mount: $*" >&2; exit 1; }
name=${5##*/}
echo "mount $2 $4 $name ${6#"$BERTH_TEST_ROOT"}" >>"$BERTH_TEST_ROOT/fake/log"
[ -d "$6" ] && [ -d "$BERTH_TEST_ROOT/fake/fs/$name" ] || exit 32
cp -R "$BERTH_TEST_ROOT/fake/fs/$name/." "$6/" &&
  echo "/dev/$name $6 $2 $4 0 0" >>"$BERTH_TEST_ROOT/proc/mounts"
)";

// umount [-l] DIR: empties DIR and drops it from proc/mounts.
const char* kFakeUmount = R"(#!/bin/sh
for dir; do :; done
mounts=$BERTH_TEST_ROOT/proc/mounts
awk -v dir="$dir" '$2 == dir { found = 1 } END { exit !found }' "$mounts" || exit 32
echo "umount ${dir#"$BERTH_TEST_ROOT"}" >>"$BERTH_TEST_ROOT/fake/log"
find "$dir" -mindepth 1 -delete
awk -v dir="$dir" '$2 != dir' "$mounts" >"$mounts.new" && mv "$mounts.new" "$mounts"
)";

class BootMedium : public test::ScriptRootTest {
 protected:
  void SetUp() override {
    ScriptRootTest::SetUp();
    if (IsSkipped()) return;
    for (const auto& [name, text] : {std::pair{"bin/blkid", kFakeBlkid},
                                     {"bin/mount", kFakeMount},
                                     {"bin/umount", kFakeUmount}}) {
      fs::permissions(root_.write(name, text), fs::perms(0755));
    }
    for (const auto& library : {test::cmdline_sh(), test::lib_sh(), kMediumSh}) {
      install_library(library);
    }
    fs::create_directories(root_.path() / "fake/fs");
    fs::create_directories(root_.path() / "sys/class/block");
    root_.write("fake/log", "");
    root_.write("proc/mounts", "");
    cmdline("BOOT_IMAGE=/berth/boot/vmlinuz berth.medium=0123abcd quiet");

    // What a machine shows: an NVMe disk, a USB stick with two partitions, a second
    // disk, an empty CD drive and one with a disc, and the virtual devices.
    block("nvme0n1");
    block("nvme0n1p1", "nvme0n1");
    block("sda");
    block("sda1", "sda");
    block("sda2", "sda");
    block("sdb");
    block("sdb1", "sdb");
    block("sr0", "", "0");
    block("sr1");
    for (const char* name : {"loop0", "ram0", "zram0", "dm-0"}) block(name);
  }

  // A block device under /sys/class/block, a partition of `disk` when one is named.
  void block(const std::string& name, const std::string& disk = "",
             const std::string& size = "2048") {
    const fs::path relative = fs::path("devices/pci0000:00/block") / disk / name;
    const fs::path dir = root_.path() / "sys" / relative;
    fs::create_directories(dir);
    std::ofstream(dir / "size") << size << "\n";
    if (!disk.empty()) std::ofstream(dir / "partition") << "1\n";
    fs::create_symlink("../.." / relative, root_.path() / "sys/class/block" / name);
  }

  // A filesystem on device `name`; with `id`, it holds /berth/boot/<id>.id.
  void filesystem(const std::string& name, const std::string& type, const std::string& id = "") {
    root_.write("fake/types/" + name, type + "\n");
    fs::create_directories(root_.path() / "fake/fs" / name);
    if (!id.empty()) root_.write("fake/fs/" + name + "/berth/boot/" + id + ".id", "id\n");
  }

  std::string medium_dir() const { return (root_.path() / "run/berth/medium").string(); }
  std::string log() const { return read("fake/log"); }
  std::string mounts() const { return read("proc/mounts"); }

  ScriptOutcome service(const std::string& action) {
    return run_in_root({kService.string(), action});
  }

  // Runs `script` after sourcing medium.sh.
  ScriptOutcome library(const std::string& script) {
    return run_in_root(
        {"-c", ". \"$1\" && " + script, "sh", path("usr/lib/berth/medium.sh").string()});
  }

  // The BERTH_MEDIUM_* values of medium.env, read back by the shell.
  std::string env_values() {
    return run_in_root(
               {"-c",
                ". \"$1\" && echo \"$BERTH_MEDIUM_ID|$BERTH_MEDIUM_DEVICE|$BERTH_MEDIUM_DISK|"
                "$BERTH_MEDIUM_FSTYPE|$BERTH_MEDIUM_DIR\"",
                "sh", path("run/berth/medium.env").string()})
        .out;
  }
};

TEST_P(BootMedium, CandidatesSkipVirtualDevicesAndEmptyDrives) {
  const auto outcome = library("berth_medium_candidates");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "nvme0n1\nnvme0n1p1\nsda\nsda1\nsda2\nsdb\nsdb1\nsr1\n");
}

TEST_P(BootMedium, PartitionsAreOnTheirParentDisk) {
  const auto outcome = library(
      "for name in sda sda2 nvme0n1p1 sr1; do printf '%s ' \"$(berth_medium_disk $name)\"; done");
  EXPECT_EQ(outcome.out, "sda sda nvme0n1 sr1 ");
}

TEST_P(BootMedium, MountsReadOnlyAndNeverReplaysAJournal) {
  const auto outcome = library(
      "for type in iso9660 vfat ext2 ext3 ext4 squashfs ntfs ''; do "
      "printf '%s=%s ' \"$type\" \"$(berth_medium_options \"$type\" || echo no)\"; done");
  EXPECT_EQ(outcome.out,
            "iso9660=ro vfat=ro ext2=ro ext3=ro,noload ext4=ro,noload squashfs=no ntfs=no =no ");
}

TEST_P(BootMedium, FindsAHybridIsoStickOnItsWholeDisk) {
  // dd'ed hybrid ISO: iso9660 on the whole disk and on its first partition, the ESP
  // (vfat) as the second.
  filesystem("sda", "iso9660", "0123abcd");
  filesystem("sda1", "iso9660", "0123abcd");
  filesystem("sda2", "vfat");
  filesystem("nvme0n1p1", "ext4");
  const auto outcome = service("start");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "berth: boot medium /dev/sda (iso9660) at " + medium_dir() + "\n");
  EXPECT_EQ(env_values(), "0123abcd|/dev/sda|/dev/sda|iso9660|" + medium_dir() + "\n");
  EXPECT_EQ(mounts(), "/dev/sda " + medium_dir() + " iso9660 ro 0 0\n");
  EXPECT_TRUE(fs::is_regular_file(medium_dir() + "/berth/boot/0123abcd.id"));
}

TEST_P(BootMedium, FindsTheFilesystemWithItsIdAmongOthers) {
  filesystem("nvme0n1p1", "ext4");
  filesystem("sda", "iso9660", "ffff0000");  // another Berth medium
  filesystem("sdb1", "vfat", "0123abcd");
  filesystem("sr1", "udf");
  const auto outcome = service("start");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "berth: boot medium /dev/sdb1 (vfat) at " + medium_dir() + "\n");
  EXPECT_EQ(env_values(), "0123abcd|/dev/sdb1|/dev/sdb|vfat|" + medium_dir() + "\n");
  // Every probe read-only, ext4 without journal replay, each unmounted again; only the
  // medium stays, and the probe directory is gone.
  const std::string probe = "/run/berth/medium-probe.";
  const std::string got = log();
  EXPECT_NE(got.find("mount ext4 ro,noload nvme0n1p1 " + probe), std::string::npos) << got;
  EXPECT_NE(got.find("mount iso9660 ro sda " + probe), std::string::npos) << got;
  EXPECT_EQ(got.find("sr1"), std::string::npos) << got;  // udf: never a Berth medium
  EXPECT_EQ(got.substr(got.rfind("mount ")), "mount vfat ro sdb1 /run/berth/medium\n");
  EXPECT_EQ(mounts(), "/dev/sdb1 " + medium_dir() + " vfat ro 0 0\n");
  for (const auto& entry : fs::directory_iterator(root_.path() / "run/berth")) {
    EXPECT_EQ(entry.path().filename().string().find("medium-probe"), std::string::npos);
  }
}

TEST_P(BootMedium, FindsACd) {
  filesystem("sr1", "iso9660", "0123abcd");
  EXPECT_EQ(service("start").out,
            "berth: boot medium /dev/sr1 (iso9660) at " + medium_dir() + "\n");
  EXPECT_EQ(env_values(), "0123abcd|/dev/sr1|/dev/sr1|iso9660|" + medium_dir() + "\n");
}

TEST_P(BootMedium, StopUnmountsIt) {
  filesystem("sr1", "iso9660", "0123abcd");
  ASSERT_EQ(service("start").status, 0);
  const auto outcome = service("stop");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(mounts(), "");
  // Nothing mounted: nothing to do.
  const std::string before = log();
  EXPECT_EQ(service("stop").status, 0);
  EXPECT_EQ(log(), before);
}

TEST_P(BootMedium, WithoutTheParameterThereIsNoMedium) {
  filesystem("sr1", "iso9660", "0123abcd");
  for (const char* line : {"BOOT_IMAGE=/berth/boot/vmlinuz quiet", "berth.medium="}) {
    cmdline(line);
    const auto outcome = service("start");
    EXPECT_EQ(outcome.status, 0) << line;
    EXPECT_EQ(outcome.out, "") << line;
  }
  EXPECT_EQ(log(), "");  // nothing probed
  EXPECT_FALSE(fs::exists(root_.path() / "run/berth/medium.env"));
}

TEST_P(BootMedium, AnIdThatCouldLeaveTheBootDirectoryIsIgnored) {
  filesystem("sr1", "iso9660", "0123abcd");
  cmdline("berth.medium=../../x");
  const auto outcome = service("start");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "berth: berth.medium=../../x is not a medium id; ignored\n");
  EXPECT_EQ(log(), "");
}

TEST_P(BootMedium, AMountedMediumIsLeftAlone) {
  filesystem("sr1", "iso9660", "0123abcd");
  root_.write("proc/mounts", "/dev/sr1 " + medium_dir() + " iso9660 ro 0 0\n");
  const auto outcome = service("start");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(outcome.out, "berth: " + medium_dir() + " is mounted already\n");
  EXPECT_EQ(log(), "");
}

TEST_P(BootMedium, GivesUpWhenNoFilesystemHasTheId) {
  filesystem("sda", "iso9660", "ffff0000");
  filesystem("sdb1", "ext4");
  const auto outcome = library("berth_medium_wait 0123abcd 0; echo \"status $?\"");
  EXPECT_EQ(outcome.out, "status 1\n");
  EXPECT_EQ(mounts(), "");  // every probe unmounted
}

TEST_P(BootMedium, EnvironmentFileQuotesValuesSafely) {
  fs::create_directories(root_.path() / "run/berth");
  const auto outcome = library(
      "BERTH_MEDIUM_ID=\"it's \\$x \\`y\\`\" BERTH_MEDIUM_DEVICE=/dev/sda "
      "BERTH_MEDIUM_DISK='a b' BERTH_MEDIUM_FSTYPE=vfat && "
      "berth_medium_write_env \"$BERTH_TEST_ROOT/run/berth/medium.env\"");
  ASSERT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(env_values(), "it's $x `y`|/dev/sda|a b|vfat|" + medium_dir() + "\n");
}

TEST_P(BootMedium, UsageErrorNamesTheActions) {
  const auto outcome = service("restart");
  EXPECT_EQ(outcome.status, 2);
  EXPECT_NE(outcome.err.find("usage: "), std::string::npos);
  EXPECT_NE(outcome.err.find(" start|stop\n"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Shells, BootMedium, ::testing::Values("busybox", "dash"),
                         [](const auto& param_info) { return param_info.param; });

TEST(BootMediumFiles, ServiceIsExecutableAndTheParameterDeclared) {
  EXPECT_EQ(::access(kService.c_str(), X_OK), 0);
  EXPECT_EQ(read_file(kService).rfind("#!/bin/sh\n", 0), 0u);
  // /init warns about berth.* parameters no params.d file declares.
  std::istringstream declared(read_file(kInitramfsParams));
  bool medium = false;
  for (std::string line; std::getline(declared, line);) medium = medium || line == "medium";
  EXPECT_TRUE(medium);
}

}  // namespace
}  // namespace berth::fs_squashfs
