// install-disk's build check: the programs `berth install` runs must be real programs in
// the rootfs, not missing and not busybox applets, or the build names the package to add.
#include <gtest/gtest.h>

#include "required_programs.hpp"
#include "test_support.hpp"

namespace berth::install_disk {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

TEST(InstallDiskPrograms, NamesThePackageOfAMissingOrBusyboxProgram) {
  TempDir root;
  for (const auto& program : required_programs()) root.write(program.path.substr(1), "");
  EXPECT_EQ(first_missing_program(root.path()), nullptr);

  // busybox's mkfs.vfat cannot make the FAT32 ESP with the options `berth install` uses.
  fs::remove(root.path() / "usr/sbin/mkfs.fat");
  fs::create_symlink("/usr/bin/busybox", root.path() / "usr/sbin/mkfs.fat");
  const RequiredProgram* missing = first_missing_program(root.path());
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->path, "/usr/sbin/mkfs.fat");
  EXPECT_EQ(missing->package, "dosfstools");

  fs::remove(root.path() / "usr/sbin/sfdisk");
  EXPECT_EQ(first_missing_program(root.path())->package, "fdisk");
}

}  // namespace
}  // namespace berth::install_disk
