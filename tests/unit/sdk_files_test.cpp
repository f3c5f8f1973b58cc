// link_or_copy: the same bytes at the target, a link where the file system allows, and a
// link already at the target replaced rather than written through. resolve_in_root: a
// path as the target sees it, never leaving the image tree.
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

TEST(SdkResolveInRoot, LinksResolveInsideTheImage) {
  TempDir dir;
  const fs::path root = dir.path() / "rootfs";
  dir.write("rootfs/usr/lib/berth/lib.sh", "x");
  fs::create_directory_symlink("usr/lib", root / "lib");
  fs::create_symlink("/usr/lib/berth/lib.sh", root / "usr/lib/berth/alias.sh");
  EXPECT_EQ(resolve_in_root(root, "/lib/berth/alias.sh"), root / "usr/lib/berth/lib.sh");
  EXPECT_EQ(resolve_in_root(root, "/usr/../../../usr/lib/berth/lib.sh"),
            root / "usr/lib/berth/lib.sh");
}

TEST(SdkResolveInRoot, WhatTheImageLacksOrALoopIsNothing) {
  TempDir dir;
  const fs::path root = dir.path() / "rootfs";
  fs::create_directories(root / "etc");
  dir.write("outside.sh", "host file");
  // An absolute link means the image's root, so the build host's file is not found.
  fs::create_symlink(dir.path() / "outside.sh", root / "etc/host.sh");
  fs::create_symlink("b", root / "etc/a");
  fs::create_symlink("a", root / "etc/b");
  EXPECT_EQ(resolve_in_root(root, "/etc/host.sh"), std::nullopt);
  EXPECT_EQ(resolve_in_root(root, "/etc/a"), std::nullopt);
  EXPECT_EQ(resolve_in_root(root, "/etc/missing"), std::nullopt);
}

}  // namespace
}  // namespace berth::sdk
