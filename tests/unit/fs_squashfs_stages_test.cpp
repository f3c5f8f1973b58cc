// The hooks of fs-squashfs against a BuildContext that works on temporary directories:
// what they report and publish, and a real mksquashfs run when the host has one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

#include "berth/sdk/error.hpp"
#include "berth/sdk/plugin.hpp"
#include "berth/sdk/testing/build_context.hpp"
#include "berth/sdk/testing/hook_registry.hpp"
#include "files_installer.hpp"
#include "initrd_file.hpp"
#include "stages.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

extern "C" berth::sdk::Plugin* berth_plugin_create();

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;
using test::write_file;

const fs::path kDataDir = fs::path(BERTH_SOURCE_DIR) / "plugins/fs-squashfs/files";

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// A static ELF as far as find_static_busybox can tell: 64-bit header, no PT_INTERP.
std::string static_elf() {
  std::string bytes(128, '\0');
  bytes.replace(0, 4,
                "\x7f"
                "ELF");
  bytes[4] = 2;
  bytes[5] = 1;
  return bytes;
}

// The SDK's test double with this plugin's data directory; programs really run, through
// the shell, with SOURCE_DATE_EPOCH set as a reproducible-builds-minded core might set it:
// mksquashfs must not trip over it.
class FakeContext : public sdk::testing::FakeBuildContext {
 public:
  FakeContext() : FakeBuildContext("fs-squashfs") {
    set_data_dir(kDataDir);
    on_run = [](const std::vector<std::string>& argv, const sdk::RunOptions&) {
      std::string command = "SOURCE_DATE_EPOCH=1 ";
      for (const auto& arg : argv) command += shell_quote(arg) + " ";
      if (std::system(command.c_str()) != 0) throw sdk::Error(argv[0] + " failed");
      return sdk::RunResult{};
    };
  }
};

TEST(FsSquashfsStages, StripReportsWhatEachRuleRemoved) {
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/share/man/man1/docker.1.gz", std::string(400, 'm'));
  write_file(ctx.rootfs() / "usr/share/doc/tini/copyright", "c");
  write_file(ctx.rootfs() / "usr/share/doc/tini/README", std::string(30, 'r'));
  write_file(ctx.rootfs() / "opt/big/blob", std::string(1000, 'b'));
  write_file(ctx.rootfs() / "opt/big/keep.me", "k");
  Settings settings;
  settings.strip = {"opt/big"};
  settings.keep = {"opt/big/keep.me"};

  strip_rootfs(ctx, settings);

  EXPECT_EQ(ctx.removed["manual pages"], std::make_pair(std::uint64_t{1}, std::uint64_t{400}));
  EXPECT_EQ(ctx.removed["documentation (copyright files kept)"],
            std::make_pair(std::uint64_t{1}, std::uint64_t{30}));
  EXPECT_EQ(ctx.removed["strip \"opt/big\""],
            std::make_pair(std::uint64_t{1}, std::uint64_t{1000}));
  EXPECT_EQ(ctx.removed.count("logs"), 0u);  // nothing to remove: not in the report
  EXPECT_TRUE(fs::exists(ctx.rootfs() / "opt/big/keep.me"));
  EXPECT_TRUE(fs::exists(ctx.rootfs() / "usr/share/doc/tini/copyright"));
  EXPECT_TRUE(ctx.logged("stripped 3 files", sdk::LogLevel::info));
}

TEST(FsSquashfsStages, ContentsNameTheLastOwnerOfEachFile) {
  // The bootstrap's owners first, then a plugin's that replaced one of those files.
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/bin/containerd", std::string(3000, 'e'));
  write_file(ctx.rootfs() / "usr/bin/jq", std::string(200, 'j'));
  write_file(ctx.work_dir() / "bootstrap.txt", "usr/bin/containerd\tcontainerd\nusr/bin/jq\tjq\n");
  write_file(ctx.work_dir() / "engine.txt", "usr/bin/containerd\tberth-engine\n");
  ctx.publish(sdk::facts::kFileOwners, (ctx.work_dir() / "bootstrap.txt").string() + "\n" +
                                           (ctx.work_dir() / "engine.txt").string());
  Settings settings;
  settings.size_estimate = false;

  report_contents(ctx, settings);

  const std::string contents = read_file(ctx.output_dir() / "contents.txt");
  EXPECT_NE(contents.find("path\tusr/bin/containerd\tberth-engine\t3000"), std::string::npos)
      << contents;
  EXPECT_NE(contents.find("path\tusr/bin/jq\tjq\t200"), std::string::npos) << contents;
  EXPECT_EQ(contents.find("package\tcontainerd\t"), std::string::npos) << contents;
}

TEST(FsSquashfsStages, AnOwnersFileThatIsGoneFailsTheReport) {
  FakeContext ctx;
  ctx.publish(sdk::facts::kFileOwners, (ctx.work_dir() / "missing.txt").string());
  Settings settings;
  settings.size_estimate = false;
  EXPECT_THROW(report_contents(ctx, settings), sdk::Error);
}

TEST(FsSquashfsStages, BaseImageIsReproducibleAndPublished) {
  if (!have_program("mksquashfs")) GTEST_SKIP() << "mksquashfs is not installed";
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/bin/tool", std::string(5000, 't'));
  write_file(ctx.rootfs() / "etc/hostname", "berth\n");
  fs::create_directory_symlink("usr/bin", ctx.rootfs() / "bin");
  Settings settings;
  settings.compression = "gzip";  // fast, and in every squashfs-tools build
  settings.block_size = 131072;

  build_base_image(ctx, settings);
  const fs::path image = ctx.work_dir() / "base.squashfs";
  EXPECT_EQ(ctx.facts[sdk::facts::kBaseImage], image.string());
  EXPECT_EQ(ctx.sizes["base.squashfs"], fs::file_size(image));
  const auto first = read_file(image);

  // New mtimes on the same content must not change a byte.
  fs::last_write_time(ctx.rootfs() / "usr/bin/tool",
                      fs::file_time_type::clock::now() - std::chrono::hours(100));
  write_file(ctx.rootfs() / "etc/hostname", "berth\n");
  build_base_image(ctx, settings);
  EXPECT_TRUE(read_file(image) == first) << "base.squashfs differs between two builds";
}

// Unpacks a squashfs image with unsquashfs into `dir`.
void unsquash(const fs::path& image, const fs::path& dir) {
  const std::string command = "unsquashfs -no-progress -quiet -d " + shell_quote(dir.string()) +
                              " " + shell_quote(image.string()) + " >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

// The block size a squashfs superblock records (little-endian, bytes 12 to 15).
std::uint32_t block_size_of(const fs::path& image) {
  const std::string bytes = read_file(image);
  if (bytes.size() < 16) return 0;
  std::uint32_t size = 0;
  for (int i = 3; i >= 0; --i) size = (size << 8) | static_cast<unsigned char>(bytes[12 + i]);
  return size;
}

// The files a plugin named (Docker's engine) go into fast.squashfs with every name they
// have, and the base image leaves them out: one copy, in the image that decodes fast.
// Each image has its own block size.
TEST(FsSquashfsStages, NamedFilesGoIntoTheFastImageAndOutOfTheBase) {
  if (!have_program("mksquashfs") || !have_program("unsquashfs")) {
    GTEST_SKIP() << "squashfs-tools are not installed";
  }
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/bin/containerd", std::string(70000, 'e'));
  fs::create_directories(ctx.rootfs() / "usr/sbin");
  fs::create_hard_link(ctx.rootfs() / "usr/bin/containerd", ctx.rootfs() / "usr/sbin/dockerd");
  write_file(ctx.rootfs() / "usr/bin/runc", "runc");
  ctx.publish(sdk::facts::kFastPaths, "/usr/sbin/dockerd\n");
  Settings settings;
  settings.compression = "gzip";
  settings.fast_compression = "gzip";  // in every squashfs-tools build
  settings.block_size = 131072;
  settings.fast_block_size = 65536;

  build_base_image(ctx, settings);
  const fs::path fast_image = ctx.work_dir() / "fast.squashfs";
  ASSERT_TRUE(fs::exists(fast_image));
  EXPECT_EQ(ctx.sizes["fast.squashfs"], fs::file_size(fast_image));
  EXPECT_EQ(block_size_of(fast_image), 65536u);
  EXPECT_EQ(block_size_of(ctx.work_dir() / "base.squashfs"), 131072u);
  TempDir unpacked("fast-unpacked");
  unsquash(fast_image, unpacked.path() / "fast");
  unsquash(ctx.work_dir() / "base.squashfs", unpacked.path() / "base");
  EXPECT_EQ(read_file(unpacked.path() / "fast/usr/sbin/dockerd"), std::string(70000, 'e'));
  EXPECT_EQ(fs::hard_link_count(unpacked.path() / "fast/usr/bin/containerd"), 2u);
  EXPECT_FALSE(fs::exists(unpacked.path() / "fast/usr/bin/runc"));
  EXPECT_FALSE(fs::exists(unpacked.path() / "base/usr/bin/containerd"));
  EXPECT_FALSE(fs::exists(unpacked.path() / "base/usr/sbin/dockerd"));
  EXPECT_EQ(read_file(unpacked.path() / "base/usr/bin/runc"), "runc");
  // The rootfs itself is left whole, for the stages after this one.
  EXPECT_TRUE(fs::exists(ctx.rootfs() / "usr/sbin/dockerd"));

  // fast_compression = "none": one image with everything, and no fast image left over.
  settings.fast_compression = "none";
  build_base_image(ctx, settings);
  EXPECT_FALSE(fs::exists(fast_image));
  unsquash(ctx.work_dir() / "base.squashfs", unpacked.path() / "whole");
  EXPECT_TRUE(fs::exists(unpacked.path() / "whole/usr/sbin/dockerd"));
}

TEST(FsSquashfsStages, TheFastImageGoesIntoTheInitrdBesideTheBaseImage) {
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/bin/busybox", static_elf());
  write_file(ctx.work_dir() / "base.squashfs", "squashfs image");
  write_file(ctx.work_dir() / "fast.squashfs", "fast image");
  ctx.publish(sdk::facts::kBaseImage, (ctx.work_dir() / "base.squashfs").string());
  prepare_initramfs(ctx);
  write_initramfs(ctx, Settings{});
  ASSERT_EQ(ctx.archives.size(), 2u);
  EXPECT_EQ(ctx.archives[0].compression, sdk::Compression::none);
  EXPECT_EQ(read_file(ctx.archives[0].tree / "berth/fast.squashfs"), "fast image");
  EXPECT_FALSE(fs::exists(ctx.initramfs_root() / "berth/fast.squashfs"));
}

TEST(FsSquashfsStages, InitramfsHoldsBusyboxInitAndTheBaseImage) {
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/bin/busybox", static_elf());
  write_file(ctx.work_dir() / "base.squashfs", "squashfs image");
  ctx.publish(sdk::facts::kBaseImage, (ctx.work_dir() / "base.squashfs").string());
  Settings settings;
  settings.initrd_compression = sdk::Compression::zstd;

  prepare_initramfs(ctx);
  // What the core installs between our two steps (order::kFiles): /init and cmdline.sh.
  core::install_files(kDataDir / "initramfs", ctx.initramfs_root());
  core::install_files(kDataDir / "both", ctx.initramfs_root());
  // A plugin's early hook, between our two steps, goes through the merged-/usr links.
  write_file(ctx.initramfs_root() / "sbin/cryptsetup", "x");
  write_initramfs(ctx, settings);

  const fs::path& root = ctx.initramfs_root();
  EXPECT_EQ(read_file(root / "usr/bin/busybox"), static_elf());
  EXPECT_TRUE(fs::exists(root / "usr/bin/cryptsetup"));
  EXPECT_EQ(read_file(root / "init"), read_file(kDataDir / "initramfs/init"));
  EXPECT_EQ(fs::status(root / "init").permissions(), fs::perms(0755));
  EXPECT_TRUE(fs::exists(root / "usr/lib/berth/cmdline.sh"));
  EXPECT_TRUE(fs::exists(root / "usr/lib/berth/params.d/fs-squashfs"));
  EXPECT_FALSE(fs::exists(root / "berth/base.squashfs"));

  // The base image alone and uncompressed first, then the rest, compressed as asked.
  ASSERT_EQ(ctx.archives.size(), 2u);
  const fs::path image_tree = ctx.archives[0].tree;
  EXPECT_EQ(ctx.archives[0].compression, sdk::Compression::none);
  EXPECT_EQ(read_file(image_tree / "berth/base.squashfs"), "squashfs image");
  EXPECT_EQ(ctx.archives[1].tree, root);
  EXPECT_EQ(ctx.archives[1].compression, sdk::Compression::zstd);
  EXPECT_TRUE(ctx.archives[0].cpio && ctx.archives[1].cpio);

  const fs::path initrd = ctx.output_dir() / "initrd.img";
  EXPECT_EQ(ctx.facts[sdk::facts::kInitrd], initrd.string());
  EXPECT_EQ(ctx.sizes["initrd.img"], fs::file_size(initrd));
  const auto contents = read_file(initrd);
  const auto second = contents.find("cpio:", 1);
  ASSERT_NE(second, std::string::npos) << contents;
  EXPECT_EQ(second % 4, 0u) << "the second archive must start on a 4-byte boundary";
  EXPECT_NE(contents.substr(0, second).find("berth/base.squashfs"), std::string::npos);
  EXPECT_EQ(contents.substr(second).find("base.squashfs"), std::string::npos);
  EXPECT_NE(contents.substr(second).find("usr/bin/busybox"), std::string::npos);
  // No kernel plugin in this build: said, not fatal.
  EXPECT_TRUE(ctx.logged("cannot check", sdk::LogLevel::warn));
}

TEST(FsSquashfsStages, InitramfsWithoutRootModulesFailsTheBuild) {
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/bin/busybox", static_elf());
  write_file(ctx.work_dir() / "base.squashfs", "squashfs image");
  ctx.publish(sdk::facts::kBaseImage, (ctx.work_dir() / "base.squashfs").string());
  ctx.publish(sdk::facts::kKernelVersion, "6.12.38+deb13-amd64");
  const fs::path modules = ctx.initramfs_root() / "usr/lib/modules/6.12.38+deb13-amd64";
  write_file(modules / "modules.dep", "kernel/drivers/block/loop.ko:\n");
  write_file(modules / "modules.builtin", "kernel/fs/overlayfs/overlay.ko\n");

  prepare_initramfs(ctx);
  try {
    write_initramfs(ctx, Settings{});
    FAIL() << "no exception";
  } catch (const sdk::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("lacks squashfs"), std::string::npos) << message;
    EXPECT_NE(message.find("early_modules"), std::string::npos) << message;
  }
  write_file(modules / "modules.dep",
             "kernel/drivers/block/loop.ko:\nkernel/fs/squashfs/squashfs.ko:\n");
  EXPECT_NO_THROW(write_initramfs(ctx, Settings{}));
}

TEST(FsSquashfsInitrd, ArchivesArePaddedToFourBytes) {
  TempDir dir;
  const auto a = dir.write("a", "12345");
  const auto b = dir.write("b", "abcdefgh");
  const auto c = dir.write("c", "xyz");
  concatenate_archives({a, b, c}, dir.path() / "initrd");
  EXPECT_EQ(read_file(dir.path() / "initrd"), std::string("12345\0\0\0abcdefghxyz\0", 20));
  EXPECT_THROW(concatenate_archives({dir.path() / "missing"}, dir.path() / "x"), sdk::Error);
}

TEST(FsSquashfsStages, InitramfsNeedsThePublishedBaseImage) {
  FakeContext ctx;
  write_file(ctx.rootfs() / "usr/bin/busybox", static_elf());
  prepare_initramfs(ctx);
  EXPECT_THROW(write_initramfs(ctx, Settings{}), sdk::Error);
}

// --- The plugin object, through its exported factory ---

using RecordingRegistry = sdk::testing::RecordingHookRegistry;

TEST(FsSquashfsPlugin, ClaimsTheFilesystemConcernAndHooksItsStages) {
  std::unique_ptr<sdk::Plugin> plugin(berth_plugin_create());
  const auto info = plugin->info();
  EXPECT_EQ(info.name, "fs-squashfs");
  EXPECT_EQ(info.concern, "filesystem");
  EXPECT_TRUE(info.exclusive);

  RecordingRegistry registry;
  plugin->register_hooks(sdk::ConfigTable("filesystem", "berth.toml:1"), registry);
  std::vector<std::pair<sdk::Stage, int>> stages;
  for (const auto& hook : registry.hooks) stages.emplace_back(hook.stage, hook.order);
  EXPECT_EQ(stages, (std::vector<std::pair<sdk::Stage, int>>{{sdk::Stage::strip, 50},
                                                             {sdk::Stage::strip, 90},
                                                             {sdk::Stage::filesystem, 50},
                                                             {sdk::Stage::initramfs, 5},
                                                             {sdk::Stage::initramfs, 50}}));
}

TEST(FsSquashfsPlugin, BadConfigFailsAtRegistration) {
  std::unique_ptr<sdk::Plugin> plugin(berth_plugin_create());
  sdk::ConfigTable config("filesystem", "berth.toml:1");
  config.set("compression", {std::string("brotli"), "berth.toml:2"});
  RecordingRegistry registry;
  EXPECT_THROW(plugin->register_hooks(config, registry), sdk::ConfigError);
  EXPECT_TRUE(registry.hooks.empty());
}

}  // namespace
}  // namespace berth::fs_squashfs
