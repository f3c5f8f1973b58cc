// Auto-import on the test build: the ISO's berth/images/ at boot, USB disks (FAT and ext4)
// present at boot and one plugged in later, broken archives, the commands and the labels they
// honour once a stick is trusted, sticks of crafted archives that get nothing, and the import
// records that make a second boot skip what it imported before. The archives come from
// tests/fixtures (berth-test-fixture import-set), made from Debian packages.
#include <gtest/gtest.h>

#include <berth/sdk/error.hpp>
#include <berth/sdk/testing/temp_dir.hpp>
#include <cstdio>
#include <fstream>
#include <map>

#include "docker_checks.hpp"
#include "host_command.hpp"
#include "qemu_monitor.hpp"
#include "test_env.hpp"

namespace berth::vm {
namespace {

using sdk::testing::TempDir;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

fs::path import_fixtures() {
  return fixture_dir() / "import";
}

// A FAT or ext4 disk image labelled `label` whose berth/images/ holds `archives` and
// berth/bin/ `scripts` (name -> text) and `links` (name -> target; ext4 only).
fs::path media_disk(const TempDir& dir, const std::string& name, const std::string& type,
                    const std::vector<fs::path>& archives,
                    const std::map<std::string, std::string>& scripts = {},
                    const std::string& label = "STICK",
                    const std::map<std::string, std::string>& links = {}) {
  const fs::path tree = dir.path() / (name + ".tree");
  fs::create_directories(tree / "berth/images");
  for (const auto& archive : archives)
    fs::copy_file(archive, tree / "berth/images" / archive.filename());
  if (!scripts.empty() || !links.empty()) {
    fs::create_directories(tree / "berth/bin");
    for (const auto& [script, text] : scripts) std::ofstream(tree / "berth/bin" / script) << text;
    for (const auto& [link, target] : links) fs::create_symlink(target, tree / "berth/bin" / link);
  }
  const fs::path image = dir.path() / (name + ".img");
  if (type == "vfat") {
    host_command("mkfs.vfat -C -n " + label + " '" + image.string() + "' 65536");
    host_command("mcopy -s -i '" + image.string() + "' '" + (tree / "berth").string() + "' ::");
  } else {
    host_command("mkfs.ext4 -q -F -L " + label + " -d '" + tree.string() + "' '" + image.string() +
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

  // The sticks are not trusted: their script is not on PATH and greet runs without the
  // volume and the port its labels ask for, saying so.
  EXPECT_NE(console.find("berth/bin/ on /dev/"), std::string::npos);
  EXPECT_FALSE(guest.run("command -v hi-script").ok());
  guest.check(
      "mkdir -p /tmp/berth-label-volume && echo from-the-host "
      ">/tmp/berth-label-volume/hello.txt");
  const std::string untrusted =
      guest.run("cd /tmp && greet 'echo \"env=$GREETING\"; id -u; cat /data/hello.txt' 2>&1", 120s)
          .output;
  EXPECT_NE(untrusted.find("env=hi there\n65534\n"), std::string::npos) << untrusted;
  EXPECT_NE(untrusted.find("not given volume /tmp/berth-label-volume:/data, port 8089:80; allow "
                           "it with 'berth trust STICK'"),
            std::string::npos)
      << untrusted;
  EXPECT_EQ(untrusted.find("from-the-host"), std::string::npos) << untrusted;

  // Trusted by its label and imported again: the same images, now with what they ask.
  EXPECT_NE(guest.check("berth trust STICK").output.find("LABEL=STICK is trusted now"),
            std::string::npos);
  // (It fails: the broken archives are still there.) The same bytes, trusted now: not loaded
  // again.
  const std::string again = guest.run("berth import 2>&1", 300s).output;
  EXPECT_NE(again.find("labels.tar.zst: same content as an archive imported before, skipped"),
            std::string::npos)
      << again;
  EXPECT_EQ(guest.check("hi-script from the stick").output, "hand-written from the stick\n");
  EXPECT_NE(guest.check("berth images | grep '^example/labelled:latest '").output.find(" trusted "),
            std::string::npos)
      << guest.run("berth images").output;

  // Labels: the name, environment, a volume, the working directory and a published port.
  const std::string out =
      guest.check("cd /tmp && greet 'echo \"env=$GREETING\"; pwd; cat /data/hello.txt'", 120s)
          .output;
  EXPECT_EQ(out, "env=hi there\n/work\nfrom-the-host\n");
  guest.check("(greet 'sleep 30' >/dev/null 2>&1 &) ; sleep 1", 60s);
  EXPECT_TRUE(guest.retry("docker ps --format '{{.Ports}}' | grep -q '8089->80/tcp'", 60s).ok())
      << guest.run("docker ps").output;

  // A stick plugged in now is scanned as soon as it shows up. Its scan ends with a third
  // summary line (after the boot's and 'berth import''s; the console would mix it into our
  // output).
  plug_usb_stick(options.monitor_socket, later, "late", "late-stick");
  EXPECT_TRUE(guest
                  .retry("[ \"$(grep -c 'import: .* imported, .* unchanged, .* failed' "
                         "/var/log/messages)\" -ge 3 ]",
                         180s, 2000ms)
                  .ok())
      << guest.console_tail(3000);
  EXPECT_NE(guest.console().find("found berth/ on /dev/sd"), std::string::npos);
  EXPECT_EQ(guest.check("plain hot plugged", 60s).output, "hot plugged\n");
}

// Sticks an attacker made (tests/fixtures/crafted_archives.hpp): one present at boot, one
// plugged in later. Every bad archive is refused in one line and the boot goes on; the good
// archives beside them are imported; nothing from them runs on the host, takes a command
// name or a trusted image's reference, goes on PATH or gets a privilege.
TEST_F(Import, CraftedSticksGetNothingButTheirGoodImages) {
  if (const std::string missing = missing_boot_inputs(BootMode::SeabiosCd); !missing.empty()) {
    GTEST_SKIP() << missing;
  }
  const fs::path crafted = import_fixtures() / "crafted";
  if (!fs::is_directory(crafted)) GTEST_SKIP() << "no crafted archives in " << crafted;
  std::vector<fs::path> at_boot;
  for (const char* name : {"fifo-index.tar", "shadow-link.tar", "device.tar", "self-index.tar",
                           "deep-index.tar", "bad-digest.tar", "control-label.tar", "good.tar"}) {
    at_boot.push_back(crafted / name);
  }
  const std::string payload = "#!/bin/sh\ntouch /tmp/berth-pwned-bin\necho pwned\n";
  const fs::path boot_stick =
      media_disk(dir_, "evil", "ext4", at_boot, {{"hello", payload}, {"ls", payload}}, "EVIL",
                 {{"shadow", "/etc/shadow"}});
  const fs::path later = media_disk(dir_, "evil-later", "vfat", {crafted / "takeover.tar"},
                                    {{"greeting", payload}}, "EVIL2");

  // From the CD: the boot medium brings example/hello, whose name the second stick wants.
  GuestOptions options = berth_guest(BootMode::SeabiosCd);
  options.disks.push_back({boot_stick, true, "usb-evil"});
  options.monitor_socket = dir_.path() / "monitor.sock";
  QemuGuest guest(options);
  guest.wait_for_shell();
  wait_for_docker(guest);
  wait_for_boot_import(guest);
  const std::string& console = guest.console();
  for (const char* line : {
           "fifo-index.tar: failed: it holds a FIFO (index.json)",
           "shadow-link.tar: failed: it holds a symbolic link in place of an index file "
           "(manifest.json",
           "device.tar: failed: it holds a device (mem)",
           "self-index.tar: failed: bad OCI layout: its index lists itself (a loop)",
           "deep-index.tar: failed: bad OCI layout: its indexes are nested more than 4 deep",
           "bad-digest.tar: failed: bad OCI layout: a descriptor's digest is not sha256:",
           "control-label.tar: done (example/sneaky:latest)",
           "good.tar: done (example/stickgood:latest)",
           "\"EVIL\" is not put on PATH: the source is not trusted; allow it with 'berth trust "
           "EVIL'",
       }) {
    EXPECT_NE(console.find(line), std::string::npos) << line << "\n" << guest.console_tail(6000);
  }
  // The boot medium's images and commands are as the build made them.
  EXPECT_EQ(guest.check("hello --greeting=ahoy", 120s).output, "ahoy\n");
  EXPECT_EQ(guest.check("echo ok | cat").output, "ok\n");
  EXPECT_TRUE(guest.run("[ ! -e /run/berth/bin/hello ] && [ ! -e /run/berth/bin/shadow ]").ok());
  // The good image's command runs, as nobody; the sneaky labels are ignored, not run.
  EXPECT_EQ(guest.check("cd /tmp && stickgood 'id -u'", 120s).output, "65534\n");
  const std::string sneaky = guest.run("cd /tmp && sneaky 'pwd' 2>&1", 120s).output;
  EXPECT_NE(sneaky.find("label io.whalebrew.config.working_dir is not usable"), std::string::npos)
      << sneaky;
  EXPECT_NE(sneaky.find("\n/tmp\n"), std::string::npos) << sneaky;

  // The second stick, plugged in now.
  plug_usb_stick(options.monitor_socket, later, "late", "evil-later");
  EXPECT_TRUE(guest.retry("grep -q 'takeover.tar: done' /var/log/messages", 180s, 2000ms).ok())
      << guest.console_tail(4000);
  EXPECT_TRUE(guest
                  .retry("[ \"$(grep -c 'import: .* imported, .* unchanged, .* failed' "
                         "/var/log/messages)\" -ge 2 ]",
                         120s, 2000ms)
                  .ok());
  const std::string messages = guest.check("grep berth-import /var/log/messages").output;
  for (const char* line : {
           "takeover.tar: example/hello:latest is the name of an image from a trusted source; it "
           "stays with that one",
           "aaa/hello:latest: 'hello' is taken, so its command is 'aaa-hello'",
           "berth/bin/ on /dev/sd",
       }) {
    EXPECT_NE(messages.find(line), std::string::npos) << line << "\n" << messages;
  }
  // `hello` is still the boot medium's, and the stick's image runs without what it asked:
  // no host root at /host, no privileges, no published port, nobody's uid.
  EXPECT_EQ(guest.check("hello --greeting=still", 120s).output, "still\n");
  EXPECT_FALSE(guest.run("command -v greeting").ok());
  const std::string taken =
      guest.run("cd /tmp && aaa-hello 'id -u; ls /host/etc 2>&1 | head -n 1' 2>/dev/null", 120s)
          .output;
  EXPECT_EQ(taken.substr(0, 6), "65534\n") << taken;
  EXPECT_NE(taken.find("No such file or directory"), std::string::npos) << taken;
  const std::string images = guest.check("berth images").output;
  EXPECT_NE(images.find("untrusted  --privileged, device /dev/mem, volume /:/host, port "
                        "8090:80, network host, the display"),
            std::string::npos)
      << images;
  // Nothing from either stick ran on the host.
  EXPECT_TRUE(guest.run("! ls /tmp/berth-pwned* 2>/dev/null").ok())
      << guest.run("ls -l /tmp").output;
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
