// The SDK's walker of paths inside an image tree (root_paths.hpp): links resolved as the
// target would resolve them, never out of the tree; the existence check, the place of a
// file about to be made, and the write that replaces a link instead of following it.
#include <gtest/gtest.h>

#include <string>

#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "berth/sdk/testing/temp_dir.hpp"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// An image as Debian lays it out: merged /usr by relative links, alternatives by absolute
// ones, and a host file beside the image that no walk may reach.
class SdkRootPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("rootfs/usr/sbin/xtables-nft-multi", "nft");
    dir_.write("rootfs/usr/lib/berth/lib.sh", "lib");
    dir_.write("rootfs/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    fs::create_directories(root_ / "usr/bin");
    fs::create_directories(root_ / "etc/alternatives");
    fs::create_symlink("usr/bin", root_ / "bin");  // merged /usr: relative
    fs::create_symlink("usr/lib", root_ / "lib");
    fs::create_symlink("/usr/sbin/xtables-nft-multi", root_ / "etc/alternatives/iptables");
    fs::create_symlink("/etc/alternatives/iptables", root_ / "usr/sbin/iptables");
    host_file_ = dir_.write("host/passwd", "the build host's\n");
  }

  std::optional<fs::path> find(const fs::path& path, LastLink last = LastLink::follow) {
    return resolve_in_root(root_, path, {.last = last});
  }

  TempDir dir_;
  const fs::path root_ = dir_.path() / "rootfs";
  fs::path host_file_;
};

TEST_F(SdkRootPaths, AbsoluteLinksStartAgainAtTheRoot) {
  EXPECT_EQ(find("/etc/alternatives/iptables"), root_ / "usr/sbin/xtables-nft-multi");
  // An absolute link to the build host's file names the image's own path, which is not there.
  fs::create_symlink(host_file_, root_ / "etc/host");
  EXPECT_EQ(find("/etc/host"), std::nullopt);
  EXPECT_EQ(place_in_root(root_, "/etc/host"), root_ / host_file_.relative_path());
}

TEST_F(SdkRootPaths, RelativeLinksResolveFromTheirDirectory) {
  fs::create_symlink("../lib/berth/lib.sh", root_ / "usr/bin/lib.sh");
  EXPECT_EQ(find("/bin/lib.sh"), root_ / "usr/lib/berth/lib.sh");
  EXPECT_EQ(find("bin/lib.sh"), root_ / "usr/lib/berth/lib.sh");  // relative: from the root
  // ".." after a link is taken in the directory the link led to, as the kernel takes it.
  EXPECT_EQ(find("/bin/../lib/berth/lib.sh"), root_ / "usr/lib/berth/lib.sh");
}

TEST_F(SdkRootPaths, LinkChainsAreFollowedToTheEnd) {
  EXPECT_EQ(find("/usr/sbin/iptables"), root_ / "usr/sbin/xtables-nft-multi");
  EXPECT_EQ(find("/sbin/iptables"), std::nullopt);  // no /sbin link in this image
  fs::create_symlink("usr/sbin", root_ / "sbin");
  EXPECT_EQ(find("/sbin/iptables"), root_ / "usr/sbin/xtables-nft-multi");
}

TEST_F(SdkRootPaths, LastLinkKeptIsTheLinkItself) {
  EXPECT_EQ(find("/usr/sbin/iptables", LastLink::keep), root_ / "usr/sbin/iptables");
  EXPECT_EQ(place_in_root(root_, "usr/sbin/iptables", LastLink::keep), root_ / "usr/sbin/iptables");
  // Links before the last place are followed either way.
  EXPECT_EQ(find("/lib/berth/lib.sh", LastLink::keep), root_ / "usr/lib/berth/lib.sh");
  // A dangling link is something when kept, nothing when followed.
  fs::create_symlink("/nowhere", root_ / "etc/dangling");
  EXPECT_EQ(find("/etc/dangling", LastLink::keep), root_ / "etc/dangling");
  EXPECT_EQ(find("/etc/dangling"), std::nullopt);
  EXPECT_EQ(place_in_root(root_, "/etc/dangling"), root_ / "nowhere");
}

TEST_F(SdkRootPaths, LoopsAndTooManyLinksAreAnErrorNamingThePath) {
  fs::create_symlink("/b", root_ / "a");
  fs::create_symlink("a", root_ / "b");
  fs::create_symlink("self", root_ / "self");
  for (const char* path : {"/a", "/a/x", "/self"}) {
    for (const bool must_exist : {true, false}) {
      try {
        resolve_in_root(root_, path, {.must_exist = must_exist});
        ADD_FAILURE() << path << ": a loop resolved";
      } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.rfind(std::string(path) + ": too many levels of symbolic links", 0), 0u)
            << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      }
    }
  }
  // The loop is not walked when the last link is kept.
  EXPECT_EQ(find("/a", LastLink::keep), root_ / "a");
  EXPECT_TRUE(exists_in_root(root_, "/self"));
}

TEST_F(SdkRootPaths, FortyLinksResolveAndFortyOneDoNot) {
  const auto chain = [&](const std::string& prefix, int length) {
    fs::create_directories(root_ / prefix);
    for (int i = 0; i < length; ++i) {
      const std::string next = i + 1 == length ? "/etc/passwd" : std::to_string(i + 1);
      fs::create_symlink(next, root_ / prefix / std::to_string(i));
    }
    return "/" + prefix + "/0";
  };
  EXPECT_EQ(find(chain("forty", 40)), root_ / "etc/passwd");
  EXPECT_THROW(find(chain("forty-one", 41)), Error);
}

TEST_F(SdkRootPaths, DotDotStopsAtTheRoot) {
  EXPECT_EQ(find("/../../etc/passwd"), root_ / "etc/passwd");
  EXPECT_EQ(find("/usr/../../../usr/lib/berth/lib.sh"), root_ / "usr/lib/berth/lib.sh");
  EXPECT_EQ(find(".."), root_);
  EXPECT_EQ(find("/"), root_);
  EXPECT_EQ(find(""), root_);
}

TEST_F(SdkRootPaths, LinksCannotClimbOutOfTheRoot) {
  // Relative: as many ".." as it would take on the host to reach its root, then the host file.
  fs::path up;
  for ([[maybe_unused]] const auto& part : (root_ / "etc").relative_path()) up /= "..";
  fs::create_symlink(up / host_file_.relative_path(), root_ / "etc/climb");
  fs::create_symlink("/../../../host", root_ / "etc/absolute-climb");
  // A directory link to the build host's directory: a path through it stays in the image.
  fs::create_symlink(host_file_.parent_path(), root_ / "etc/hostdir");
  EXPECT_EQ(find("/etc/climb"), std::nullopt);
  EXPECT_EQ(find("/etc/absolute-climb/passwd"), std::nullopt);
  EXPECT_EQ(find("/etc/hostdir/passwd"), std::nullopt);
  // Each lands inside the root, where the same names would be.
  const fs::path mirrored = root_ / host_file_.relative_path();
  EXPECT_EQ(place_in_root(root_, "/etc/climb"), mirrored);
  EXPECT_EQ(place_in_root(root_, "/etc/hostdir/passwd"), mirrored);
  dir_.write("rootfs/host/passwd", "the image's\n");
  EXPECT_EQ(find("/etc/absolute-climb/passwd"), root_ / "host/passwd");
}

TEST_F(SdkRootPaths, MissingLastOrMiddleComponent) {
  EXPECT_EQ(find("/etc/missing"), std::nullopt);
  EXPECT_EQ(find("/missing/passwd"), std::nullopt);
  EXPECT_EQ(find("/bin/sh"), std::nullopt);  // the link is there, its target is not
  // The kernel does not walk through what is not there, nor through a file.
  EXPECT_EQ(find("/missing/../etc/passwd"), std::nullopt);
  EXPECT_EQ(find("/etc/passwd/../passwd"), std::nullopt);
  EXPECT_EQ(find("/etc/passwd/x"), std::nullopt);
  EXPECT_FALSE(exists_in_root(root_, "/missing/../etc/passwd"));
  // A path about to be made takes what is missing as named.
  EXPECT_EQ(place_in_root(root_, "/etc/missing"), root_ / "etc/missing");
  EXPECT_EQ(place_in_root(root_, "/bin/sh"), root_ / "usr/bin/sh");
  EXPECT_EQ(place_in_root(root_, "/bin/new/dir"), root_ / "usr/bin/new/dir");
  EXPECT_EQ(place_in_root(root_, "/missing/../etc/passwd"), root_ / "etc/passwd");
}

TEST_F(SdkRootPaths, ExistsSeesAnythingEvenADanglingLink) {
  fs::create_symlink("/etc/passwd", root_ / "etc/escape");  // the image's passwd, not the host's
  fs::remove(root_ / "etc/passwd");
  EXPECT_TRUE(exists_in_root(root_, "/etc/escape"));
  EXPECT_TRUE(exists_in_root(root_, "/usr/sbin/iptables"));
  EXPECT_TRUE(exists_in_root(root_, "/usr/bin"));
  EXPECT_FALSE(exists_in_root(root_, "/etc/passwd"));
  EXPECT_FALSE(exists_in_root(root_, "/bin/sh"));
  EXPECT_EQ(place_in_root(root_, "/../../etc/escape"), root_ / "etc/passwd");
}

TEST_F(SdkRootPaths, FileInRootIsARegularFileOnly) {
  EXPECT_EQ(file_in_root(root_, "/usr/sbin/iptables"), root_ / "usr/sbin/xtables-nft-multi");
  EXPECT_EQ(file_in_root(root_, "/usr/bin"), std::nullopt);
  EXPECT_EQ(file_in_root(root_, "/etc/missing"), std::nullopt);
}

TEST_F(SdkRootPaths, WritesReplaceALinkInsteadOfFollowingIt) {
  fs::create_symlink(host_file_, root_ / "etc/resolv.conf");
  fs::create_symlink("passwd", root_ / "etc/group");
  write_in_root(root_, "/etc/resolv.conf", "target\n");
  write_in_root(root_, "/etc/group", "root:x:0:\n", fs::perms(0640));
  EXPECT_EQ(dir_.read("host/passwd"), "the build host's\n");
  EXPECT_EQ(dir_.read("rootfs/etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
  EXPECT_FALSE(fs::is_symlink(root_ / "etc/resolv.conf"));
  EXPECT_EQ(dir_.read("rootfs/etc/resolv.conf"), "target\n");
  EXPECT_EQ(dir_.read("rootfs/etc/group"), "root:x:0:\n");
  EXPECT_EQ(fs::status(root_ / "etc/group").permissions(), fs::perms(0640));
}

TEST_F(SdkRootPaths, WritesFollowDirectoryLinksInsideTheRootAndMakeWhatIsMissing) {
  fs::create_symlink(host_file_.parent_path(), root_ / "etc/hostdir");
  write_in_root(root_, "/lib/berth/new.sh", "new\n");
  write_in_root(root_, "/etc/berth/version", "1.0\n");
  write_in_root(root_, "/etc/hostdir/passwd", "image\n");
  EXPECT_EQ(dir_.read("rootfs/usr/lib/berth/new.sh"), "new\n");
  EXPECT_EQ(dir_.read("rootfs/etc/berth/version"), "1.0\n");
  EXPECT_EQ(dir_.read("host/passwd"), "the build host's\n");
  EXPECT_EQ(read_text(root_ / host_file_.parent_path().relative_path() / "passwd"), "image\n");
  EXPECT_THROW(write_in_root(root_, "/etc/..", "x"), Error);
  EXPECT_THROW(write_in_root(root_, "/etc/passwd/x", "x"), Error);
}

TEST(SdkReadText, TheWholeFileOrAnErrorNamingIt) {
  TempDir dir;
  EXPECT_EQ(read_text(dir.write("a", std::string("x\0y", 3))), std::string("x\0y", 3));
  EXPECT_EQ(read_text(dir.write("empty", "")), "");
  try {
    read_text(dir.path() / "missing");
    FAIL() << "a missing file was read";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("missing"), std::string::npos);
  }
}

}  // namespace
}  // namespace berth::sdk
