// link_or_copy: the same bytes at the target, a link where the file system allows, and a
// link already at the target replaced rather than written through; lstat_of: a link's own
// status, and a one-line error naming the path; replace_in_root: a plugin's own build over
// a packaged file, a link there replaced rather than followed. (resolve_in_root and the rest of
// root_paths.hpp: sdk_root_paths_test.cpp.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "berth/sdk/files.hpp"
#include "berth/sdk/testing/temp_dir.hpp"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(SdkLinkOrCopy, LinksOnOneFileSystem) {
  TempDir dir;
  const fs::path from = dir.write("big.squashfs", "image bytes");
  fs::create_directories(dir.path() / "initrd");
  EXPECT_TRUE(link_or_copy(from, dir.path() / "initrd/base.squashfs"));
  EXPECT_EQ(dir.read("initrd/base.squashfs"), "image bytes");
  EXPECT_EQ(fs::hard_link_count(from), 2u);
}

TEST(SdkLinkOrCopy, ReplacesWhatIsThere) {
  TempDir dir;
  const fs::path from = dir.write("new.deb", "new");
  dir.write("cache/old.deb", "old");
  link_or_copy(from, dir.path() / "cache/old.deb");
  EXPECT_EQ(dir.read("cache/old.deb"), "new");
}

TEST(SdkLinkOrCopy, ALinkAtTheTargetIsReplacedNotWrittenThrough) {
  TempDir dir;
  const fs::path from = dir.write("archive.tar", "archive");
  const fs::path outside = dir.write("outside/precious", "keep me");
  fs::create_directories(dir.path() / "iso");
  fs::create_symlink(outside, dir.path() / "iso/archive.tar");
  link_or_copy(from, dir.path() / "iso/archive.tar");
  EXPECT_FALSE(fs::is_symlink(dir.path() / "iso/archive.tar"));
  EXPECT_EQ(dir.read("iso/archive.tar"), "archive");
  EXPECT_EQ(dir.read("outside/precious"), "keep me");
}

TEST(SdkLinkOrCopy, FailureNamesBothPaths) {
  TempDir dir;
  try {
    link_or_copy(dir.path() / "missing.deb", dir.path() / "target.deb");
    FAIL() << "a missing source was linked";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("missing.deb"), std::string::npos) << message;
    EXPECT_NE(message.find("target.deb"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "target.deb"));
}

TEST(SdkLstatOf, ALinkIsNotFollowed) {
  TempDir dir;
  const fs::path file = dir.write("file", "12345");
  fs::create_symlink("file", dir.path() / "link");
  const struct stat of_file = lstat_of(file);
  EXPECT_TRUE(S_ISREG(of_file.st_mode));
  EXPECT_EQ(of_file.st_size, 5);
  EXPECT_TRUE(S_ISLNK(lstat_of(dir.path() / "link").st_mode));
  // A dangling link has a status of its own too.
  fs::remove(file);
  EXPECT_TRUE(S_ISLNK(lstat_of(dir.path() / "link").st_mode));
}

TEST(SdkLstatOf, AMissingPathIsAnErrorNamingIt) {
  TempDir dir;
  try {
    lstat_of(dir.path() / "missing");
    FAIL() << "a missing path had a status";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("missing"), std::string::npos) << message;
    EXPECT_NE(message.find("No such file"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(SdkReplaceInRoot, BuiltFileOrLinkTakesThePlace) {
  TempDir dir;
  const fs::path root = dir.path() / "rootfs";
  dir.write("rootfs/usr/sbin/tool", "debian");
  const fs::path outside = dir.write("outside/precious", "keep me");
  fs::create_directories(root / "usr/lib");
  fs::create_symlink(outside, root / "usr/lib/libtool.so.1");
  const fs::path built = dir.write("built/tool", "ours");
  fs::permissions(built, fs::perms(0755));
  fs::create_symlink("libtool.so.1.2", dir.path() / "built/libtool.so.1");

  replace_in_root(root, "/usr/sbin/tool", built);
  replace_in_root(root, "/usr/lib/libtool.so.1", dir.path() / "built/libtool.so.1");
  replace_in_root(root, "/usr/bin/new", built);
  EXPECT_EQ(dir.read("rootfs/usr/sbin/tool"), "ours");
  EXPECT_EQ(lstat_of(root / "usr/sbin/tool").st_mode & 07777, 0755u);
  EXPECT_EQ(fs::read_symlink(root / "usr/lib/libtool.so.1"), "libtool.so.1.2");
  EXPECT_EQ(dir.read("outside/precious"), "keep me");
  EXPECT_EQ(dir.read("rootfs/usr/bin/new"), "ours");
}

}  // namespace
}  // namespace berth::sdk
