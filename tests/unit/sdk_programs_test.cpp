// require_programs: a program the on-target scripts run is a regular file in the rootfs,
// found as the target finds it (links on the way resolved inside the image), never an
// applet link and never the build host's file.
#include <gtest/gtest.h>

#include "berth/sdk/programs.hpp"
#include "berth/sdk/testing/temp_dir.hpp"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const std::vector<RequiredProgram> kPrograms = {{"/sbin/cryptsetup", "cryptsetup-bin"},
                                                {"/usr/bin/tar", "tar"}};

TEST(SdkRequiredPrograms, FoundThroughTheImagesOwnLinks) {
  TempDir dir;
  const fs::path root = dir.path() / "rootfs";
  dir.write("rootfs/usr/sbin/cryptsetup", "elf");
  dir.write("rootfs/usr/bin/tar", "elf");
  fs::create_symlink("usr/sbin", root / "sbin");
  EXPECT_EQ(first_missing_program(root, kPrograms), nullptr);
  EXPECT_NO_THROW(require_programs(root, kPrograms));
}

TEST(SdkRequiredPrograms, AnAppletLinkOrTheHostsFileIsMissing) {
  TempDir dir;
  const fs::path root = dir.path() / "rootfs";
  const fs::path host_sbin = dir.path() / "host-sbin";
  dir.write("host-sbin/cryptsetup", "the build host's");
  dir.write("rootfs/usr/bin/busybox", "elf");
  fs::create_symlink(host_sbin, root / "sbin");  // absolute: the image's own /<host-sbin>
  fs::create_symlink("busybox", root / "usr/bin/tar");
  EXPECT_EQ(first_missing_program(root, kPrograms), &kPrograms[0]);
  dir.write("rootfs" + host_sbin.string() + "/cryptsetup", "elf");
  EXPECT_EQ(first_missing_program(root, kPrograms), &kPrograms[1]);
  try {
    require_programs(root, kPrograms);
    FAIL() << "an applet link passed for GNU tar";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "no /usr/bin/tar in the rootfs: add tar to [bootstrap] packages");
  }
}

}  // namespace
}  // namespace berth::sdk
