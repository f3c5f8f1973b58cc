// Berth without a disk of its own: `berth install --frugal` into a directory of an ext4
// partition that holds someone else's files, booted with berth.from= (the kernel and
// initrd of the test build, which are the files the install copies), and the ISO file
// itself on an ext4 partition, booted by GRUB through the ISO's loopback.cfg
// (berth.iso=). Both keep Docker's state in a data file next to their files, and leave
// the other files on the partition as they were.
#include <gtest/gtest.h>

#include <berth/sdk/testing/temp_dir.hpp>

#include "disk_images.hpp"
#include "docker_checks.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using sdk::testing::TempDir;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kHostDisk = "frugal-host";
// Someone else's files on the partition, and their checksums.
constexpr const char* kOtherFiles =
    "mkdir -p /mnt/host/home/user /mnt/host/data && "
    "echo 'not Berth' >/mnt/host/home/user/notes.txt && "
    "head -c 1048576 /dev/urandom >/mnt/host/data/blob && "
    "ln -s notes.txt /mnt/host/home/user/link";
constexpr const char* kChecksums =
    "(cd /mnt/host && find home data -print | sort && sha256sum home/user/notes.txt data/blob)";

// The disk attached so that every write reaches the file: it must outlive each boot.
Disk host_disk(const fs::path& path) {
  return {path, false, kHostDisk, true};
}

// Docker's state on the data file: written in one boot, read back in the next.
void write_volume(QemuGuest& guest) {
  wait_for_docker(guest);
  wait_for_boot_import(guest);
  guest.check("docker run --rm -v keep:/data example/bbtool sh -c 'echo kept >/data/file'", 120s);
}

void expect_volume(QemuGuest& guest) {
  wait_for_docker(guest);
  // Its messages on the console would mix with the command's output.
  wait_for_boot_import(guest);
  EXPECT_EQ(guest.check("docker run --rm -v keep:/data example/bbtool cat /data/file", 120s).output,
            "kept\n");
}

// The data volume is the data file on a loop device.
void expect_data_file(QemuGuest& guest) {
  const std::string env = guest.check("cat /run/berth/persist.env").output;
  EXPECT_NE(env.find("BERTH_DATA_STATE='on'"), std::string::npos)
      << env << guest.run("cat /run/berth/init.log /run/berth/from.env").output;
  EXPECT_NE(env.find("BERTH_DATA_DEVICE='/dev/loop"), std::string::npos) << env;
}

class Frugal : public ::testing::Test {
 protected:
  void SetUp() override {
    for (BootMode mode : {BootMode::SeabiosCd, BootMode::DirectKernel}) {
      if (const std::string missing = missing_boot_inputs(mode); !missing.empty()) {
        GTEST_SKIP() << missing;
      }
    }
  }

  GuestOptions live_with(const fs::path& disk) {
    GuestOptions options = berth_guest(BootMode::SeabiosCd);
    options.disks = {host_disk(disk)};
    return options;
  }

  // The other files' checksums as a booted Berth sees them on the host filesystem.
  static std::string checksums_in(QemuGuest& guest) {
    return guest
        .check("mkdir -p /mnt && ln -sfn /run/berth/host /mnt/host && " + std::string(kChecksums))
        .output;
  }

  TempDir dir_{"berth-frugal-"};
};

TEST_F(Frugal, InstallIntoADirectoryBootsWithBerthFromAndKeepsDockerState) {
  const fs::path disk = blank_disk(dir_, "host.img", 2048);
  std::string sums;
  std::string output;
  {
    QemuGuest guest(live_with(disk));
    guest.wait_for_shell();
    wait_for_boot_import(guest);
    const std::string name = guest_disk_by_serial(guest, kHostDisk);
    guest.check("printf '%s\\n' 'label: gpt' 'type=linux' | sfdisk -q " + name, 60s);
    guest.check("mdev -s; mkfs.ext4 -q -L HOST " + name +
                    "1 && mkdir -p /mnt/host && mount -t ext4 " + name + "1 /mnt/host && " +
                    kOtherFiles,
                120s);
    sums = guest.check(kChecksums).output;
    // Mounted already: the installer uses that mount.
    const CommandResult installed =
        guest.run("berth install --frugal " + name + "1:/berth --data-size 256M", 900s);
    ASSERT_TRUE(installed.ok()) << installed.output;
    output = installed.output;
    std::cout << "[ frugal ] " << output << std::flush;
    EXPECT_EQ(guest.check(kChecksums).output, sums);
    // A second install into the same directory keeps the data file; another directory
    // with files in it is refused.
    const CommandResult again =
        guest.run("berth install --frugal " + name + "1:/berth --data-size 256M", 900s);
    EXPECT_TRUE(again.ok()) << again.output;
    EXPECT_NE(again.output.find("keeping the data file /berth/data.img"), std::string::npos)
        << again.output;
    const CommandResult refused = guest.run("berth install --frugal " + name + "1:/home", 60s);
    EXPECT_NE(refused.status, 0);
    EXPECT_NE(refused.output.find("it holds other files (user)"), std::string::npos)
        << refused.output;
    EXPECT_EQ(guest.check(kChecksums).output, sums);
    guest.check("umount /mnt/host");
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  // The printed entry: search --fs-uuid UUID, linux /berth/berth/boot/vmlinuz berth.from=...
  const auto from = output.find("berth.from=UUID=");
  ASSERT_NE(from, std::string::npos) << output;
  const std::string param = output.substr(from, output.find_first_of(" \n", from) - from);
  EXPECT_NE(output.find("linux /berth/berth/boot/vmlinuz " + param), std::string::npos) << output;
  EXPECT_NE(output.find("initrd /berth/berth/boot/initrd.img"), std::string::npos) << output;
  EXPECT_NE(param.find(":/berth"), std::string::npos) << param;

  for (int boot = 0; boot < 2; ++boot) {
    GuestOptions options = berth_guest(BootMode::DirectKernel);
    options.disks = {host_disk(disk)};
    options.append += " " + param;
    QemuGuest guest(options);
    guest.wait_for_shell();
    const std::string medium = guest.check("cat /run/berth/medium.env").output;
    EXPECT_NE(medium.find("BERTH_MEDIUM_KIND='dir'"), std::string::npos) << medium;
    EXPECT_NE(medium.find("BERTH_MEDIUM_PATH='/berth'"), std::string::npos) << medium;
    expect_data_file(guest);
    if (boot == 0) {
      write_volume(guest);
      // `berth install` refuses the disk the files are on.
      const std::string name = guest_disk_by_serial(guest, kHostDisk);
      const CommandResult refused = guest.run("berth install " + name + " --yes", 60s);
      EXPECT_NE(refused.status, 0);
      EXPECT_NE(refused.output.find("refusing " + name), std::string::npos) << refused.output;
    } else {
      expect_volume(guest);
    }
    EXPECT_EQ(checksums_in(guest), sums);
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
    // The host filesystem was left clean: no journal to replay at the next boot.
    EXPECT_EQ(guest.console().find("still in use"), std::string::npos) << guest.console_tail();
    EXPECT_EQ(guest.console().find("stays mounted read-write"), std::string::npos)
        << guest.console_tail();
  }
}

TEST_F(Frugal, TheIsoFileOnAnExt4PartitionBootsThroughGrubLoopback) {
  const fs::path disk = blank_disk(dir_, "host.img", 1024);
  std::string sums;
  {
    QemuGuest guest(live_with(disk));
    guest.wait_for_shell();
    const std::string name = guest_disk_by_serial(guest, kHostDisk);
    // The disk layout GRUB's disk images expect: BIOS boot partition 1 at sector 2048 for
    // the core, whose prefix is (,gpt2)/berth/boot/grub; partition 2 the ext4 filesystem.
    guest.check(
        "printf '%s\\n' 'label: gpt' "
        "'start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649' "
        "'type=linux' | sfdisk -q " +
            name,
        60s);
    guest.check("mdev -s; mkfs.ext4 -q -L HOST " + name +
                    "2 && mkdir -p /mnt/host && mount -t ext4 " + name + "2 /mnt/host && " +
                    kOtherFiles,
                120s);
    sums = guest.check(kChecksums).output;
    // The ISO file and its data file next to it.
    guest.check(
        "mkdir -p /mnt/host/isos && dd if=/dev/sr0 of=/mnt/host/isos/berth.iso bs=1M "
        "2>/dev/null && dd if=/dev/zero of=/mnt/host/isos/berth-data.img bs=1M "
        "count=256 2>/dev/null && mkfs.ext4 -q -F -L BERTH-DATA "
        "/mnt/host/isos/berth-data.img",
        600s);
    // The host's GRUB: what a user's menu entry does with an ISO that has a loopback.cfg.
    guest.check(
        "mkdir -p /mnt/host/berth/boot/grub && printf '%s\\n' 'set timeout=0' "
        "'set iso_path=/isos/berth.iso' 'export iso_path' 'loopback loop /isos/berth.iso' "
        "'set root=(loop)' 'configfile /boot/grub/loopback.cfg' "
        ">/mnt/host/berth/boot/grub/grub.cfg");
    const std::string images = "/run/berth/medium/berth/boot/disk";
    guest.check("dd if=" + images + "/bios-core.img of=" + name +
                "1 bs=512 conv=fsync 2>/dev/null" + " && dd if=" + images +
                "/bios-boot.img of=" + name + " bs=440 count=1 conv=notrunc,fsync 2>/dev/null");
    guest.check("umount /mnt/host && sync");
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  for (int boot = 0; boot < 2; ++boot) {
    GuestOptions options = berth_guest(BootMode::SeabiosDisk);
    options.disks = {host_disk(disk)};
    QemuGuest guest(options);
    guest.wait_for_shell();
    const std::string cmdline = guest.check("cat /proc/cmdline").output;
    EXPECT_NE(cmdline.find("berth.iso=UUID="), std::string::npos) << cmdline;
    EXPECT_NE(cmdline.find(":/isos/berth.iso"), std::string::npos) << cmdline;
    const std::string medium = guest.check("cat /run/berth/medium.env").output;
    EXPECT_NE(medium.find("BERTH_MEDIUM_KIND='iso'"), std::string::npos)
        << medium << guest.run("cat /run/berth/init.log").output;
    EXPECT_NE(medium.find("BERTH_MEDIUM_FSTYPE='iso9660'"), std::string::npos) << medium;
    expect_data_file(guest);
    if (boot == 0) {
      // The ISO's own images (berth/images/) come from the loop-mounted ISO file.
      write_volume(guest);
      EXPECT_TRUE(guest.run("docker image inspect example/hello:latest >/dev/null").ok());
    } else {
      expect_volume(guest);
    }
    EXPECT_EQ(checksums_in(guest), sums);
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
    EXPECT_EQ(guest.console().find("stays mounted read-write"), std::string::npos)
        << guest.console_tail();
  }
}

}  // namespace
}  // namespace berth::vm
