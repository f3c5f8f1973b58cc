// kernel-deb: checks on the .deb file before it is unpacked.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "deb_file.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace berth::kernel_deb;

using berth::test::TempDir;
using berth::test::write_file;

// The start of an ar archive as dpkg-deb writes it: global header, then the header of
// the debian-binary member (name, mtime, uid, gid, mode, size, end marker) and its data.
std::string deb_head(const std::string& member_name) {
  std::string name = member_name;
  name.resize(16, ' ');
  return "!<arch>\n" + name + "0           0     0     100644  4         `\n2.0\n";
}

TEST(DebFile, RecognisesTheArchiveByItsFirstMember) {
  TempDir dir;
  write_file(dir.path() / "gnu.deb", deb_head("debian-binary"));
  write_file(dir.path() / "bsd.deb", deb_head("debian-binary/"));
  write_file(dir.path() / "lib.a", deb_head("foo.o/"));
  write_file(dir.path() / "text.deb", "Package: linux-image\n");
  write_file(dir.path() / "short.deb", "!<arch>\n");
  EXPECT_TRUE(is_deb_archive(dir.path() / "gnu.deb"));
  EXPECT_TRUE(is_deb_archive(dir.path() / "bsd.deb"));
  EXPECT_FALSE(is_deb_archive(dir.path() / "lib.a"));
  EXPECT_FALSE(is_deb_archive(dir.path() / "text.deb"));
  EXPECT_FALSE(is_deb_archive(dir.path() / "short.deb"));
  EXPECT_FALSE(is_deb_archive(dir.path() / "missing.deb"));
}

TEST(DebFile, ProblemsNameTheFile) {
  TempDir dir;
  const auto missing = dir.path() / "linux-image-6.1.deb";
  EXPECT_EQ(deb_file_problem(missing), missing.string() + " does not exist");
  EXPECT_EQ(deb_file_problem(dir.path()), dir.path().string() + " is not a file");
  write_file(dir.path() / "kernel.deb", "not an archive");
  EXPECT_EQ(deb_file_problem(dir.path() / "kernel.deb"),
            (dir.path() / "kernel.deb").string() + " is not a Debian package (.deb)");
  write_file(dir.path() / "good.deb", deb_head("debian-binary"));
  EXPECT_EQ(deb_file_problem(dir.path() / "good.deb"), std::nullopt);
}

TEST(DebFile, RelativePathsStartAtTheConfigDirectory) {
  EXPECT_EQ(resolve_deb_path("kernels/linux-image.deb", "/home/me/berth"),
            fs::path("/home/me/berth/kernels/linux-image.deb"));
  EXPECT_EQ(resolve_deb_path("../k.deb", "/home/me/berth"), fs::path("/home/me/k.deb"));
  EXPECT_EQ(resolve_deb_path("/srv/k.deb", "/home/me/berth"), fs::path("/srv/k.deb"));
}

}  // namespace
