// Persistence on the test build: a blank disk prepared from the running system keeps
// Docker's images, volumes and restart-always containers across a reboot; berth.data=none
// leaves a data disk alone; a hard power-off is repaired at the next boot; a damaged volume
// or a refused prepare never costs the boot or a byte of the disk; berth.persist=full keeps
// changes to the root.
#include <gtest/gtest.h>

#include <berth/sdk/error.hpp>
#include <berth/sdk/testing/temp_dir.hpp>
#include <cstdio>
#include <fstream>

#include "disk_images.hpp"
#include "docker_checks.hpp"
#include "host_command.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using sdk::testing::TempDir;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kDataSerial = "berth-data";

GuestOptions with_data_disk(GuestOptions options, const fs::path& disk,
                            const std::string& extra_append = "") {
  options.disks.push_back({disk, false, kDataSerial, true});
  if (!extra_append.empty()) options.append += " " + extra_append;
  return options;
}

class Persistence : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string missing = missing_boot_inputs(BootMode::DirectKernel); !missing.empty()) {
      GTEST_SKIP() << missing;
    }
  }
  TempDir disks_{"berth-persist-"};
};

TEST_F(Persistence, PreparedDiskKeepsDockerStateAcrossAReboot) {
  const fs::path disk = blank_disk(disks_, "data.img", 2048);
  const GuestOptions options = with_data_disk(berth_guest_with_image(BootMode::DirectKernel), disk);
  {
    QemuGuest guest(options);
    guest.wait_for_shell();
    EXPECT_NE(guest.check("berth status").output.find("RAM only"), std::string::npos);
    wait_for_docker(guest);
    load_test_image(guest);
    const std::string image = kTestImage;
    guest.check("docker run --rm -v keep:/data " + image + " sh -c 'echo kept >/data/file'", 120s);
    guest.check("docker run -d --name always --restart always " + image + " sleep 100000", 120s);
    guest.check("echo from-the-first-boot >/root/note");

    const std::string name = guest_disk_by_serial(guest, kDataSerial);
    const CommandResult prepared = guest.run("berth data prepare " + name + " --yes", 300s);
    ASSERT_TRUE(prepared.ok()) << prepared.output;
    EXPECT_NE(prepared.output.find("now live on " + name + "1"), std::string::npos)
        << prepared.output;
    // Moved without a reboot: same image, same volume, the container running again.
    wait_for_docker(guest);
    EXPECT_EQ(
        guest.check("docker run --rm -v keep:/data " + image + " cat /data/file", 120s).output,
        "kept\n");
    EXPECT_TRUE(
        guest.retry("docker ps --filter name=always --format '{{.Status}}' | grep -q Up", 60s)
            .ok());
    EXPECT_EQ(guest.check("stat -f -c %T /var/lib/docker").output, "ext2/ext3\n");
    // Boot hooks on the volume: before Docker and after it.
    guest.check(
        "mkdir -p /var/lib/berth/hooks && "
        "echo 'echo before >/run/hook-before' >/var/lib/berth/hooks/before-docker && "
        "echo 'docker ps --format {{.Names}} >/run/hook-after' >/var/lib/berth/hooks/after-docker");
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  QemuGuest guest(options);
  guest.wait_for_shell();
  EXPECT_NE(guest.check("berth status").output.find("data volume: /dev/"), std::string::npos);
  wait_for_docker(guest);
  // The after-docker hook says on the console that it is done, then logs its exit: once
  // the log has that line, no console line can land inside a command's output.
  EXPECT_TRUE(guest.retry("grep -q '=== after-docker exited' /var/log/berth-hooks.log", 180s).ok());
  EXPECT_TRUE(guest.run(std::string("docker image inspect ") + kTestImage + " >/dev/null").ok());
  EXPECT_EQ(
      guest
          .check(std::string("docker run --rm -v keep:/data ") + kTestImage + " cat /data/file",
                 120s)
          .output,
      "kept\n");
  EXPECT_TRUE(
      guest.retry("docker ps --filter name=always --format '{{.Status}}' | grep -q Up", 90s).ok())
      << guest.run("docker ps -a").output;
  EXPECT_EQ(guest.check("cat /root/note").output, "from-the-first-boot\n");
  EXPECT_EQ(guest.check("cat /run/hook-before").output, "before\n");
  EXPECT_TRUE(guest.retry("grep -qx always /run/hook-after", 120s).ok())
      << guest.run("cat /var/log/berth-hooks.log").output;
}

TEST_F(Persistence, DataNoneLeavesTheDiskUntouched) {
  const fs::path disk = ext4_disk(disks_, "data.img", "BERTH-DATA");
  const std::string before = sha256_of(disk);
  {
    QemuGuest guest(with_data_disk(berth_guest(BootMode::DirectKernel), disk, "berth.data=none"));
    guest.wait_for_shell();
    EXPECT_NE(guest.check("berth status").output.find("RAM only (berth.data=none)"),
              std::string::npos);
    EXPECT_FALSE(guest.run("grep -q ' /run/berth/data ' /proc/mounts").ok());
    guest.check("echo scratch >/root/scratch");
    ASSERT_TRUE(guest.poweroff(120s)) << guest.console_tail();
  }
  EXPECT_EQ(sha256_of(disk), before);
}

TEST_F(Persistence, AHardPowerOffIsRepairedAtTheNextBoot) {
  const fs::path disk = ext4_disk(disks_, "data.img", "BERTH-DATA");
  const GuestOptions options = with_data_disk(berth_guest_with_image(BootMode::DirectKernel), disk);
  const std::string image = kTestImage;
  {
    QemuGuest guest(options);
    guest.wait_for_shell();
    wait_for_docker(guest);
    load_test_image(guest);
    guest.check("docker run --rm -v keep:/data " + image + " sh -c 'echo before >/data/file'",
                120s);
    guest.check("docker create --name made-before " + image + " true", 60s);
    guest.check(
        "docker run -d -v keep:/data " + image + " sh -c 'while :; do echo x >>/data/stream; done'",
        120s);
    guest.check("sleep 3");
  }  // qemu killed: no shutdown, no sync

  // The journal needs replaying; the next boot does it before mounting.
  QemuGuest guest(options);
  guest.wait_for_shell();
  EXPECT_NE(guest.check("berth status").output.find("data volume: /dev/"), std::string::npos)
      << guest.run("cat /run/berth/init.log").output;
  EXPECT_NE(guest.console().find("replayed the journal of the data volume"), std::string::npos)
      << guest.run("cat /run/berth/fsck.log").output;
  wait_for_docker(guest);
  EXPECT_TRUE(guest.run("docker image inspect " + image + " >/dev/null").ok());
  EXPECT_EQ(guest.check("docker run --rm -v keep:/data " + image + " cat /data/file", 120s).output,
            "before\n");
  EXPECT_TRUE(guest.run("docker inspect made-before >/dev/null").ok());
  ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  // Cleanly unmounted and consistent, as the host's fsck sees it.
  EXPECT_NO_THROW(host_command("e2fsck -fn '" + disk.string() + "'"));
}

TEST_F(Persistence, ADamagedVolumeBootsRamOnlyAndSaysHowToRepairIt) {
  const fs::path disk = ext4_disk(disks_, "data.img", "BERTH-DATA");
  // The root directory's inode wiped and the filesystem marked unclean: e2fsck -p must stop
  // and leave the repair to a human.
  host_command("debugfs -w -R 'clri <2>' '" + disk.string() + "'");
  host_command("debugfs -w -R 'ssv state 0' '" + disk.string() + "'");
  QemuGuest guest(with_data_disk(berth_guest(BootMode::DirectKernel), disk));
  guest.wait_for_shell();
  const std::string status = guest.check("berth status").output;
  EXPECT_NE(status.find("needs a manual repair"), std::string::npos) << status;
  EXPECT_NE(status.find("e2fsck -f /dev/"), std::string::npos) << status;
  EXPECT_NE(guest.console().find("running without persistence"), std::string::npos);
  EXPECT_FALSE(guest.run("grep -q ' /run/berth/data ' /proc/mounts").ok());
}

TEST_F(Persistence, FullPersistenceKeepsChangesToTheRoot) {
  const fs::path disk = ext4_disk(disks_, "data.img", "BERTH-DATA");
  const GuestOptions options =
      with_data_disk(berth_guest(BootMode::DirectKernel), disk, "berth.persist=full");
  {
    QemuGuest guest(options);
    guest.wait_for_shell();
    EXPECT_NE(guest.check("berth status").output.find("(full persistence)"), std::string::npos);
    guest.check("echo survives >/etc/berth-full-test");
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  QemuGuest guest(options);
  guest.wait_for_shell();
  EXPECT_EQ(guest.check("cat /etc/berth-full-test").output, "survives\n");
}

TEST(PersistencePrepare, RefusesTheBootMediumABusyOrUsedDiskAndNonsense) {
  if (const std::string missing = missing_boot_inputs(BootMode::SeabiosUsb); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  TempDir dir("berth-prepare-");
  // Big enough to pass the size check: refused for what it holds.
  const fs::path used = ext4_disk(dir, "used.img", "SOMETHING", 1536);
  const std::string used_before = sha256_of(used);
  const fs::path small = blank_disk(dir, "small.img", 256);
  GuestOptions options = berth_guest(BootMode::SeabiosUsb);
  options.disks.push_back({used, false, "used-disk", true});
  options.disks.push_back({small, false, "small-disk", true});
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  wait_for_boot_import(guest);

  const std::string boot_disk =
      guest.check(". /run/berth/medium.env && echo \"$BERTH_MEDIUM_DISK\"").output;
  ASSERT_FALSE(boot_disk.empty() || boot_disk == "\n") << guest.run("berth status").output;
  const CommandResult medium =
      guest.run("berth data prepare " + boot_disk.substr(0, boot_disk.find('\n')) + " --yes");
  EXPECT_NE(medium.status, 0);
  EXPECT_NE(medium.output.find("Berth booted from it"), std::string::npos) << medium.output;

  const std::string used_name = guest_disk_by_serial(guest, "used-disk");
  const CommandResult has_fs = guest.run("berth data prepare " + used_name + " --yes");
  EXPECT_NE(has_fs.status, 0);
  EXPECT_NE(has_fs.output.find("it holds data (ext4 \"SOMETHING\"); add --force"),
            std::string::npos)
      << has_fs.output;

  const CommandResult too_small =
      guest.run("berth data prepare " + guest_disk_by_serial(guest, "small-disk") + " --yes");
  EXPECT_NE(too_small.status, 0);
  EXPECT_NE(too_small.output.find("256.0 MiB is too small; a data volume needs at least 1024 MiB"),
            std::string::npos)
      << too_small.output;

  const CommandResult missing = guest.run("berth data prepare /dev/nosuchdisk --yes");
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.output.find("/dev/nosuchdisk: no such disk"), std::string::npos)
      << missing.output;

  ASSERT_TRUE(guest.poweroff(120s)) << guest.console_tail();
  EXPECT_EQ(sha256_of(used), used_before);
  EXPECT_EQ(host_command("cmp -s -n 268435456 '" + small.string() + "' /dev/zero && echo zero"),
            "zero\n");
}

}  // namespace
}  // namespace berth::vm
