// contents.txt: per-file sizes with their packages, and the xz estimate behind them.
#include <gtest/gtest.h>

#include <random>

#include "contents_report.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

std::string random_bytes(std::size_t size) {
  std::mt19937 generator(42);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(generator() & 0xff);
  return out;
}

TEST(FsSquashfsContents, EstimateShrinksRepetitionAndNeverExceedsTheFile) {
  TempDir dir;
  const auto zeros = dir.write("zeros", std::string(3 << 20, '\0'));
  const auto noise = dir.write("noise", random_bytes(200000));
  // Three blocks of zeros, each compressed on its own: a few hundred bytes each.
  const auto packed = xz_estimate(zeros, 1 << 20, false);
  EXPECT_GT(packed, 0u);
  EXPECT_LT(packed, 3000u);
  // Random data does not compress; mksquashfs then stores the block as it is.
  EXPECT_EQ(xz_estimate(noise, 1 << 20, false), 200000u);
  EXPECT_EQ(xz_estimate(dir.write("empty", ""), 1 << 20, false), 0u);
}

TEST(FsSquashfsContents, SmallerBlocksCompressWorse) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 40000; ++i) text += "line " + std::to_string(i % 977) + " of a log\n";
  const auto file = dir.write("log", text);
  EXPECT_LT(xz_estimate(file, 1 << 20, false), xz_estimate(file, 4096, false));
}

TEST(FsSquashfsContents, OwnersAreTabSeparatedAndMalformedLinesSkipped) {
  const auto owners =
      parse_owners("usr/bin/jq\tjq\nno tab here\n\tjq\nusr/bin/x\t\nusr/bin/jq\tjq2\n");
  EXPECT_EQ(owners, (std::map<std::string, std::string>{{"usr/bin/jq", "jq2"}}));
}

TEST(FsSquashfsContents, EachFileOnceWithItsPackageBiggestFirst) {
  TempDir root;
  root.write("usr/bin/big", random_bytes(50000));
  root.write("usr/bin/small", random_bytes(1000));
  root.write("etc/berth/rc", "#!/bin/sh\n");
  fs::create_hard_link(root.path() / "usr/bin/big", root.path() / "usr/bin/big-link");
  fs::create_symlink("big", root.path() / "usr/bin/alias");
  const std::map<std::string, std::string> owners = {{"usr/bin/big", "bigpkg"},
                                                     {"usr/bin/small", "smallpkg"}};

  const auto sizes = measure_contents(root.path(), owners, {});
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[0].path, "usr/bin/big");
  EXPECT_EQ(sizes[0].package, "bigpkg");
  EXPECT_EQ(sizes[0].bytes, 50000u);
  EXPECT_FALSE(sizes[0].compressed);
  EXPECT_EQ(sizes[1].path, "usr/bin/small");
  EXPECT_EQ(sizes[2].path, "etc/berth/rc");
  EXPECT_EQ(sizes[2].package, "-");

  MeasureOptions estimate;
  estimate.estimate = true;
  const auto estimated = measure_contents(root.path(), owners, estimate);
  ASSERT_EQ(estimated.size(), 3u);
  EXPECT_EQ(estimated[0].compressed, std::optional<std::uint64_t>(50000u));
  EXPECT_LT(*estimated[2].compressed, 100u);
}

TEST(FsSquashfsContents, ReportTotalsPackagesThenListsPaths) {
  const std::vector<FileShare> files = {
      {"usr/bin/a", "p", 100, 60}, {"usr/bin/b", "q", 90, 50}, {"usr/lib/c", "p", 10, 5}};
  const auto text = render_contents(files);
  EXPECT_NE(text.find("package\tp\t2\t110\t65\npackage\tq\t1\t90\t50\n"
                      "path\tusr/bin/a\tp\t100\t60\npath\tusr/bin/b\tq\t90\t50\n"
                      "path\tusr/lib/c\tp\t10\t5\n"),
            std::string::npos)
      << text;
  const auto plain = render_contents({{"usr/bin/a", "-", 7, std::nullopt}});
  EXPECT_NE(plain.find("package\t-\t1\t7\t-\npath\tusr/bin/a\t-\t7\t-\n"), std::string::npos)
      << plain;
}

}  // namespace
}  // namespace berth::fs_squashfs
