// boot-grub2: the menu, the early config, GRUB quoting, kernel parameters and how the
// medium id reaches the kernel.
#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "grub_config.hpp"
#include "kernel_cmdline.hpp"

namespace {

using namespace berth::boot_grub2;
using Words = std::vector<std::string>;

TEST(SplitKernelCmdline, SplitsAtBlanksOutsideQuotes) {
  EXPECT_EQ(split_kernel_cmdline("  quiet\tloglevel=3\n foo=\"a b\"  "),
            (Words{"quiet", "loglevel=3", "foo=\"a b\""}));
  EXPECT_EQ(split_kernel_cmdline(""), Words{});
  EXPECT_EQ(split_kernel_cmdline("\"whole word\""), Words{"\"whole word\""});
}

TEST(SplitKernelCmdline, RejectsWhatTheKernelOrGrubWouldMisread) {
  EXPECT_THROW(split_kernel_cmdline("foo=\"a b"), berth::sdk::Error);
  EXPECT_THROW(split_kernel_cmdline("foo=\"a\nb\""), berth::sdk::Error);
  EXPECT_THROW(split_kernel_cmdline("bell=\a"), berth::sdk::Error);
}

TEST(GrubLinuxArg, DropsTheKernelsQuotesBecauseGrubAddsItsOwn) {
  EXPECT_EQ(grub_linux_arg("console=ttyS0,115200"), "console=ttyS0,115200");
  EXPECT_EQ(grub_linux_arg("foo=\"a b\""), "foo=a b");
  EXPECT_EQ(grub_linux_arg("\"foo=a b\""), "foo=a b");
  EXPECT_EQ(grub_linux_arg("foo=\"\""), "foo=");
}

TEST(GrubLinuxArg, RejectsWhatGrubWouldEscapeWithABackslash) {
  EXPECT_THROW(grub_linux_arg("it's"), berth::sdk::Error);
  EXPECT_THROW(grub_linux_arg("path=a\\b"), berth::sdk::Error);
  EXPECT_THROW(grub_linux_arg("a\"b c\"d"), berth::sdk::Error);
  EXPECT_THROW(grub_linux_arg("a=\"b\"c"), berth::sdk::Error);
  EXPECT_THROW(grub_linux_arg("a=b\"c d\""), berth::sdk::Error);
  // The kernel keeps these quotes in the value; GRUB cannot hand them over unescaped.
  EXPECT_THROW(grub_linux_arg("a=b=\"c d\""), berth::sdk::Error);
}

TEST(KernelParams, SerialConsoleComesLastBeforeTheUsersOwn) {
  EXPECT_EQ(kernel_params(true, {"quiet"}),
            (Words{"console=tty0", "console=ttyS0,115200", "quiet"}));
  EXPECT_EQ(kernel_params(false, {"quiet"}), Words{"quiet"});
  EXPECT_EQ(kernel_params(false, {}), Words{});
  EXPECT_EQ(join_cmdline(kernel_params(true, {"a=1", "b"})),
            "console=tty0 console=ttyS0,115200 a=1 b");
}

TEST(GrubWord, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(grub_word("console=ttyS0,115200"), "console=ttyS0,115200");
  EXPECT_EQ(grub_word("/berth/boot/vmlinuz"), "/berth/boot/vmlinuz");
  EXPECT_EQ(grub_word("Berth (debug)"), "'Berth (debug)'");
  EXPECT_EQ(grub_word("foo=\"a b\""), "'foo=\"a b\"'");
  EXPECT_EQ(grub_word("$root"), "'$root'");
  EXPECT_EQ(grub_word("a;b"), "'a;b'");
  EXPECT_EQ(grub_word("it's"), "'it'\\''s'");
  EXPECT_EQ(grub_word(""), "''");
}

TEST(MenuEntries, DefaultNoPersistenceAndDebug) {
  const auto entries = menu_entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].title, "Berth");
  EXPECT_TRUE(entries[0].params.empty());
  EXPECT_EQ(entries[1].title, "Berth (no persistence)");
  EXPECT_EQ(entries[1].params, Words{"berth.data=none"});
  EXPECT_EQ(entries[2].title, "Berth (debug)");
  EXPECT_EQ(entries[2].params, Words{"berth.debug"});
}

TEST(GrubCfg, EveryEntryBootsTheKernelAndInitrdWithItsParameters) {
  const std::string cfg =
      grub_cfg({7, {"console=tty0", "console=ttyS0,115200", "x=\"a b\""}, menu_entries()});
  // GRUB puts x=a b back in quotes for the kernel: "x=a b".
  EXPECT_NE(cfg.find("set default=berth\n"), std::string::npos);
  EXPECT_NE(cfg.find("set timeout=7\n"), std::string::npos);
  const std::string common =
      "  linux /berth/boot/vmlinuz berth.medium=${berth_medium} console=tty0 "
      "console=ttyS0,115200 'x=a b'";
  EXPECT_NE(cfg.find("menuentry Berth --id berth {\n" + common +
                     "\n"
                     "  initrd /berth/boot/initrd.img\n}\n"),
            std::string::npos)
      << cfg;
  EXPECT_NE(cfg.find("menuentry 'Berth (no persistence)' --id berth-nodata {\n" + common +
                     " berth.data=none\n  initrd /berth/boot/initrd.img\n}\n"),
            std::string::npos)
      << cfg;
  EXPECT_NE(cfg.find("menuentry 'Berth (debug)' --id berth-debug {\n" + common +
                     " berth.debug\n  initrd /berth/boot/initrd.img\n}\n"),
            std::string::npos)
      << cfg;
}

TEST(GrubCfg, TimeoutMinusOneWaitsAndZeroBootsAtOnce) {
  EXPECT_NE(grub_cfg({-1, {}, menu_entries()}).find("set timeout=-1\n"), std::string::npos);
  EXPECT_NE(grub_cfg({0, {}, menu_entries()}).find("set timeout=0\n"), std::string::npos);
  // Without parameters the linux line holds just the kernel and the medium.
  EXPECT_NE(grub_cfg({0, {}, menu_entries()})
                .find("  linux /berth/boot/vmlinuz berth.medium=${berth_medium}\n"),
            std::string::npos);
}

TEST(GrubCfg, PassesTheMediumAsAVariableGrubExpands) {
  const std::string cfg = grub_cfg({5, {"quiet"}, menu_entries()});
  // Every entry, unquoted (GRUB expands nothing in single quotes), before the other
  // parameters so that a berth.medium= of the user's comes later and wins.
  std::size_t count = 0;
  for (auto at = cfg.find(" berth.medium=${berth_medium} quiet"); at != std::string::npos;
       at = cfg.find(" berth.medium=${berth_medium} quiet", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, menu_entries().size()) << cfg;
}

TEST(MediumIdFile, LivesInTheBootDirectory) {
  EXPECT_EQ(medium_id_file("0123456789abcdef"), "/berth/boot/0123456789abcdef.id");
}

TEST(EarlyConfig, FindsTheMediumByItsIdFileAndTellsTheMenuItsId) {
  const std::string cfg = early_config("0123456789abcdef", false);
  EXPECT_EQ(cfg,
            "search --no-floppy --set=root --file /berth/boot/0123456789abcdef.id\n"
            "set prefix=($root)/berth/boot/grub\n"
            "set berth_medium=0123456789abcdef\n"
            "export berth_medium\n");
  // Never the file every GRUB medium (and GRUB's own memdisk) has.
  EXPECT_EQ(cfg.find("grub.cfg"), std::string::npos);
}

TEST(EarlyConfig, SerialTerminalIsSetUpBeforeTheSearch) {
  const std::string cfg = early_config("x", true);
  const auto serial = cfg.find("serial --unit=0 --speed=115200\n");
  const auto input = cfg.find("terminal_input console serial\n");
  const auto output = cfg.find("terminal_output console serial\n");
  const auto search = cfg.find("search ");
  ASSERT_NE(serial, std::string::npos);
  ASSERT_NE(input, std::string::npos);
  ASSERT_NE(output, std::string::npos);
  EXPECT_LT(serial, input);
  EXPECT_LT(output, search);
  // The rescue parser runs this config: no shell constructs.
  EXPECT_EQ(cfg.find("if "), std::string::npos);
}

TEST(LoopbackCfg, BootsTheIsoFileWithItsPathAndTheFilesystemUuid) {
  const std::string cfg =
      loopback_cfg({5, {"console=ttyS0,115200", "foo=\"a b\""}, menu_entries()});
  // The filesystem holding the ISO, found by the file and named by its UUID.
  EXPECT_NE(cfg.find("search --no-floppy --set=berth_iso_dev --file \"${iso_path}\""),
            std::string::npos)
      << cfg;
  EXPECT_NE(cfg.find("probe --set=berth_iso_uuid --fs-uuid \"${berth_iso_dev}\""),
            std::string::npos);
  EXPECT_NE(cfg.find("set berth_iso_spec=\"UUID=${berth_iso_uuid}:\""), std::string::npos);
  // Menu entries only see exported variables.
  EXPECT_NE(cfg.find("export berth_iso_spec\n"), std::string::npos);
  EXPECT_NE(cfg.find("linux /berth/boot/vmlinuz \"berth.iso=${berth_iso_spec}${iso_path}\" "
                     "console=ttyS0,115200 'foo=a b'\n  initrd /berth/boot/initrd.img\n"),
            std::string::npos)
      << cfg;
  EXPECT_NE(cfg.find("\"berth.iso=${berth_iso_spec}${iso_path}\" console=ttyS0,115200 'foo=a b' "
                     "berth.data=none\n"),
            std::string::npos);
  EXPECT_NE(cfg.find("set default=berth\nset timeout=5\n"), std::string::npos);
  // Not the medium variable: the early config that sets it never ran.
  EXPECT_EQ(cfg.find("berth.medium"), std::string::npos);
  EXPECT_EQ(std::string(kLoopbackCfgPath), "/boot/grub/loopback.cfg");
}

TEST(LoopbackCfg, SaysSoWhenIsoPathIsMissing) {
  const std::string cfg = loopback_cfg({5, {}, menu_entries()});
  EXPECT_NE(cfg.find("if [ -z \"${iso_path}\" ]; then\n  echo"), std::string::npos) << cfg;
}

TEST(LoopbackCfg, RejectsParametersGrubCannotPass) {
  EXPECT_THROW(loopback_cfg({5, {"it's"}, menu_entries()}), berth::sdk::Error);
}

}  // namespace
