// The fast image's files: every name of each file a plugin named, laid out with the
// rootfs's directories, and the base image's exclude list.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "berth/sdk/error.hpp"
#include "fast_image.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;
using test::write_file;

struct stat stat_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info;
}

TEST(FsSquashfsFastImage, PathsAreOnePerLineWithoutRepeats) {
  EXPECT_EQ(parse_fast_paths("/usr/bin/containerd\n\n/usr/sbin/dockerd\n/usr/bin/containerd\n"),
            (std::vector<std::string>{"/usr/bin/containerd", "/usr/sbin/dockerd"}));
  EXPECT_TRUE(parse_fast_paths("").empty());
}

// A name through the merged-/usr link, the other hard links of the same file found, a
// symbolic link to it left where it is (it costs nothing in the base image).
TEST(FsSquashfsFastImage, EveryHardLinkOfANamedFileGoesAlong) {
  TempDir root("fast-image-root");
  write_file(root.path() / "usr/bin/containerd", "engine");
  fs::create_directories(root.path() / "usr/sbin");
  fs::create_hard_link(root.path() / "usr/bin/containerd", root.path() / "usr/sbin/dockerd");
  fs::create_hard_link(root.path() / "usr/bin/containerd", root.path() / "usr/bin/docker");
  fs::create_symlink("containerd", root.path() / "usr/bin/ctr-like");
  fs::create_directory_symlink("usr/sbin", root.path() / "sbin");
  write_file(root.path() / "usr/bin/runc", "runc");

  const auto files = fast_image_files(root.path(), {"/sbin/dockerd"});
  EXPECT_EQ(files,
            (std::vector<fs::path>{"usr/bin/containerd", "usr/bin/docker", "usr/sbin/dockerd"}));
}

TEST(FsSquashfsFastImage, ANameThatIsNoFileFailsTheBuild) {
  TempDir root("fast-image-missing");
  fs::create_directories(root.path() / "usr/bin");
  for (const char* path : {"/usr/bin/dockerd", "/usr/bin"}) {
    try {
      fast_image_files(root.path(), {path});
      FAIL() << "accepted " << path;
    } catch (const sdk::Error& error) {
      EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    }
  }
}

TEST(FsSquashfsFastImage, TheTreeKeepsLinksModesAndOwners) {
  TempDir root("fast-image-tree");
  write_file(root.path() / "usr/bin/containerd", "engine");
  fs::create_directories(root.path() / "usr/sbin");
  fs::create_hard_link(root.path() / "usr/bin/containerd", root.path() / "usr/sbin/dockerd");
  fs::permissions(root.path() / "usr/sbin", fs::perms(0750));
  fs::permissions(root.path(), fs::perms(0755));
  TempDir work("fast-image-work");
  const fs::path tree = work.path() / "fast-root";

  lay_fast_tree(root.path(), tree, {"usr/bin/containerd", "usr/sbin/dockerd"});
  EXPECT_EQ(read_file(tree / "usr/sbin/dockerd"), "engine");
  const auto first = stat_of(tree / "usr/bin/containerd");
  const auto second = stat_of(tree / "usr/sbin/dockerd");
  EXPECT_EQ(first.st_ino, second.st_ino) << "the two names are one file in the tree";
  EXPECT_EQ(fs::status(tree / "usr/sbin").permissions(), fs::perms(0750));
  EXPECT_EQ(fs::status(tree).permissions(), fs::perms(0755));
  EXPECT_EQ(stat_of(tree / "usr").st_uid, stat_of(root.path() / "usr").st_uid);
}

TEST(FsSquashfsFastImage, ExcludeListIsOnePathPerLine) {
  EXPECT_EQ(exclude_list({"usr/bin/containerd", "usr/sbin/dockerd"}),
            "usr/bin/containerd\nusr/sbin/dockerd\n");
  EXPECT_THROW(exclude_list({"usr/bin/with\\backslash"}), sdk::Error);
  EXPECT_THROW(exclude_list({"usr/bin/trailing "}), sdk::Error);
}

}  // namespace
}  // namespace berth::fs_squashfs
