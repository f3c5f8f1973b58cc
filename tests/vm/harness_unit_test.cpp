// Unit tests of the VM harness parts that need no VM: console text handling, the qemu command
// line and the child process plumbing (with ordinary host programs).
#include <gtest/gtest.h>

#include <algorithm>
#include <berth/sdk/error.hpp>
#include <filesystem>
#include <fstream>

#include "child_process.hpp"
#include "console_text.hpp"
#include "qemu_command.hpp"

namespace berth::vm {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool has(const std::vector<std::string>& args, const std::string& value) {
  return std::find(args.begin(), args.end(), value) != args.end();
}

// The value following `flag` for every occurrence of it.
std::vector<std::string> values_of(const std::vector<std::string>& args, const std::string& flag) {
  std::vector<std::string> values;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) values.push_back(args[i + 1]);
  }
  return values;
}

bool any_contains(const std::vector<std::string>& values, const std::string& part) {
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& v) { return v.find(part) != std::string::npos; });
}

TEST(ConsoleText, CleansCarriageReturnsAndEscapes) {
  EXPECT_EQ(clean_console("a\r\n\x1b[6n~ # \x1b[0m\x1b]0;title\a", false), "a\n~ # ");
}

TEST(ConsoleText, DropsKernelMessagesEvenMidLine) {
  const std::string raw =
      "[    3.123456] virtio_blk virtio1: [vda] 20 512-byte logical blocks\r\n"
      "hel[   12.000001] random: crng init done\r\nlo\r\n";
  EXPECT_EQ(clean_console(raw, true), "hello\n");
  EXPECT_EQ(clean_console(raw, false).find("crng") != std::string::npos, true);
  // Not a kernel timestamp (five decimals) and an unfinished message stay.
  EXPECT_EQ(clean_console("[1.12345] x\n[ 2.000000] partial", true),
            "[1.12345] x\n[ 2.000000] partial");
}

TEST(ConsoleText, TheTypedLineNeverHoldsTheMarkers) {
  const std::string typed = wrap_command("uname -a", "42_7");
  EXPECT_EQ(typed.find("__B_42_7__"), std::string::npos);
  EXPECT_EQ(typed.find("__E_42_7__"), std::string::npos);
  EXPECT_NE(typed.find("uname -a\n}"), std::string::npos);  // a trailing # comment stays harmless
  EXPECT_NE(typed.find("</dev/null"), std::string::npos);
  // The console echoes what was typed before the command prints anything.
  const std::string console =
      clean_console(typed + "__B_42_7__\r\nLinux berth\r\n__E_42_7__ 0\r\n# ", true);
  const auto found = find_command_output(console, "42_7");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->output, "Linux berth\n");
  EXPECT_EQ(found->status, 0);
}

TEST(ConsoleText, WaitsForTheWholeStatus) {
  EXPECT_FALSE(find_command_output("__B_1_1__\nx\n__E_1_1__ 12", "1_1"));
  EXPECT_FALSE(find_command_output("__B_1_1__\nx\n__E_1_1__ ", "1_1"));
  EXPECT_FALSE(find_command_output("x\n__E_1_1__ 0\n", "1_1"));  // no begin marker
  const auto found = find_command_output("__B_1_1__\nno newline__E_1_1__ 127\n", "1_1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->output, "no newline");
  EXPECT_EQ(found->status, 127);
  // Another command's markers do not count.
  EXPECT_FALSE(find_command_output("__B_1_2__\nx\n__E_1_2__ 0\n", "1_1"));
}

TEST(ConsoleText, TailIsPrintableAndBounded) {
  const std::string raw = std::string(5000, 'a') + "\x01z\r\n";
  const std::string tail = printable_tail(raw, 100);
  EXPECT_LE(tail.size(), 104u);
  EXPECT_NE(tail.find("\\x01z\n"), std::string::npos);
  EXPECT_EQ(last_line("a\nb\n~ # "), "~ # ");
}

GuestOptions options_for(BootMode mode) {
  GuestOptions o;
  o.mode = mode;
  o.iso = "/in/berth.iso";
  o.kernel = "/in/vmlinuz";
  o.initrd = "/in/initrd.img";
  o.append = "console=ttyS0,115200 quiet";
  return o;
}

TEST(QemuCommand, CommonPartsInEveryMode) {
  for (const BootMode mode : {BootMode::SeabiosCd, BootMode::SeabiosUsb, BootMode::OvmfCd,
                              BootMode::OvmfUsb, BootMode::DirectKernel}) {
    GuestOptions o = options_for(mode);
    o.memory_mib = 512;
    const auto args = qemu_arguments(o, "/scratch/vars.fd");
    SCOPED_TRACE(to_string(mode));
    EXPECT_EQ(args.front(), "qemu-system-x86_64");
    EXPECT_EQ(values_of(args, "-machine"), std::vector<std::string>{"pc"});
    EXPECT_EQ(values_of(args, "-accel"), std::vector<std::string>{"tcg,thread=single"});
    EXPECT_FALSE(has(args, "-cpu"));
    EXPECT_FALSE(has(args, "-enable-kvm"));
    EXPECT_EQ(values_of(args, "-smp"), std::vector<std::string>{"2"});
    EXPECT_EQ(values_of(args, "-m"), std::vector<std::string>{"512"});
    EXPECT_EQ(values_of(args, "-display"), std::vector<std::string>{"none"});
    EXPECT_EQ(values_of(args, "-serial"), std::vector<std::string>{"chardev:console"});
    EXPECT_EQ(values_of(args, "-netdev"), std::vector<std::string>{"user,id=n0,restrict=on"});
    EXPECT_TRUE(any_contains(values_of(args, "-device"), "virtio-net-pci,netdev=n0"));
    const bool ovmf = mode == BootMode::OvmfCd || mode == BootMode::OvmfUsb;
    EXPECT_EQ(uses_ovmf(mode), ovmf);
    EXPECT_EQ(any_contains(values_of(args, "-drive"), "if=pflash"), ovmf);
    EXPECT_EQ(has(args, "-kernel"), mode == BootMode::DirectKernel);
  }
}

TEST(QemuCommand, InstalledDiskBootsTheFirstDiskWithoutAnIso) {
  for (const BootMode mode : {BootMode::SeabiosDisk, BootMode::OvmfDisk}) {
    SCOPED_TRACE(to_string(mode));
    GuestOptions o = options_for(mode);
    EXPECT_THROW(check_inputs(o), sdk::Error);  // nothing to boot
    o.disks.push_back({"/in/installed.img", false, "installed", true});
    o.disks.push_back({"/in/other.img", false, "other", true});
    const auto args = qemu_arguments(o, "/scratch/vars.fd");
    const auto devices = values_of(args, "-device");
    EXPECT_TRUE(any_contains(devices, "drive=disk0,serial=installed,bootindex=0"));
    EXPECT_FALSE(any_contains(devices, "drive=disk1,serial=other,bootindex"));
    EXPECT_FALSE(any_contains(values_of(args, "-drive"), "berth.iso"));
    EXPECT_FALSE(has(args, "-kernel"));
    EXPECT_EQ(any_contains(values_of(args, "-drive"), "if=pflash"), mode == BootMode::OvmfDisk);
  }
}

TEST(QemuCommand, FirmwareAndMedia) {
  const auto cd = qemu_arguments(options_for(BootMode::SeabiosCd), "");
  EXPECT_TRUE(any_contains(values_of(cd, "-drive"), "media=cdrom,readonly=on,file=/in/berth.iso"));
  EXPECT_TRUE(any_contains(values_of(cd, "-device"), "ide-cd,drive=cd0,bootindex=0"));

  const auto usb = qemu_arguments(options_for(BootMode::OvmfUsb), "/scratch/vars.fd");
  EXPECT_TRUE(any_contains(values_of(usb, "-device"), "qemu-xhci,id=usb"));
  EXPECT_TRUE(any_contains(values_of(usb, "-device"), "usb-storage,bus=usb.0,drive=stick"));
  EXPECT_TRUE(any_contains(values_of(usb, "-drive"), "format=raw,snapshot=on,file=/in/berth.iso"));
  EXPECT_TRUE(any_contains(values_of(usb, "-drive"),
                           "unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"));
  EXPECT_TRUE(any_contains(values_of(usb, "-drive"), "unit=1,file=/scratch/vars.fd"));

  const auto direct = qemu_arguments(options_for(BootMode::DirectKernel), "");
  EXPECT_EQ(values_of(direct, "-append"), std::vector<std::string>{"console=ttyS0,115200 quiet"});
  EXPECT_EQ(values_of(direct, "-initrd"), std::vector<std::string>{"/in/initrd.img"});
  EXPECT_FALSE(any_contains(values_of(direct, "-drive"), "berth.iso"));
}

TEST(QemuCommand, DisksAndForwards) {
  GuestOptions o = options_for(BootMode::DirectKernel);
  o.disks = {{"/f/image,1.tar", true, "berth-test-image"},
             {"/f/scratch.img", false, ""},
             {"/f/data.img", false, "data", true}};
  o.extra_args = {"-d", "guest_errors"};
  o.forwards = {{18080, 8080}, {2222, 22}};
  const auto args = qemu_arguments(o, "");
  const auto drives = values_of(args, "-drive");
  EXPECT_TRUE(any_contains(drives, "id=disk0,format=raw,readonly=on,file=/f/image,,1.tar"));
  EXPECT_TRUE(any_contains(drives, "id=disk1,format=raw,snapshot=on,file=/f/scratch.img"));
  EXPECT_TRUE(any_contains(drives, "id=disk2,format=raw,file=/f/data.img"));
  EXPECT_TRUE(any_contains(values_of(args, "-device"),
                           "virtio-blk-pci,drive=disk0,serial=berth-test-image"));
  EXPECT_TRUE(has(values_of(args, "-device"), "virtio-blk-pci,drive=disk1"));
  EXPECT_EQ(args.back(), "guest_errors");
  EXPECT_EQ(values_of(args, "-netdev"),
            std::vector<std::string>{"user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:18080-:8080,"
                                     "hostfwd=tcp:127.0.0.1:2222-:22"});
}

TEST(QemuCommand, TheMachineKeepsItsStandardVgaScreen) {
  // The console GUI test looks at the std VGA through the monitor's screendump: no window,
  // but no -vga none or -nographic either.
  GuestOptions o = options_for(BootMode::SeabiosCd);
  o.monitor_socket = "/scratch/monitor.sock";
  const auto args = qemu_arguments(o, "");
  EXPECT_FALSE(has(args, "-vga"));
  EXPECT_FALSE(has(args, "-nographic"));
  EXPECT_EQ(values_of(args, "-display"), std::vector<std::string>{"none"});
  EXPECT_EQ(values_of(args, "-monitor"),
            std::vector<std::string>{"unix:/scratch/monitor.sock,server=on,wait=off"});
}

TEST(QemuCommand, MissingInputsAreNamed) {
  GuestOptions o = options_for(BootMode::SeabiosCd);
  o.iso = "/nonexistent/berth.iso";
  try {
    check_inputs(o);
    FAIL() << "expected an error";
  } catch (const sdk::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/berth.iso"), std::string::npos);
  }
  o = options_for(BootMode::DirectKernel);
  o.kernel = "/nonexistent/vmlinuz";
  EXPECT_THROW(check_inputs(o), sdk::Error);
}

class ChildProcessTest : public ::testing::Test {
 protected:
  fs::path err_ =
      fs::temp_directory_path() / ("berth-child-test-" + std::to_string(::getpid()) + ".stderr");
  void TearDown() override { fs::remove(err_); }
};

TEST_F(ChildProcessTest, TalksThroughStdio) {
  ChildProcess child({"sh", "-c", "read line; echo \"got $line\"; echo oops >&2; exit 3"}, err_);
  child.write("hello\n");
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (child.read(out, 100ms) && std::chrono::steady_clock::now() < deadline) {
  }
  EXPECT_EQ(out, "got hello\n");
  EXPECT_EQ(child.wait_exit(10s), 3);
  std::ifstream err(err_);
  std::string line;
  std::getline(err, line);
  EXPECT_EQ(line, "oops");
}

TEST_F(ChildProcessTest, TerminateEndsAStubbornChild) {
  ChildProcess child({"sh", "-c", "trap '' TERM; exec sleep 60"}, err_);
  std::string out;
  child.read(out, 200ms);
  EXPECT_FALSE(child.poll_exit());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(child.terminate(), 128 + 9);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
}

TEST_F(ChildProcessTest, AMissingProgramExitsWith127) {
  ChildProcess child({"/nonexistent/qemu"}, err_);
  EXPECT_EQ(child.wait_exit(10s), 127);
}

}  // namespace
}  // namespace berth::vm
