// image-build: build_image end to end with a stand-in for mmdebstrap (no root, no network):
// the tidied tree with the recipe's files becomes the archive, the downloaded .debs go to
// the package cache, and an unchanged recipe comes from the result cache without running
// mmdebstrap again.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "berth/sdk/error.hpp"
#include "image_build_context.hpp"
#include "image_build_tar_reader.hpp"
#include "image_builder.hpp"

namespace berth::image_build {
namespace {

using test::bytes_of;
using test::FakeContext;
using test::read_tar_bytes;
using test::read_tar_file;
using test::write_file;

// The argument after the suite is the tree mmdebstrap fills.
fs::path tree_of(const std::vector<std::string>& argv, const std::string& suite) {
  const auto it = std::find(argv.begin(), argv.end(), suite);
  if (it == argv.end() || it + 1 == argv.end()) throw sdk::Error("no suite in the argv");
  return *(it + 1);
}

// What mmdebstrap leaves: the packages' files, the .debs, apt's lists, logs, /dev nodes
// and the host's hostname and resolv.conf.
void fake_mmdebstrap(const fs::path& tree) {
  write_file(tree / "usr/bin/hello", "hello binary\n");
  write_file(tree / "var/cache/apt/archives/hello_1.0_amd64.deb", "deb hello\n");
  write_file(tree / "var/cache/apt/archives/libc6_2.36_amd64.deb", "deb libc6\n");
  fs::create_directories(tree / "var/cache/apt/archives/partial");
  write_file(tree / "var/lib/apt/lists/deb.debian.org_Packages", "index\n");
  write_file(tree / "var/lib/dpkg/status", "Package: hello\n");
  write_file(tree / "var/log/dpkg.log", "log\n");
  write_file(tree / "dev/null", "");
  write_file(tree / "etc/hostname", "buildhost\n");
  write_file(tree / "etc/resolv.conf", "nameserver 10.0.0.1\n");
}

class BuilderTest : public ::testing::Test {
 protected:
  BuilderTest() {
    const fs::path dir = ctx_.top() / "recipes";
    write_file(dir / "xpra-rootfs/usr/local/bin/berth-display", "#!/bin/sh\n");
    fs::permissions(dir / "xpra-rootfs/usr/local/bin/berth-display", fs::perms::owner_exec,
                    fs::perm_options::add);
    recipe_file_ = dir / "xpra.toml";
    write_recipe("");
    options_.mmdebstrap = "/bin/true";  // any executable: run() is the fake's
    ctx_.on_run = [this](const std::vector<std::string>& argv, const sdk::RunOptions&) {
      fake_mmdebstrap(tree_of(argv, "bookworm"));
      return sdk::RunResult{};
    };
  }

  void write_recipe(const std::string& extra) {
    write_file(
        recipe_file_,
        "[image]\nname = \"berth/xpra\"\ntag = \"3.1\"\n[debian]\nsuite = \"bookworm\"\n"
        "sources = [ { uri = \"http://deb.debian.org/debian\", suites = [\"bookworm\"] } ]\n" +
            extra +
            "[packages]\ninclude = [\"hello\"]\n[files]\nrootfs = \"xpra-rootfs\"\n"
            "[config]\nentrypoint = [\"/usr/local/bin/berth-display\"]\n");
  }

  fs::path build() {
    return build_image(ctx_, read_recipe(recipe_file_), sdk::Compression::none,
                       ctx_.iso_root() / "berth/images", options_);
  }

  test::TarMembers layer_of(const fs::path& archive) {
    const auto members = read_tar_file(archive);
    for (const auto& [name, member] : members) {
      if (name.rfind("blobs/sha256/", 0) == 0 && member.data.size() > 512 &&
          member.data.front() != '{') {
        return read_tar_bytes(member.data);
      }
    }
    throw sdk::Error("no layer in " + archive.string());
  }

  FakeContext ctx_;
  fs::path recipe_file_;
  BuildOptions options_;
};

TEST_F(BuilderTest, TheArchiveHoldsTheTidiedTreeAndTheRecipesFiles) {
  const fs::path archive = build();
  EXPECT_EQ(archive, ctx_.iso_root() / "berth/images/xpra.tar");
  ASSERT_EQ(ctx_.runs.size(), 1u);
  EXPECT_EQ(ctx_.runs[0].argv.front(), "/bin/true");
  EXPECT_EQ(ctx_.runs[0].options.env.at("SOURCE_DATE_EPOCH"), "1700000000");

  const auto layer = layer_of(archive);
  EXPECT_EQ(layer.count("usr/bin/hello"), 1u);
  EXPECT_EQ(layer.count("var/lib/dpkg/status"), 1u);
  ASSERT_EQ(layer.count("usr/local/bin/berth-display"), 1u);
  EXPECT_NE(layer.at("usr/local/bin/berth-display").mode & 0100, 0u);
  ASSERT_EQ(layer.count("tmp"), 1u);
  EXPECT_EQ(layer.at("tmp").mode, 01777u);
  for (const char* gone : {"var/cache/apt", "var/lib/apt/lists", "var/log/dpkg.log", "dev/null",
                           "etc/hostname", "etc/resolv.conf"}) {
    EXPECT_EQ(layer.count(gone), 0u) << gone << " is still in the image";
  }
  EXPECT_EQ(layer.count("var/log"), 1u);  // the directory stays, empty
  EXPECT_EQ(layer.count("dev"), 1u);
  // The scratch tree is gone once the archive is cached.
  EXPECT_FALSE(fs::exists(ctx_.work_dir() / "images/berth-xpra-3.1"));
}

TEST_F(BuilderTest, DownloadedDebsGoToThePackageCacheAndAreOfferedNextTime) {
  build();
  const fs::path debs = ctx_.cache_dir() / "image-debs/bookworm";
  EXPECT_EQ(bytes_of(debs / "hello_1.0_amd64.deb"), "deb hello\n");
  EXPECT_EQ(bytes_of(debs / "libc6_2.36_amd64.deb"), "deb libc6\n");
  EXPECT_FALSE(fs::exists(debs / "partial"));
  ASSERT_TRUE(
      std::none_of(ctx_.runs[0].argv.begin(), ctx_.runs[0].argv.end(),
                   [](const std::string& a) { return a.find("sync-in") != std::string::npos; }));

  write_recipe("# changed\n");  // a new key: mmdebstrap runs again
  build();
  ASSERT_EQ(ctx_.runs.size(), 2u);
  const std::string seed = "--setup-hook=sync-in '" + debs.string() + "' /var/cache/apt/archives";
  EXPECT_NE(std::find(ctx_.runs[1].argv.begin(), ctx_.runs[1].argv.end(), seed),
            ctx_.runs[1].argv.end());
}

TEST_F(BuilderTest, AnUnchangedRecipeComesFromTheCacheWithoutMmdebstrap) {
  const fs::path first = build();
  const std::string bytes = bytes_of(first);
  fs::remove(first);
  const fs::path second = build();
  EXPECT_EQ(ctx_.runs.size(), 1u);
  EXPECT_EQ(bytes_of(second), bytes);
  EXPECT_TRUE(ctx_.logged("berth/xpra:3.1: recipe unchanged, image from the cache"));
  // The cache entry is the archive itself, under its cache name.
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(ctx_.cache_dir() / "images")) {
    ++entries;
    EXPECT_EQ(entry.path().filename().string().rfind("berth-xpra-3.1-", 0), 0u);
    EXPECT_EQ(bytes_of(entry.path()), bytes);
  }
  EXPECT_EQ(entries, 1u);
}

TEST_F(BuilderTest, ChangingARootfsFileRebuilds) {
  build();
  write_file(recipe_file_.parent_path() / "xpra-rootfs/etc/motd", "new\n");
  const fs::path archive = build();
  EXPECT_EQ(ctx_.runs.size(), 2u);
  EXPECT_EQ(layer_of(archive).at("etc/motd").data, "new\n");
}

TEST_F(BuilderTest, PinsReachAptThroughAPreferencesFile) {
  write_recipe(
      "pins = [ { package = \"*\", release = \"bookworm-backports\", priority = 100 } ]\n");
  std::string preferences;
  ctx_.on_run = [&](const std::vector<std::string>& argv, const sdk::RunOptions&) {
    for (const auto& arg : argv) {
      const std::string prefix = "--setup-hook=copy-in '";
      if (arg.rfind(prefix, 0) != 0) continue;
      const auto end = arg.find('\'', prefix.size());
      preferences = bytes_of(arg.substr(prefix.size(), end - prefix.size()));
      EXPECT_EQ(arg.substr(end), "' /etc/apt/preferences.d");
    }
    fake_mmdebstrap(tree_of(argv, "bookworm"));
    return sdk::RunResult{};
  };
  build();
  EXPECT_EQ(preferences, "Package: *\nPin: release n=bookworm-backports\nPin-Priority: 100\n");
}

TEST_F(BuilderTest, AFailedMmdebstrapLeavesNoCacheEntry) {
  ctx_.on_run = [](const std::vector<std::string>&, const sdk::RunOptions&) -> sdk::RunResult {
    throw sdk::Error("/usr/bin/mmdebstrap exited with status 1");
  };
  EXPECT_THROW(build(), sdk::Error);
  EXPECT_FALSE(fs::exists(ctx_.cache_dir() / "images") &&
               !fs::is_empty(ctx_.cache_dir() / "images"));
  EXPECT_FALSE(fs::exists(ctx_.iso_root() / "berth/images/xpra.tar"));
}

TEST_F(BuilderTest, WithoutMmdebstrapTheErrorNamesIt) {
  options_.mmdebstrap = ctx_.top() / "no/mmdebstrap";
  try {
    build();
    FAIL() << "built without mmdebstrap";
  } catch (const sdk::Error& error) {
    EXPECT_NE(
        std::string(error.what()).find((ctx_.top() / "no/mmdebstrap").string() + " not found"),
        std::string::npos);
  }
  EXPECT_TRUE(ctx_.runs.empty());
}

}  // namespace
}  // namespace berth::image_build
