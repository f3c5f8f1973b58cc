// Auto-import on the test build: the ISO's berth/images/ at boot, USB disks (FAT and ext4)
// present at boot and one plugged in later, broken archives, the wrappers and the labels they
// honour, and the import records that make a second boot skip what it imported before. The
// archives come from tests/fixtures (berth-test-fixture import-set), made from Debian packages.
#include <gtest/gtest.h>

#include <berth/sdk/error.hpp>
#include <cstdio>
#include <fstream>
#include <map>

#include "docker_checks.hpp"
#include "host_command.hpp"
#include "qemu_monitor.hpp"
#include "temp_dir.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

fs::path import_fixtures() {
  return fixture_dir() / "import";
}

// A FAT or ext4 disk image whose berth/images/ holds `archives` and berth/bin/ `scripts`
// (name -> text).
fs::path media_disk(const TempDir& dir, const std::string& name, const std::string& type,
                    const std::vector<fs::path>& archives,
                    const std::map<std::string, std::string>& scripts = {}) {
  const fs::path tree = dir.path() / (name + ".tree");
  fs::create_directories(tree / "berth/images");
  for (const auto& archive : archives)
    fs::copy_file(archive, tree / "berth/images" / archive.filename());
  if (!scripts.empty()) {
    fs::create_directories(tree / "berth/bin");
    for (const auto& [script, text] : scripts) std::ofstream(tree / "berth/bin" / script) << text;
  }
  const fs::path image = dir.path() / (name + ".img");
  if (type == "vfat") {
    host_command("mkfs.vfat -C -n STICK '" + image.string() + "' 65536");
    host_command("mcopy -s -i '" + image.string() + "' '" + (tree / "berth").string() + "' ::");
  } else {
    host_command("mkfs.ext4 -q -F -L STICK -d '" + tree.string() + "' '" + image.string() +
                 "' 64M");
  }
  return image;
}

class Import : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(import_fixtures())) {
      GTEST_SKIP() << "no import fixtures in " << import_fixtures()
                   << " (run the vm.fixtures test)";
    }
  }
  TempDir dir_{"berth-import-"};
};

TEST_F(Import, TheIsoImagesAreLoadedAndTheirCommandsRun) {
  if (const std::string missing = missing_boot_inputs(BootMode::SeabiosCd); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  QemuGuest guest(berth_guest(BootMode::SeabiosCd));
  guest.wait_for_shell();
  wait_for_docker(guest);
  wait_for_boot_import(guest);
  const std::string images = guest.check("berth images").output;
  for (const char* ref : {"example/hello:latest", "example/bbtool:latest", "example/cat:latest",
                          "example/busybox:latest"}) {
    EXPECT_NE(images.find(ref), std::string::npos) << ref << "\n" << images;
  }
  // A dynamically linked program from Debian, with arguments.
  EXPECT_EQ(guest.check("hello --greeting=ahoy", 120s).output, "ahoy\n");
  EXPECT_EQ(guest.check("bbtool echo two words", 120s).output, "two words\n");
  // Names of system commands are not taken: the console says what they became.
  EXPECT_EQ(guest.check("echo piped-in | cat-docker", 120s).output, "piped-in\n");
  EXPECT_NE(guest.console().find("'cat' is taken, so its command is 'cat-docker'"),
            std::string::npos);
  EXPECT_NE(guest.console().find("'busybox' is taken, so its command is 'busybox-docker'"),
            std::string::npos);
  // The current directory is the container's working directory.
  guest.check("mkdir -p /root/proj && echo inside >/root/proj/file");
  EXPECT_EQ(guest.check("cd /root/proj && bbtool cat file", 120s).output, "inside\n");
  // Removing the image removes its command.
  guest.check("docker rmi example/bbtool:latest", 60s);
  // (The file, not `command -v`: the shell remembers where it found a command.)
  EXPECT_TRUE(guest.retry("[ ! -e /run/berth/wrappers/bbtool ]", 60s).ok())
      << guest
             .run(
                 "ls /run/berth/wrappers; ps | grep -v grep | grep -e import-watch -e 'docker "
                 "events'")
             .output;
  EXPECT_TRUE(guest.run("hello").ok());
}

TEST_F(Import, UsbDisksAtBootAndPluggedInLaterWithBrokenArchivesAndLabels) {
  if (const std::string missing = missing_boot_inputs(BootMode::DirectKernel); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  const fs::path usb = import_fixtures() / "usb";
  const fs::path broken = import_fixtures() / "broken";
  const fs::path fat = media_disk(dir_, "fat", "vfat", {usb / "labels.tar.zst"},
                                  {{"hi-script", "#!/bin/sh\necho hand-written \"$@\"\n"}});
  const fs::path ext4 =
      media_disk(dir_, "ext4", "ext4",
                 {broken / "truncated.tar", broken / "notes.tar", broken / "renamed.tar.gz"});
  const fs::path later = media_disk(dir_, "later", "vfat", {usb / "plain.tar.bz2"});

  GuestOptions options = berth_guest(BootMode::DirectKernel);
  options.disks.push_back({fat, true, "usb-fat"});
  options.disks.push_back({ext4, true, "usb-ext4"});
  options.monitor_socket = dir_.path() / "monitor.sock";
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  wait_for_boot_import(guest);
  const std::string& console = guest.console();
  EXPECT_NE(console.find("truncated.tar: failed: truncated or damaged archive"), std::string::npos)
      << guest
             .run(
                 "grep -v 'level=info' /var/log/docker.log | tail -n 30; "
                 "dmesg | grep -i -A3 -e oops -e 'bug:' -e segfault | head -n 20")
             .output;
  EXPECT_NE(console.find("notes.tar: failed: not an image archive"), std::string::npos);
  EXPECT_NE(console.find("renamed.tar.gz: named like gzip but holds zstd data"), std::string::npos);
  EXPECT_NE(console.find("renamed.tar.gz: done (example/renamed:latest)"), std::string::npos);
  EXPECT_NE(console.find("labels.tar.zst: done (example/labelled:latest)"), std::string::npos);
  EXPECT_EQ(guest.check("renamed still works", 120s).output, "still works\n");
  EXPECT_EQ(guest.check("hi-script from the stick").output, "hand-written from the stick\n");

  // Labels: the name, environment, a volume, the working directory and a published port.
  guest.check(
      "mkdir -p /tmp/berth-label-volume && echo from-the-host >/tmp/berth-label-volume/hello.txt");
  const std::string out =
      guest.check("cd /tmp && greet 'echo \"env=$GREETING\"; pwd; cat /data/hello.txt'", 120s)
          .output;
  EXPECT_EQ(out, "env=hi there\n/work\nfrom-the-host\n");
  guest.check("(greet 'sleep 30' >/dev/null 2>&1 &) ; sleep 1", 60s);
  EXPECT_TRUE(guest.retry("docker ps --format '{{.Ports}}' | grep -q '8089->80/tcp'", 60s).ok())
      << guest.run("docker ps").output;

  // A stick plugged in now is scanned as soon as it shows up.
  plug_usb_stick(options.monitor_socket, later, "late", "late-stick");
  // Its scan ends with a second summary line (the console would mix it into our output).
  EXPECT_TRUE(guest
                  .retry("[ \"$(grep -c 'import: .* imported, .* unchanged, .* failed' "
                         "/var/log/messages)\" -ge 2 ]",
                         180s, 2000ms)
                  .ok())
      << guest.console_tail(3000);
  EXPECT_NE(guest.console().find("found berth/ on /dev/sd"), std::string::npos);
  EXPECT_EQ(guest.check("plain hot plugged", 60s).output, "hot plugged\n");
}

TEST_F(Import, ASecondBootWithPersistenceSkipsWhatItImported) {
  if (const std::string missing = missing_boot_inputs(BootMode::DirectKernel); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  const fs::path stick =
      media_disk(dir_, "stick", "vfat", {import_fixtures() / "usb" / "plain.tar.bz2"});
  const fs::path data = dir_.path() / "data.img";
  host_command("truncate -s 1G '" + data.string() + "' && mkfs.ext4 -q -F -L BERTH-DATA '" +
               data.string() + "'");
  GuestOptions options = berth_guest(BootMode::DirectKernel);
  options.disks.push_back({stick, true, "usb-fat"});
  options.disks.push_back({data, false, "berth-data", true});
  {
    QemuGuest guest(options);
    guest.wait_for_shell();
    wait_for_docker(guest);
    wait_for_boot_import(guest);
    EXPECT_NE(guest.console().find("plain.tar.bz2: done (example/plain:v1)"), std::string::npos);
    ASSERT_TRUE(guest.poweroff(180s)) << guest.console_tail();
  }
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  wait_for_boot_import(guest);
  EXPECT_NE(guest.console().find("plain.tar.bz2: unchanged, skipped"), std::string::npos)
      << guest.console_tail(3000);
  EXPECT_EQ(guest.check("plain after reboot", 120s).output, "after reboot\n");
}

}  // namespace
}  // namespace berth::vm
