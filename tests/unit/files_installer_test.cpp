// The core's installer of plugins' files/: what a plugin ships lands in the image tree with
// its modes, and a link in the image never carries a write outside it.
#include "files_installer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "berth/sdk/error.hpp"
#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;

fs::perms mode_of(const fs::path& path) {
  return fs::symlink_status(path).permissions();
}

std::string message_of(const fs::path& source, const fs::path& target) {
  try {
    install_files(source, target);
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return "";
}

class FilesInstaller : public ::testing::Test {
 protected:
  FilesInstaller() { fs::create_directories(image_); }
  TempDir top_;
  fs::path source_ = top_.path() / "files/rootfs";
  fs::path image_ = top_.path() / "rootfs";
  fs::path host_ = top_.path() / "host-etc";  // stands for the build host's /etc
};

TEST_F(FilesInstaller, InstallsFilesDirectoriesAndLinksWithTheirModes) {
  top_.write("files/rootfs/etc/berth/rc.d/40-service", "#!/bin/sh\necho hi\n");
  top_.write("files/rootfs/usr/lib/berth/lib.sh", "# shellcheck shell=sh\n");
  top_.write("files/rootfs/etc/secret", "s\n");
  fs::permissions(source_ / "etc/berth/rc.d/40-service", fs::perms(0755));
  fs::permissions(source_ / "usr/lib/berth/lib.sh", fs::perms(0644));
  fs::permissions(source_ / "etc/secret", fs::perms(0600));
  fs::create_symlink("lib.sh", source_ / "usr/lib/berth/alias.sh");
  top_.write("rootfs/etc/hostname", "berth\n");  // the image's own files stay

  install_files(source_, image_);
  EXPECT_EQ(top_.read("rootfs/etc/berth/rc.d/40-service"), "#!/bin/sh\necho hi\n");
  EXPECT_EQ(mode_of(image_ / "etc/berth/rc.d/40-service"), fs::perms(0755));
  EXPECT_EQ(mode_of(image_ / "usr/lib/berth/lib.sh"), fs::perms(0644));
  EXPECT_EQ(mode_of(image_ / "etc/secret"), fs::perms(0600));
  EXPECT_EQ(fs::read_symlink(image_ / "usr/lib/berth/alias.sh"), "lib.sh");
  EXPECT_EQ(top_.read("rootfs/etc/hostname"), "berth\n");
  // Installing again replaces, and leaves no temporary files behind.
  top_.write("files/rootfs/etc/secret", "t\n");
  install_files(source_, image_);
  EXPECT_EQ(top_.read("rootfs/etc/secret"), "t\n");
  for (const auto& entry : fs::recursive_directory_iterator(image_)) {
    EXPECT_EQ(entry.path().filename().string().rfind(".berth-install.", 0), std::string::npos)
        << entry.path();
  }
}

TEST_F(FilesInstaller, MakesScriptsExecutableWhateverTheCheckoutLeft) {
  top_.write("files/rootfs/usr/lib/berth/run-hook", "#!/bin/sh\n");
  fs::permissions(source_ / "usr/lib/berth/run-hook", fs::perms(0644));
  install_files(source_, image_);
  EXPECT_EQ(mode_of(image_ / "usr/lib/berth/run-hook"), fs::perms(0755));
}

TEST_F(FilesInstaller, NeverWritesThroughALinkedDirectoryInTheImage) {
  fs::create_directories(host_);
  fs::create_directory_symlink(host_, image_ / "etc");  // an absolute link out of the tree
  top_.write("files/rootfs/etc/passwd", "root::0:0::/:/bin/sh\n");
  EXPECT_EQ(message_of(source_, image_),
            "rootfs/etc: a symbolic link in the image; files are never written through links "
            "(ship them under the real directory)");
  EXPECT_TRUE(fs::is_empty(host_));
}

TEST_F(FilesInstaller, ALinkedDirectoryInsideTheImageIsRefusedToo) {
  fs::create_directories(image_ / "usr/lib");
  fs::create_directory_symlink("usr/lib", image_ / "lib");
  top_.write("files/rootfs/lib/firmware/blob", "x");
  EXPECT_NE(message_of(source_, image_).find("rootfs/lib: a symbolic link"), std::string::npos);
  EXPECT_FALSE(fs::exists(image_ / "usr/lib/firmware"));
}

TEST_F(FilesInstaller, ReplacesALinkedFileInsteadOfWritingThroughIt) {
  const fs::path outside = top_.path() / "host-shadow";
  top_.write("host-shadow", "the host's own\n");
  fs::create_directories(image_ / "etc");
  fs::create_symlink(outside, image_ / "etc/shadow");
  top_.write("files/rootfs/etc/shadow", "root:*:1::::::\n");

  install_files(source_, image_);
  EXPECT_EQ(top_.read("host-shadow"), "the host's own\n");
  EXPECT_FALSE(fs::is_symlink(fs::symlink_status(image_ / "etc/shadow")));
  EXPECT_EQ(top_.read("rootfs/etc/shadow"), "root:*:1::::::\n");
}

TEST_F(FilesInstaller, ADirectoryWhereAFileGoesIsOneLineAndKeepsTheDirectory) {
  fs::create_directories(image_ / "etc/motd/kept");
  top_.write("files/rootfs/etc/motd", "hello\n");
  EXPECT_EQ(message_of(source_, image_),
            "rootfs/etc/motd: a directory in the image, where this plugin ships a file");
  EXPECT_TRUE(fs::is_directory(image_ / "etc/motd/kept"));
  EXPECT_FALSE(fs::exists(image_ / "etc/.berth-install.motd"));
}

TEST_F(FilesInstaller, AFileWhereADirectoryGoesIsOneLine) {
  top_.write("rootfs/usr", "not a directory");
  top_.write("files/rootfs/usr/lib/berth/x.sh", "x");
  EXPECT_EQ(message_of(source_, image_),
            "rootfs/usr: not a directory in the image, where this plugin ships one");
}

TEST_F(FilesInstaller, ExistingDirectoriesKeepTheirMode) {
  fs::create_directories(image_ / "tmp");
  fs::permissions(image_ / "tmp", fs::perms(01777));
  top_.write("files/rootfs/tmp/.keep", "");
  fs::permissions(source_ / "tmp", fs::perms(0755));
  install_files(source_, image_);
  EXPECT_EQ(mode_of(image_ / "tmp"), fs::perms(01777));
}

TEST_F(FilesInstaller, AMissingSourceIsOneLine) {
  EXPECT_EQ(message_of(top_.path() / "nothing", image_),
            (top_.path() / "nothing").string() + ": not a directory");
}

}  // namespace
}  // namespace berth::core
