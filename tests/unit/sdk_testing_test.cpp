// The SDK's test doubles behave as their documentation says: a plugin author's test relies
// on them failing loudly where the hook did something the test did not expect.
#include <gtest/gtest.h>

#include "berth/sdk/testing/build_context.hpp"
#include "berth/sdk/testing/hook_registry.hpp"
#include "berth/sdk/testing/temp_dir.hpp"

namespace berth::sdk::testing {
namespace {

namespace fs = std::filesystem;

TEST(SdkFakeBuildContext, EveryDirectoryExistsAndGoesWithTheContext) {
  fs::path top;
  {
    FakeBuildContext ctx("my-plugin");
    top = ctx.top();
    for (const auto& dir : {ctx.rootfs(), ctx.initramfs_root(), ctx.iso_root(), ctx.output_dir(),
                            ctx.cache_dir(), ctx.work_dir(), ctx.data_dir(), ctx.config_dir()}) {
      EXPECT_TRUE(fs::is_directory(dir)) << dir;
      EXPECT_EQ(dir.string().rfind(top.string(), 0), 0u) << dir;
    }
    EXPECT_EQ(ctx.work_dir().filename(), "my-plugin");
    EXPECT_EQ(ctx.config().name(), "my-plugin");
  }
  EXPECT_FALSE(fs::exists(top));
}

TEST(SdkFakeBuildContext, ProgramsRunOnlyWhereTheTestSaysHow) {
  FakeBuildContext fake;
  BuildContext& ctx = fake;  // as a hook sees it (run()'s options default there)
  EXPECT_THROW(ctx.run({"mksquashfs", "x"}), Error);
  EXPECT_THROW(ctx.fetch_packages({"busybox"}, true), Error);
  EXPECT_THROW(ctx.extract_deb("a.deb", ctx.rootfs()), Error);
  fake.on_run = [](const std::vector<std::string>&, const RunOptions&) {
    return RunResult{0, "6.12.38\n"};
  };
  RunOptions options;
  options.capture = true;
  EXPECT_EQ(ctx.run({"uname", "-r"}, options).output, "6.12.38\n");
  ASSERT_EQ(fake.runs.size(), 2u);  // the unexpected one is recorded too
  EXPECT_EQ(fake.runs[1].argv, (std::vector<std::string>{"uname", "-r"}));
  EXPECT_TRUE(fake.runs[1].options.capture);
}

TEST(SdkFakeBuildContext, ArchivesListWhatWentIn) {
  FakeBuildContext ctx;
  TempDir source;
  source.write("init", "#!/bin/sh\n");
  source.write("usr/bin/busybox", "ELF");
  ctx.write_cpio(source.path(), ctx.output_dir() / "initrd.img", Compression::zstd);
  std::ifstream in(ctx.output_dir() / "initrd.img");
  const std::string listing{std::istreambuf_iterator<char>(in), {}};
  EXPECT_EQ(listing, "cpio: init usr usr/bin usr/bin/busybox");
  ASSERT_EQ(ctx.archives.size(), 1u);
  EXPECT_TRUE(ctx.archives[0].cpio);
  EXPECT_EQ(ctx.archives[0].compression, Compression::zstd);
}

TEST(SdkFakeBuildContext, RecordsFactsSizesRemovalsAndLogLines) {
  FakeBuildContext ctx;
  EXPECT_EQ(ctx.lookup(facts::kKernelVersion), std::nullopt);
  ctx.publish(facts::kKernelVersion, "6.12.38+deb13-amd64");
  EXPECT_EQ(ctx.lookup(facts::kKernelVersion), "6.12.38+deb13-amd64");
  ctx.report_size("kernel", 42);
  ctx.report_removed("manual pages", 3, 400);
  ctx.warn("no modules.builtin");
  EXPECT_EQ(ctx.sizes.at("kernel"), 42u);
  EXPECT_EQ(ctx.removed.at("manual pages"), std::make_pair(std::uint64_t{3}, std::uint64_t{400}));
  EXPECT_TRUE(ctx.logged("modules.builtin", LogLevel::warn));
  EXPECT_FALSE(ctx.logged("modules.builtin"));  // info by default
}

// A list fact several plugins add to: each one's lines after the earlier ones'.
TEST(SdkFacts, AppendedLinesFollowTheEarlierOnes) {
  FakeBuildContext ctx;
  append_fact(ctx, facts::kFastPaths, "/usr/sbin/dockerd\n/usr/bin/docker");
  EXPECT_EQ(ctx.lookup(facts::kFastPaths), "/usr/sbin/dockerd\n/usr/bin/docker");
  append_fact(ctx, facts::kFastPaths, "/usr/sbin/runc");
  EXPECT_EQ(ctx.lookup(facts::kFastPaths), "/usr/sbin/dockerd\n/usr/bin/docker\n/usr/sbin/runc");
}

TEST(SdkRecordingHookRegistry, KeepsTheHooksToRun) {
  RecordingHookRegistry hooks;
  hooks.add(Stage::customize, order::kMain, "write motd",
            [](BuildContext& ctx) { std::ofstream(ctx.rootfs() / "motd") << "hello\n"; });
  EXPECT_THROW(hooks.find("missing"), Error);
  const auto& added = hooks.find("write motd");
  EXPECT_EQ(added.stage, Stage::customize);
  EXPECT_EQ(added.order, order::kMain);
  FakeBuildContext ctx;
  added.hook(ctx);
  EXPECT_TRUE(fs::exists(ctx.rootfs() / "motd"));
}

TEST(SdkTempDir, NamedByItsPrefixAndGoneWithItsFiles) {
  fs::path kept;
  {
    const TempDir dir("berth-sdk-prefix-");
    kept = dir.path();
    EXPECT_EQ(kept.filename().string().rfind("berth-sdk-prefix-", 0), 0u) << kept;
    EXPECT_EQ(kept.parent_path(), fs::temp_directory_path());
    dir.write("a/b/c.txt", "text");
    EXPECT_EQ(dir.read("a/b/c.txt"), "text");
    EXPECT_EQ(dir.read("missing"), "");
    // Two directories of one prefix are apart.
    const TempDir other("berth-sdk-prefix-");
    EXPECT_NE(other.path(), kept);
  }
  EXPECT_FALSE(fs::exists(kept));
  const TempDir unnamed;
  EXPECT_EQ(unnamed.path().filename().string().rfind("berth-test-", 0), 0u) << unnamed.path();
}

}  // namespace
}  // namespace berth::sdk::testing
