// Unit tests of the benchmark's parsing: build-report size lines, the base image breakdown.
#include <gtest/gtest.h>

#include "boot_measure.hpp"
#include "size_breakdown.hpp"

namespace berth::bench {
namespace {

TEST(BenchSizes, ReadsSizeLinesOnly) {
  const auto sizes = parse_report_sizes(
      "# build report\nsize\tkernel\t12345\nsize  modules   99\nstage\tbootstrap\t12.5\n"
      "size\tbroken\tx12\nsize\ttoo\tmany\t1\n");
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[0], (std::pair<std::string, std::uint64_t>{"kernel", 12345}));
  EXPECT_EQ(sizes[1], (std::pair<std::string, std::uint64_t>{"modules", 99}));
}

TEST(BenchSizes, ReadsStageTimes) {
  const auto stages = parse_report_stages(
      "stage\tbootstrap\t41.5\nhook\tbootstrap\tx/y\t41.5\nstage\tkernel\t3\n"
      "stage\tbad\t3s\nsize\tkernel\t1\n");
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0].first, "bootstrap");
  EXPECT_DOUBLE_EQ(stages[0].second, 41.5);
  EXPECT_EQ(stages[1].first, "kernel");
}

TEST(BenchSizes, ClassifiesFiles) {
  EXPECT_EQ(classify("usr/lib/modules/6.12.0-1-amd64/kernel/fs/overlayfs/overlay.ko"),
            "kernel modules");
  EXPECT_EQ(classify("usr/sbin/dockerd"), "docker binaries");
  EXPECT_EQ(classify("usr/bin/containerd-shim-runc-v2"), "docker binaries");
  EXPECT_EQ(classify("usr/libexec/docker/cli-plugins/docker-buildx"), "docker binaries");
  EXPECT_EQ(classify("usr/share/doc/docker/README"), "other userland");
  EXPECT_EQ(classify("usr/bin/busybox"), "other userland");
}

TEST(BenchSizes, SumsRegularFilesFromTheListing) {
  const auto parts = breakdown_from_listing(
      "Parallel unsquashfs: Using 2 processors\n"
      "3 inodes (5 blocks) to write\n\n"
      "drwxr-xr-x root/root               120 2025-01-01 00:00 root\n"
      "-rwxr-xr-x root/root          94427160 2025-01-01 00:00 root/usr/sbin/dockerd\n"
      "-rw-r--r-- root/root              1000 2025-01-01 00:00 root/usr/lib/modules/v/a.ko\n"
      "-rw-r--r-- root/root               500 2025-01-01 00:00 root/etc/with space\n"
      "lrwxrwxrwx root/root                 7 2025-01-01 00:00 root/bin -> usr/bin\n"
      "crw-r--r-- root/root             5,  1 2025-01-01 00:00 root/dev/console\n");
  EXPECT_EQ(parts.at("docker binaries"), 94427160u);
  EXPECT_EQ(parts.at("kernel modules"), 1000u);
  EXPECT_EQ(parts.at("other userland"), 500u);
  EXPECT_EQ(parts.size(), 3u);
}

TEST(BenchStats, Median) {
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median({}), 0);
}

}  // namespace
}  // namespace berth::bench
