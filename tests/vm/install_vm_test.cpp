// `berth install` on the test build: a blank disk installed from the booted ISO boots alone
// with SeaBIOS and with OVMF, with Docker's state and the medium's images on it; an
// encrypted install asks for its passphrase on the serial console (a wrong one first, then
// the recovery passphrase of the second key slot), keeps no plaintext on the disk and opens
// with a key file (the first key) from a second disk; and the
// installer refuses the boot disk, a mounted disk, a disk holding a filesystem and a disk
// too small, leaving each byte for byte as it was.
#include <gtest/gtest.h>

#include <berth/sdk/testing/temp_dir.hpp>
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

constexpr const char* kTarget = "install-target";
constexpr const char* kPassphrase = "correct horse battery";
constexpr const char* kRecoveryPassphrase = "recovery staple";
constexpr const char* kPassphrasePrompt = "Passphrase for the Berth data volume [^ ]*: *$";
// Written inside a container volume on the encrypted disk; must never appear in the image.
constexpr const char* kMarker = "BERTH-PLAINTEXT-MARKER-4711";

// The test ISO booted from a CD, with `disks` attached (the first is the install target).
GuestOptions live_guest(const std::vector<Disk>& disks) {
  GuestOptions options = berth_guest(BootMode::SeabiosCd);
  options.disks = disks;
  return options;
}

// The installed disk booted alone (plus `more` disks) by `mode`'s firmware.
GuestOptions installed_guest(BootMode mode, const fs::path& disk, std::vector<Disk> more = {}) {
  GuestOptions options = berth_guest(mode);
  options.disks = {{disk, false, kTarget, true}};
  options.disks.insert(options.disks.end(), more.begin(), more.end());
  return options;
}

// Boots the ISO and runs `berth install DISK ARGS --yes` (after `prepare`, when given).
void install_from_iso(const fs::path& disk, const std::string& args,
                      const std::string& prepare = "") {
  QemuGuest guest(live_guest({{disk, false, kTarget, true}}));
  guest.wait_for_shell();
  wait_for_boot_import(guest);
  if (!prepare.empty()) guest.check(prepare);
  const std::string name = guest_disk_by_serial(guest, kTarget);
  // The lowest argon2id cost (crypt-luks's luks.sh): cryptsetup's measuring of the real one
  // takes minutes per key slot under emulation. make bench measures the real cost.
  const CommandResult installed =
      guest.run("BERTH_TEST_LUKS_COST=cheap berth install " + name + " " + args + " --yes", 1200s);
  ASSERT_TRUE(installed.ok()) << installed.output;
  EXPECT_NE(installed.output.find("berth: installed on " + name + " in "), std::string::npos)
      << installed.output;
  std::cout << "[ install ] " << installed.output.substr(installed.output.rfind("berth: installed"))
            << std::flush;
  ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
}

class Install : public ::testing::Test {
 protected:
  void SetUp() override {
    for (BootMode mode : {BootMode::SeabiosCd, BootMode::DirectKernel}) {
      if (const std::string missing = missing_boot_inputs(mode); !missing.empty()) {
        GTEST_SKIP() << missing;
      }
    }
  }
  TempDir dir_{"berth-install-"};
};

TEST_F(Install, FullInstallBootsOnBiosAndUefiWithDockerStateAndTheMediumsImages) {
  const fs::path disk = blank_disk(dir_, "disk.img", 4096);
  install_from_iso(disk, "");
  {
    QemuGuest guest(installed_guest(BootMode::SeabiosDisk, disk));
    guest.wait_for_shell();
    EXPECT_NE(guest.check("berth status").output.find("data volume: /dev/vda3"), std::string::npos)
        << guest.run("cat /run/berth/init.log").output;
    wait_for_docker(guest);
    wait_for_boot_import(guest);
    // Copied along from the ISO's berth/images/ and imported from the data volume.
    EXPECT_TRUE(guest.run("docker image inspect example/hello:latest >/dev/null").ok())
        << guest.run("docker images; ls -R /var/lib/berth").output;
    guest.check("docker run --rm -v keep:/data example/bbtool sh -c 'echo kept >/data/file'", 120s);
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  QemuGuest guest(installed_guest(BootMode::OvmfDisk, disk));
  guest.wait_for_shell();
  wait_for_docker(guest);
  wait_for_boot_import(guest);
  EXPECT_EQ(guest.check("docker run --rm -v keep:/data example/bbtool cat /data/file", 120s).output,
            "kept\n");
  ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
}

TEST_F(Install, EncryptedDiskAsksForThePassphraseAndOpensWithAKeyFile) {
  const fs::path disk = blank_disk(dir_, "disk.img", 4096);
  install_from_iso(disk,
                   "--encrypt --key-file /run/install-passphrase "
                   "--recovery-key-file /run/install-recovery",
                   std::string("printf %s '") + kPassphrase + "' >/run/install-passphrase && " +
                       "printf %s '" + kRecoveryPassphrase + "' >/run/install-recovery");
  {
    QemuGuest guest(installed_guest(BootMode::SeabiosDisk, disk));
    // An Enter on silence would answer the question: none until the system is up.
    guest.set_poke_after(3600s);
    guest.wait_for_prompt(kPassphrasePrompt, 300s);
    std::size_t sent_at = guest.console().size();
    guest.send("not the passphrase\n");
    guest.wait_for_text("wrong passphrase", sent_at, 300s);
    // Asked again after the message.
    guest.wait_for_text("Passphrase for the Berth data volume",
                        guest.console().find("wrong passphrase", sent_at), 300s);
    guest.wait_for_prompt(kPassphrasePrompt, 300s);
    // The recovery passphrase: the second key slot opens it too.
    guest.send(std::string(kRecoveryPassphrase) + "\n");
    guest.set_poke_after(20s);
    guest.wait_for_shell();
    // Typed without echo.
    EXPECT_EQ(guest.console().find(kRecoveryPassphrase), std::string::npos);
    EXPECT_NE(guest.check("berth status").output.find("data volume: /dev/mapper/berth-data"),
              std::string::npos)
        << guest.run("cat /run/berth/init.log").output;
    std::cout << "[ unlock ] " << guest.check("cat /run/berth/crypt.env").output << std::flush;
    wait_for_docker(guest);
    wait_for_boot_import(guest);
    guest.check(std::string("docker run --rm -v secret:/data example/bbtool sh -c 'echo ") +
                    kMarker + " >/data/file; sync'",
                120s);
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  EXPECT_EQ(host_command("grep -c -a " + std::string(kMarker) + " '" + disk.string() + "' || true"),
            "0\n");

  // A key file on a FAT stick labelled BERTH-KEY: no prompt at all.
  const fs::path key_disk = blank_disk(dir_, "key.img", 16);
  const fs::path key_file = dir_.path() / "berth.key";
  std::ofstream(key_file) << kPassphrase;
  host_command("mkfs.vfat -n BERTH-KEY '" + key_disk.string() + "' >/dev/null && mcopy -i '" +
               key_disk.string() + "' '" + key_file.string() + "' ::/berth.key");
  GuestOptions direct = berth_guest(BootMode::DirectKernel);
  direct.disks = {{disk, false, kTarget, true}, {key_disk, true, "berth-key", false}};
  direct.append += " berth.key=LABEL=BERTH-KEY:/berth.key";
  QemuGuest guest(direct);
  guest.wait_for_shell();
  EXPECT_EQ(guest.console().find("Passphrase for"), std::string::npos);
  EXPECT_NE(guest.check("cat /run/berth/crypt.env").output.find("keyfile"), std::string::npos);
  wait_for_docker(guest);
  wait_for_boot_import(guest);
  EXPECT_EQ(
      guest.check("docker run --rm -v secret:/data example/bbtool cat /data/file", 120s).output,
      std::string(kMarker) + "\n");
  ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
}

TEST_F(Install, UpgradeIsKeptOnceDockerRunsAndABrokenOneFallsBack) {
  const fs::path disk = blank_disk(dir_, "disk.img", 4096);
  install_from_iso(disk, "");
  {
    QemuGuest guest(installed_guest(BootMode::SeabiosDisk, disk));
    guest.wait_for_shell();
    wait_for_boot_import(guest);
    // The same pair again (--force): a good upgrade.
    const CommandResult same = guest.run("berth upgrade /run/berth/medium --yes", 300s);
    EXPECT_NE(same.status, 0);
    EXPECT_NE(same.output.find("already installed"), std::string::npos) << same.output;
    guest.check("berth upgrade /run/berth/medium --force --yes", 300s);
    EXPECT_NE(guest.check("berth upgrade --status").output.find("the next boot tries it"),
              std::string::npos);
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  {
    QemuGuest guest(installed_guest(BootMode::SeabiosDisk, disk));
    guest.wait_for_shell();
    EXPECT_NE(guest.check("cat /proc/cmdline").output.find("berth.trial"), std::string::npos);
    wait_for_docker(guest);
    wait_for_boot_import(guest);
    EXPECT_TRUE(guest.retry("berth upgrade --status | grep -q 'none pending'", 120s).ok())
        << guest.run("berth upgrade --status").output;
    // A "newer" Berth whose initrd is garbage.
    guest.check(
        "mkdir -p /tmp/new/berth/boot && cp /run/berth/medium/berth/boot/vmlinuz "
        "/tmp/new/berth/boot/ "
        "&& head -c 4194304 /dev/urandom >/tmp/new/berth/boot/initrd.img");
    const CommandResult broken = guest.run("berth upgrade /tmp/new --yes", 300s);
    ASSERT_TRUE(broken.ok()) << broken.output;
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  {
    // Its trial: the kernel finds no init and panics; panic=10 restarts the machine (which
    // ends qemu: -no-reboot).
    QemuGuest guest(installed_guest(BootMode::SeabiosDisk, disk));
    ASSERT_TRUE(guest.wait_for_exit(300s)) << guest.console_tail();
    EXPECT_NE(guest.console().find("Kernel panic"), std::string::npos) << guest.console_tail();
  }
  QemuGuest guest(installed_guest(BootMode::SeabiosDisk, disk));
  guest.wait_for_shell();
  EXPECT_NE(guest.check("cat /proc/cmdline").output.find("/berth/boot/previous/vmlinuz"),
            std::string::npos);
  EXPECT_NE(guest.check("berth upgrade --status").output.find("did not reach a running Docker"),
            std::string::npos);
  wait_for_docker(guest);
  ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
}

TEST(InstallRefusals, BootDiskMountedDiskUsedDiskAndSmallDiskStayUntouched) {
  if (const std::string missing = missing_boot_inputs(BootMode::SeabiosUsb); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  TempDir dir("berth-install-refusals-");
  const fs::path used = ext4_disk(dir, "used.img", "SOMETHING", 2048);
  const fs::path mounted = ext4_disk(dir, "mounted.img", "MOUNTED", 2048);
  const fs::path small = blank_disk(dir, "small.img", 1024);
  const std::string used_before = sha256_of(used);
  GuestOptions options = berth_guest(BootMode::SeabiosUsb);
  options.disks = {{used, false, "used-disk", true},
                   {mounted, false, "mounted-disk", true},
                   {small, false, "small-disk", true}};
  {
    QemuGuest guest(options);
    guest.wait_for_shell();
    wait_for_boot_import(guest);
    const std::string boot_disk =
        guest.check(". /run/berth/medium.env && echo \"$BERTH_MEDIUM_DISK\"").output;
    ASSERT_EQ(boot_disk.rfind("/dev/", 0), 0U) << boot_disk;
    const CommandResult medium =
        guest.run("berth install " + boot_disk.substr(0, boot_disk.find('\n')) + " --yes");
    EXPECT_NE(medium.status, 0);
    EXPECT_NE(medium.output.find("Berth booted from it"), std::string::npos) << medium.output;

    const CommandResult has_fs =
        guest.run("berth install " + guest_disk_by_serial(guest, "used-disk") + " --yes");
    EXPECT_NE(has_fs.status, 0);
    EXPECT_NE(has_fs.output.find("it holds data (ext4 \"SOMETHING\"); add --force"),
              std::string::npos)
        << has_fs.output;

    const std::string mounted_name = guest_disk_by_serial(guest, "mounted-disk");
    guest.check("mkdir -p /mnt/busy && mount " + mounted_name + " /mnt/busy");
    const CommandResult busy = guest.run("berth install " + mounted_name + " --force --yes");
    EXPECT_NE(busy.status, 0);
    EXPECT_NE(busy.output.find("is mounted (/mnt/busy)"), std::string::npos) << busy.output;
    guest.check("umount /mnt/busy");

    const CommandResult too_small =
        guest.run("berth install " + guest_disk_by_serial(guest, "small-disk") + " --yes");
    EXPECT_NE(too_small.status, 0);
    EXPECT_NE(too_small.output.find("1.0 GiB is too small; Berth (boot partitions of"),
              std::string::npos)
        << too_small.output;
    EXPECT_NE(too_small.output.find("needs at least"), std::string::npos) << too_small.output;
    ASSERT_TRUE(guest.poweroff(120s)) << guest.console_tail();
  }
  EXPECT_EQ(sha256_of(used), used_before);
  EXPECT_EQ(host_command("cmp -s '" + small.string() + "' /dev/zero -n 1073741824 && echo zero"),
            "zero\n");
}

}  // namespace
}  // namespace berth::vm
