// The hooks of fs-squashfs against a BuildContext that works on temporary directories:
// what they report and publish, and a real mksquashfs run when the host has one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

#include "berth/sdk/error.hpp"
#include "berth/sdk/plugin.hpp"
#include "files_installer.hpp"
#include "initrd_file.hpp"
#include "stages.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

extern "C" berth::sdk::Plugin* berth_plugin_create();

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

const fs::path kDataDir = fs::path(BERTH_SOURCE_DIR) / "plugins/fs-squashfs/files";

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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

class FakeContext : public sdk::BuildContext {
 public:
  FakeContext()
      : rootfs_(top_.path() / "rootfs"),
        initramfs_(top_.path() / "initramfs"),
        iso_(top_.path() / "iso"),
        output_(top_.path() / "out.staging"),
        cache_(top_.path() / "cache") {
    for (const auto* dir : {&rootfs_, &initramfs_, &iso_, &output_, &cache_}) {
      fs::create_directories(*dir);
    }
    fs::create_directories(work_dir());
    debian_.architecture = "amd64";
  }

  const fs::path& rootfs() const override { return rootfs_; }
  const fs::path& initramfs_root() const override { return initramfs_; }
  const fs::path& iso_root() const override { return iso_; }
  const fs::path& output_dir() const override { return output_; }
  const fs::path& cache_dir() const override { return cache_; }
  fs::path work_dir() const override { return top_.path() / "plugins/fs-squashfs"; }
  fs::path data_dir() const override { return kDataDir; }
  fs::path config_dir() const override { return top_.path(); }
  const sdk::ConfigTable& config() const override { return config_; }
  const sdk::DebianSources& debian() const override { return debian_; }
  std::string berth_version() const override { return "0.1.0"; }
  std::int64_t source_date_epoch() const override { return 1700000000; }

  void log(sdk::LogLevel level, const std::string& message) override {
    logs.push_back({level, message});
  }

  // Through the shell, with SOURCE_DATE_EPOCH set as a reproducible-builds-minded core
  // might set it: mksquashfs must not trip over it.
  sdk::RunResult run(const std::vector<std::string>& argv, const sdk::RunOptions&) override {
    std::string command = "SOURCE_DATE_EPOCH=1 ";
    for (const auto& arg : argv) command += shell_quote(arg) + " ";
    const int status = std::system(command.c_str());
    if (status != 0) throw sdk::Error(argv[0] + " failed");
    return {};
  }

  std::vector<sdk::FetchedPackage> fetch_packages(const std::vector<std::string>&, bool) override {
    throw sdk::Error("fetch_packages is not for fs-squashfs");
  }
  void extract_deb(const fs::path&, const fs::path&) override {
    throw sdk::Error("extract_deb is not for fs-squashfs");
  }

  // Records the call; the "archive" lists the tree's files, so tests see what went in.
  void write_cpio(const fs::path& tree, const fs::path& archive,
                  sdk::Compression compression) override {
    cpio_calls.push_back({tree, compression});
    std::ofstream out(archive);
    out << "cpio:";
    for (const auto& entry : fs::recursive_directory_iterator(tree)) {
      out << " " << fs::relative(entry.path(), tree).string();
    }
  }
  void write_tar(const fs::path&, const fs::path&, sdk::Compression) override {
    throw sdk::Error("write_tar is not for fs-squashfs");
  }
  void copy_tree(const fs::path& source, const fs::path& target) override {
    fs::copy(source, target,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks |
                 fs::copy_options::overwrite_existing);
  }

  void publish(const std::string& key, const std::string& value) override { facts[key] = value; }
  std::optional<std::string> lookup(const std::string& key) const override {
    auto it = facts.find(key);
    if (it == facts.end()) return std::nullopt;
    return it->second;
  }
  void report_size(const std::string& component, std::uint64_t bytes) override {
    sizes[component] = bytes;
  }
  void report_removed(const std::string& rule, std::uint64_t files, std::uint64_t bytes) override {
    removed[rule] = {files, bytes};
  }
  void record_packages(const std::vector<sdk::FetchedPackage>&) override {}

  bool logged(sdk::LogLevel level, const std::string& part) const {
    for (const auto& [l, message] : logs) {
      if (l == level && message.find(part) != std::string::npos) return true;
    }
    return false;
  }

  std::map<std::string, std::string> facts;
  std::map<std::string, std::uint64_t> sizes;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> removed;
  std::vector<std::pair<sdk::LogLevel, std::string>> logs;
  std::vector<std::pair<fs::path, sdk::Compression>> cpio_calls;

 private:
  TempDir top_;
  fs::path rootfs_, initramfs_, iso_, output_, cache_;
  sdk::ConfigTable config_{"filesystem", "berth.toml:1"};
  sdk::DebianSources debian_;
};

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(FsSquashfsStages, StripReportsWhatEachRuleRemoved) {
  FakeContext ctx;
  write(ctx.rootfs() / "usr/share/man/man1/docker.1.gz", std::string(400, 'm'));
  write(ctx.rootfs() / "usr/share/doc/tini/copyright", "c");
  write(ctx.rootfs() / "usr/share/doc/tini/README", std::string(30, 'r'));
  write(ctx.rootfs() / "opt/big/blob", std::string(1000, 'b'));
  write(ctx.rootfs() / "opt/big/keep.me", "k");
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
  EXPECT_TRUE(ctx.logged(sdk::LogLevel::info, "stripped 3 files"));
}

TEST(FsSquashfsStages, BaseImageIsReproducibleAndPublished) {
  if (!have_program("mksquashfs")) GTEST_SKIP() << "mksquashfs is not installed";
  FakeContext ctx;
  write(ctx.rootfs() / "usr/bin/tool", std::string(5000, 't'));
  write(ctx.rootfs() / "etc/hostname", "berth\n");
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
  write(ctx.rootfs() / "etc/hostname", "berth\n");
  build_base_image(ctx, settings);
  EXPECT_TRUE(read_file(image) == first) << "base.squashfs differs between two builds";
}

TEST(FsSquashfsStages, InitramfsHoldsBusyboxInitAndTheBaseImage) {
  FakeContext ctx;
  write(ctx.rootfs() / "usr/bin/busybox", static_elf());
  write(ctx.work_dir() / "base.squashfs", "squashfs image");
  ctx.publish(sdk::facts::kBaseImage, (ctx.work_dir() / "base.squashfs").string());
  Settings settings;
  settings.initrd_compression = sdk::Compression::zstd;

  prepare_initramfs(ctx);
  // What the core installs between our two steps (order::kFiles): /init and cmdline.sh.
  core::install_files(kDataDir / "initramfs", ctx.initramfs_root());
  core::install_files(kDataDir / "both", ctx.initramfs_root());
  // A plugin's early hook, between our two steps, goes through the merged-/usr links.
  write(ctx.initramfs_root() / "sbin/cryptsetup", "x");
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
  ASSERT_EQ(ctx.cpio_calls.size(), 2u);
  const fs::path image_tree = ctx.cpio_calls[0].first;
  EXPECT_EQ(ctx.cpio_calls[0].second, sdk::Compression::none);
  EXPECT_EQ(read_file(image_tree / "berth/base.squashfs"), "squashfs image");
  EXPECT_EQ(ctx.cpio_calls[1], std::make_pair(root, sdk::Compression::zstd));

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
  EXPECT_TRUE(ctx.logged(sdk::LogLevel::warn, "cannot check"));
}

TEST(FsSquashfsStages, InitramfsWithoutRootModulesFailsTheBuild) {
  FakeContext ctx;
  write(ctx.rootfs() / "usr/bin/busybox", static_elf());
  write(ctx.work_dir() / "base.squashfs", "squashfs image");
  ctx.publish(sdk::facts::kBaseImage, (ctx.work_dir() / "base.squashfs").string());
  ctx.publish(sdk::facts::kKernelVersion, "6.12.38+deb13-amd64");
  const fs::path modules = ctx.initramfs_root() / "usr/lib/modules/6.12.38+deb13-amd64";
  write(modules / "modules.dep", "kernel/drivers/block/loop.ko:\n");
  write(modules / "modules.builtin", "kernel/fs/overlayfs/overlay.ko\n");

  prepare_initramfs(ctx);
  try {
    write_initramfs(ctx, Settings{});
    FAIL() << "no exception";
  } catch (const sdk::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("lacks squashfs"), std::string::npos) << message;
    EXPECT_NE(message.find("early_modules"), std::string::npos) << message;
  }
  write(modules / "modules.dep",
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
  write(ctx.rootfs() / "usr/bin/busybox", static_elf());
  prepare_initramfs(ctx);
  EXPECT_THROW(write_initramfs(ctx, Settings{}), sdk::Error);
}

// --- The plugin object, through its exported factory ---

struct Registered {
  sdk::Stage stage;
  int order;
  std::string name;
};

class RecordingRegistry : public sdk::HookRegistry {
 public:
  void add(sdk::Stage stage, int order, const std::string& name, sdk::Hook) override {
    hooks.push_back({stage, order, name});
  }
  std::vector<Registered> hooks;
};

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
