// image-build: the mmdebstrap command line of a recipe: packages, filters, sources, pins and
// the package cache's hooks.
#include <gtest/gtest.h>

#include <algorithm>

#include "berth/sdk/error.hpp"
#include "mmdebstrap_image_args.hpp"

namespace berth::image_build {
namespace {

ImageRecipe recipe() {
  ImageRecipe r;
  r.file = "/recipes/xpra.toml";
  r.name = "berth/xpra";
  r.tag = "3.1";
  r.suite = "bookworm";
  r.sources = {{"http://deb.debian.org/debian", "bookworm", {"main"}},
               {"http://deb.debian.org/debian", "bookworm-backports", {"main", "contrib"}},
               {"http://deb.debian.org/debian-security", "bookworm-security", {}}};
  r.include = {"xpra", "xauth"};
  r.exclude = {"/usr/share/doc/*", "/usr/share/man/*"};
  r.keep = {"/usr/share/doc/*/copyright"};
  return r;
}

MmdebstrapImageRun run() {
  MmdebstrapImageRun r;
  r.tree = "/work/images/berth-xpra-3.1/rootfs";
  r.architecture = "amd64";
  r.keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
  return r;
}

std::ptrdiff_t position(const std::vector<std::string>& argv, const std::string& arg) {
  const auto it = std::find(argv.begin(), argv.end(), arg);
  return it == argv.end() ? -1 : it - argv.begin();
}

TEST(MmdebstrapImageArgs, InstalledTreeOfThePackagesWithoutRecommends) {
  const auto argv = mmdebstrap_image_argv(recipe(), run());
  EXPECT_EQ(argv.front(), "/usr/bin/mmdebstrap");
  for (const std::string arg :
       {"--mode=root", "--variant=essential", "--format=directory", "--architectures=amd64",
        "--keyring=/usr/share/keyrings/debian-archive-keyring.gpg",
        "--aptopt=APT::Install-Recommends \"false\"", "--include=xpra,xauth",
        // The downloaded .debs stay for the package cache.
        "--skip=essential/unlink", "--skip=cleanup/apt/cache"}) {
    EXPECT_GE(position(argv, arg), 0) << "missing " << arg;
  }
}

TEST(MmdebstrapImageArgs, SuiteTreeThenOneMirrorPerSourceLine) {
  const auto argv = mmdebstrap_image_argv(recipe(), run());
  const auto suite = position(argv, "bookworm");
  ASSERT_GT(suite, 0);
  ASSERT_EQ(argv.size(), static_cast<std::size_t>(suite) + 5);
  EXPECT_TRUE(std::all_of(argv.begin() + 1, argv.begin() + suite,
                          [](const std::string& a) { return a.rfind("--", 0) == 0; }));
  EXPECT_EQ(argv[suite + 1], "/work/images/berth-xpra-3.1/rootfs");
  EXPECT_EQ(argv[suite + 2], "deb [arch=amd64] http://deb.debian.org/debian bookworm main");
  EXPECT_EQ(argv[suite + 3],
            "deb [arch=amd64] http://deb.debian.org/debian bookworm-backports main contrib");
  EXPECT_EQ(argv[suite + 4],
            "deb [arch=amd64] http://deb.debian.org/debian-security bookworm-security main");
}

TEST(MmdebstrapImageArgs, ExcludesThenTheirExceptionsInRecipeOrder) {
  const auto argv = mmdebstrap_image_argv(recipe(), run());
  const auto doc = position(argv, "--dpkgopt=path-exclude=/usr/share/doc/*");
  const auto man = position(argv, "--dpkgopt=path-exclude=/usr/share/man/*");
  const auto copyright = position(argv, "--dpkgopt=path-include=/usr/share/doc/*/copyright");
  ASSERT_GE(doc, 0);
  ASSERT_GE(man, 0);
  ASSERT_GE(copyright, 0);
  // dpkg takes the last matching filter: the include must come after the exclude.
  EXPECT_LT(doc, man);
  EXPECT_LT(man, copyright);
}

TEST(MmdebstrapImageArgs, PinsAreCopiedIntoPreferencesDBeforeApt) {
  const auto plain = mmdebstrap_image_argv(recipe(), run());
  EXPECT_FALSE(std::any_of(plain.begin(), plain.end(), [](const std::string& a) {
    return a.find("preferences.d") != std::string::npos;
  }));
  MmdebstrapImageRun pinned = run();
  pinned.preferences = "/work/images/berth-xpra-3.1/berth-image-pins";
  const auto argv = mmdebstrap_image_argv(recipe(), pinned);
  EXPECT_GE(position(argv,
                     "--setup-hook=copy-in '/work/images/berth-xpra-3.1/berth-image-pins' "
                     "/etc/apt/preferences.d"),
            0);
}

TEST(MmdebstrapImageArgs, CachedDebsAreOfferedOnlyWhenThereAreSome) {
  const auto plain = mmdebstrap_image_argv(recipe(), run());
  EXPECT_FALSE(std::any_of(plain.begin(), plain.end(), [](const std::string& a) {
    return a.find("sync-in") != std::string::npos;
  }));
  MmdebstrapImageRun seeded = run();
  seeded.seed_debs = "/var/cache/berth/image-debs/bookworm";
  const auto argv = mmdebstrap_image_argv(recipe(), seeded);
  const auto sync = position(argv,
                             "--setup-hook=sync-in '/var/cache/berth/image-debs/bookworm' "
                             "/var/cache/apt/archives");
  // The directory must exist before sync-in runs: mmdebstrap only makes it later.
  const auto mkdir = position(argv, "--setup-hook=mkdir -p \"$1/var/cache/apt/archives\"");
  ASSERT_GE(sync, 0);
  ASSERT_GE(mkdir, 0);
  EXPECT_LT(mkdir, sync);
}

TEST(MmdebstrapImageArgs, HookPathsAreOneShellWordEvenWithQuotes) {
  EXPECT_EQ(hook_word("/var/cache/my cache"), "'/var/cache/my cache'");
  EXPECT_EQ(hook_word("/tmp/it's"), "'/tmp/it'\\''s'");
}

TEST(MmdebstrapImageArgs, NoPackagesOrNoSourcesNameTheRecipe) {
  ImageRecipe empty = recipe();
  empty.include.clear();
  EXPECT_THROW(
      {
        try {
          mmdebstrap_image_argv(empty, run());
        } catch (const sdk::Error& error) {
          EXPECT_NE(std::string(error.what()).find("/recipes/xpra.toml"), std::string::npos);
          throw;
        }
      },
      sdk::Error);
  ImageRecipe sourceless = recipe();
  sourceless.sources.clear();
  EXPECT_THROW(mmdebstrap_image_argv(sourceless, run()), sdk::Error);
}

TEST(MmdebstrapImageArgs, AMissingMmdebstrapIsNamedWithItsPackage) {
  try {
    require_mmdebstrap("/nonexistent/mmdebstrap");
    FAIL() << "no error for a missing program";
  } catch (const sdk::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("/nonexistent/mmdebstrap not found"), std::string::npos) << message;
    EXPECT_NE(message.find("apt install mmdebstrap"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace berth::image_build
