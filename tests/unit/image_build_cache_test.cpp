// image-build: the result cache's key follows every input of the image (recipe text, the
// recipe's rootfs files, compression, architecture, Berth's version) and nothing else.
#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "image_cache.hpp"
#include "recipe.hpp"
#include "test_support.hpp"

namespace berth::image_build {
namespace {

using berth::test::TempDir;

const std::string kRecipe =
    "[image]\nname = \"berth/xterm\"\ntag = \"1\"\n[debian]\nsuite = \"trixie\"\n"
    "sources = [ { uri = \"http://deb.debian.org/debian\", suites = [\"trixie\"] } ]\n"
    "[packages]\ninclude = [\"xterm\"]\n[files]\nrootfs = \"rootfs\"\n";

class CacheKeyTest : public ::testing::Test {
 protected:
  CacheKeyTest() {
    dir_.write("rootfs/usr/local/bin/berth-display", "#!/bin/sh\nexec xterm\n");
    dir_.write("rootfs/etc/motd", "hello\n");
    dir_.write("xterm.toml", kRecipe);
  }
  std::string key(sdk::Compression compression = sdk::Compression::zstd,
                  const std::string& version = "0.1.0") const {
    return image_cache_key(read_recipe(dir_.path() / "xterm.toml"), compression, "amd64", version);
  }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
};

TEST_F(CacheKeyTest, SameInputsSameKey) {
  const std::string first = key();
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(key(), first);
  // Timestamps are no input: touching a file keeps the key.
  fs::last_write_time(dir().path() / "rootfs/etc/motd",
                      fs::file_time_type::clock::now() - std::chrono::hours(5));
  EXPECT_EQ(key(), first);
}

TEST_F(CacheKeyTest, RecipeTextChangesTheKey) {
  const std::string before = key();
  dir().write("xterm.toml", kRecipe + "# a comment\n");
  EXPECT_NE(key(), before);
}

TEST_F(CacheKeyTest, RootfsContentsModesAndNewFilesChangeTheKey) {
  std::string last = key();
  dir().write("rootfs/etc/motd", "howdy\n");  // same size, other bytes
  EXPECT_NE(key(), last);
  last = key();
  fs::permissions(dir().path() / "rootfs/usr/local/bin/berth-display", fs::perms::owner_exec,
                  fs::perm_options::add);
  EXPECT_NE(key(), last);
  last = key();
  dir().write("rootfs/etc/issue", "");
  EXPECT_NE(key(), last);
  last = key();
  fs::create_symlink("motd", dir().path() / "rootfs/etc/motd.link");
  EXPECT_NE(key(), last);
  last = key();
  fs::rename(dir().path() / "rootfs/etc/issue", dir().path() / "rootfs/etc/issue.net");
  EXPECT_NE(key(), last);
}

TEST_F(CacheKeyTest, CompressionAndBerthVersionChangeTheKey) {
  EXPECT_NE(key(sdk::Compression::zstd), key(sdk::Compression::xz));
  EXPECT_NE(key(sdk::Compression::zstd, "0.1.0"), key(sdk::Compression::zstd, "0.2.0"));
  const auto recipe = read_recipe(dir().path() / "xterm.toml");
  EXPECT_NE(image_cache_key(recipe, sdk::Compression::zstd, "amd64", "0.1.0"),
            image_cache_key(recipe, sdk::Compression::zstd, "arm64", "0.1.0"));
}

TEST_F(CacheKeyTest, EntryNameHoldsNameTagAndDigestPrefix) {
  const auto recipe = read_recipe(dir().path() / "xterm.toml");
  const std::string digest = key();
  EXPECT_EQ(cached_archive_path("/var/cache/berth", recipe, digest, sdk::Compression::zstd),
            fs::path("/var/cache/berth/images/berth-xterm-1-" + digest.substr(0, 16) + ".tar.zst"));
  EXPECT_EQ(cached_archive_path("/c", recipe, digest, sdk::Compression::xz).extension(), ".xz");
}

TEST(ArchiveExtension, WhatDockerLoadReads) {
  EXPECT_EQ(archive_extension(sdk::Compression::zstd), "tar.zst");
  EXPECT_EQ(archive_extension(sdk::Compression::xz), "tar.xz");
  EXPECT_EQ(archive_extension(sdk::Compression::none), "tar");
  EXPECT_THROW(archive_extension(sdk::Compression::lz4), sdk::Error);
}

}  // namespace
}  // namespace berth::image_build
