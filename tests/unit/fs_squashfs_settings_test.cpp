// The [filesystem] table of fs-squashfs, and the mksquashfs command built from it.
#include <gtest/gtest.h>

#include <algorithm>

#include "berth/sdk/error.hpp"
#include "mksquashfs_command.hpp"
#include "settings.hpp"

namespace berth::fs_squashfs {
namespace {

using sdk::ConfigTable;
using sdk::ConfigValue;

ConfigTable table() {
  return ConfigTable("filesystem", "berth.toml:40");
}

ConfigValue strings(std::initializer_list<const char*> items) {
  ConfigValue::Array array;
  for (const char* item : items) array.push_back({std::string(item), "berth.toml:45"});
  return {array, "berth.toml:45"};
}

// The message of the ConfigError that reading `config` throws, or "" when none.
std::string config_error(const ConfigTable& config) {
  try {
    read_settings(config);
  } catch (const sdk::ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(FsSquashfsSettings, DefaultsAreXzSmallBlocksAndZstdAroundTheImage) {
  const auto settings = read_settings(table());
  EXPECT_EQ(settings.compression, "xz");
  EXPECT_EQ(settings.block_size, 131072u);
  EXPECT_EQ(settings.fast_block_size, 1048576u) << "the fast image's programs are read whole";
  EXPECT_EQ(settings.initrd_compression, sdk::Compression::zstd);
  EXPECT_TRUE(settings.strip.empty());
  EXPECT_TRUE(settings.keep.empty());
  EXPECT_TRUE(settings.size_estimate);  // the release image is xz: its report has estimates
  EXPECT_EQ(settings.fast_compression, "zstd");
}

TEST(FsSquashfsSettings, FastCompressionIsACompressorOrNone) {
  auto config = table();
  config.set("fast_compression", {std::string("none"), "berth.toml:44"});
  EXPECT_EQ(read_settings(config).fast_compression, "none");
  config.set("fast_compression", {std::string("lz4"), "berth.toml:44"});
  EXPECT_EQ(read_settings(config).fast_compression, "lz4");
  config.set("fast_compression", {std::string("brotli"), "berth.toml:45"});
  const std::string error = config_error(config);
  EXPECT_NE(error.find("berth.toml:45"), std::string::npos) << error;
  EXPECT_NE(error.find("brotli"), std::string::npos) << error;
}

TEST(FsSquashfsSettings, SizeEstimateDefaultsToOffForOtherCompressors) {
  auto config = table();
  config.set("compression", {std::string("zstd"), "berth.toml:41"});
  EXPECT_FALSE(read_settings(config).size_estimate);
  config.set("size_estimate", {true, "berth.toml:42"});
  EXPECT_TRUE(read_settings(config).size_estimate);
}

TEST(FsSquashfsSettings, ReadsEveryKey) {
  auto config = table();
  config.set("compression", {std::string("zstd"), "berth.toml:41"});
  config.set("block_size", {std::int64_t{131072}, "berth.toml:42"});
  config.set("fast_block_size", {std::int64_t{524288}, "berth.toml:44"});
  config.set("initrd_compression", {std::string("lz4"), "berth.toml:43"});
  config.set("strip", strings({"usr/share/zoneinfo/right", "/opt/**"}));
  config.set("keep", strings({"usr/share/doc/docker.io/**"}));
  const auto settings = read_settings(config);
  EXPECT_EQ(settings.compression, "zstd");
  EXPECT_EQ(settings.block_size, 131072u);
  EXPECT_EQ(settings.fast_block_size, 524288u);
  EXPECT_EQ(settings.initrd_compression, sdk::Compression::lz4);
  EXPECT_EQ(settings.strip, (std::vector<std::string>{"usr/share/zoneinfo/right", "/opt/**"}));
  EXPECT_EQ(settings.keep, (std::vector<std::string>{"usr/share/doc/docker.io/**"}));
}

TEST(FsSquashfsSettings, UnknownCompressorIsAnErrorAtItsLine) {
  auto config = table();
  config.set("compression", {std::string("lzo"), "berth.toml:41"});
  const auto message = config_error(config);
  EXPECT_NE(message.find("berth.toml:41"), std::string::npos) << message;
  EXPECT_NE(message.find("compression"), std::string::npos) << message;
  EXPECT_NE(message.find("'lzo'"), std::string::npos) << message;
}

TEST(FsSquashfsSettings, UnknownInitrdCompressorIsAnError) {
  auto config = table();
  config.set("initrd_compression", {std::string("bzip2"), "berth.toml:43"});
  const auto message = config_error(config);
  EXPECT_NE(message.find("berth.toml:43"), std::string::npos) << message;
  EXPECT_NE(message.find("none, gzip, zstd, xz, lz4"), std::string::npos) << message;
}

TEST(FsSquashfsSettings, BlockSizesMustBePowersOfTwoSquashfsAccepts) {
  for (const std::string key : {"block_size", "fast_block_size"}) {
    for (std::int64_t bad : {0, 2048, 100000, 2097152, -4096}) {
      auto config = table();
      config.set(key, {bad, "berth.toml:42"});
      const auto message = config_error(config);
      EXPECT_NE(message.find(key), std::string::npos) << bad << ": " << message;
      EXPECT_NE(message.find("berth.toml:42"), std::string::npos) << bad << ": " << message;
    }
    for (std::int64_t good : {4096, 65536, 1048576}) {
      auto config = table();
      config.set(key, {good, "berth.toml:42"});
      const auto settings = read_settings(config);
      EXPECT_EQ(key == "block_size" ? settings.block_size : settings.fast_block_size,
                static_cast<std::uint32_t>(good));
    }
  }
}

TEST(FsSquashfsSettings, BadGlobsAreErrorsNamingKeyAndGlob) {
  auto config = table();
  config.set("keep", strings({"usr/../etc"}));
  const auto message = config_error(config);
  EXPECT_NE(message.find("keep"), std::string::npos) << message;
  EXPECT_NE(message.find("usr/../etc"), std::string::npos) << message;

  auto everything = table();
  everything.set("strip", strings({"**"}));
  EXPECT_NE(config_error(everything).find("whole rootfs"), std::string::npos);
}

TEST(FsSquashfsSettings, SchemaDeclaresEveryKeyItReads) {
  std::vector<std::string> names;
  for (const auto& key : config_schema()) names.push_back(key.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"block_size", "compression", "fast_block_size",
                                             "fast_compression", "initrd_compression", "keep",
                                             "size_estimate", "strip"}));
}

// --- mksquashfs_command ---

// The value after `flag` in argv, or "" when the flag is absent.
std::string flag_value(const std::vector<std::string>& argv, const std::string& flag) {
  auto it = std::find(argv.begin(), argv.end(), flag);
  return it == argv.end() || it + 1 == argv.end() ? "" : *(it + 1);
}

bool has(const std::vector<std::string>& argv, const std::string& flag) {
  return std::find(argv.begin(), argv.end(), flag) != argv.end();
}

TEST(FsSquashfsMksquashfs, XzOnAmd64UsesTheX86FilterAndFixedTimes) {
  SquashfsOptions options;
  options.compression = "xz";
  options.block_size = 1048576;
  options.architecture = "amd64";
  options.timestamp = 1700000000;
  const auto argv = mksquashfs_command("/w/rootfs", "/w/base.squashfs", options);

  ASSERT_GE(argv.size(), 6u);
  EXPECT_EQ(std::vector<std::string>(argv.begin(), argv.begin() + 6),
            (std::vector<std::string>{"env", "-u", "SOURCE_DATE_EPOCH", "mksquashfs", "/w/rootfs",
                                      "/w/base.squashfs"}));
  EXPECT_EQ(flag_value(argv, "-comp"), "xz");
  EXPECT_EQ(flag_value(argv, "-Xbcj"), "x86");
  EXPECT_EQ(flag_value(argv, "-b"), "1048576");
  EXPECT_EQ(flag_value(argv, "-mkfs-time"), "1700000000");
  EXPECT_EQ(flag_value(argv, "-all-time"), "1700000000");
  for (const char* flag : {"-noappend", "-no-xattrs", "-exit-on-error", "-no-exports"}) {
    EXPECT_TRUE(has(argv, flag)) << flag;
  }
  // Owners come from the extracted rootfs.
  EXPECT_FALSE(has(argv, "-all-root"));
  // -Xbcj is a compressor option: it must follow -comp xz.
  EXPECT_LT(std::find(argv.begin(), argv.end(), "-comp"),
            std::find(argv.begin(), argv.end(), "-Xbcj"));
}

TEST(FsSquashfsMksquashfs, OtherCompressorsTakeNoXzFilter) {
  SquashfsOptions options;
  options.architecture = "amd64";
  for (const char* compressor : {"zstd", "lz4", "gzip"}) {
    options.compression = compressor;
    options.block_size = 131072;
    const auto argv = mksquashfs_command("r", "i", options);
    EXPECT_EQ(flag_value(argv, "-comp"), compressor);
    EXPECT_FALSE(has(argv, "-Xbcj")) << compressor;
    EXPECT_EQ(flag_value(argv, "-b"), "131072");
  }
}

TEST(FsSquashfsMksquashfs, LevelExcludeFileAndNoFragmentsOnlyWhenAsked) {
  SquashfsOptions options;
  options.compression = "zstd";
  auto argv = mksquashfs_command("r", "i", options);
  EXPECT_FALSE(has(argv, "-Xcompression-level"));
  EXPECT_FALSE(has(argv, "-ef"));
  EXPECT_FALSE(has(argv, "-no-fragments"));
  options.level = 19;
  options.no_fragments = true;
  options.exclude_file = "/w/base-exclude.txt";
  argv = mksquashfs_command("r", "i", options);
  EXPECT_EQ(flag_value(argv, "-Xcompression-level"), "19");
  EXPECT_EQ(flag_value(argv, "-ef"), "/w/base-exclude.txt");
  EXPECT_TRUE(has(argv, "-no-fragments"));
  // A compressor option follows -comp.
  EXPECT_LT(std::find(argv.begin(), argv.end(), "-comp"),
            std::find(argv.begin(), argv.end(), "-Xcompression-level"));
}

TEST(FsSquashfsMksquashfs, XzFilterOnlyWhereOneExists) {
  EXPECT_EQ(xz_bcj_filter("amd64"), "x86");
  EXPECT_EQ(xz_bcj_filter("i386"), "x86");
  EXPECT_EQ(xz_bcj_filter("arm64"), "");
  SquashfsOptions options;
  options.architecture = "arm64";
  EXPECT_FALSE(has(mksquashfs_command("r", "i", options), "-Xbcj"));
}

TEST(FsSquashfsMksquashfs, TimestampMustFitThirtyTwoBits) {
  SquashfsOptions options;
  options.timestamp = -1;
  EXPECT_THROW(mksquashfs_command("r", "i", options), sdk::Error);
  options.timestamp = 4294967296;
  EXPECT_THROW(mksquashfs_command("r", "i", options), sdk::Error);
  options.timestamp = 4294967295;
  EXPECT_EQ(flag_value(mksquashfs_command("r", "i", options), "-all-time"), "4294967295");
}

}  // namespace
}  // namespace berth::fs_squashfs
