#include "output_dir.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

TEST(StagedOutput, FailedBuildLeavesTheOldOutputAlone) {
  TempDir dir;
  dir.write("out/berth.iso", "old");
  {
    StagedOutput output(dir.path() / "out");
    std::ofstream(output.staging() / "berth.iso") << "half";
    // no commit: the build failed
  }
  EXPECT_TRUE(fs::exists(dir.path() / "out/berth.iso"));
  std::ifstream in(dir.path() / "out/berth.iso");
  std::string text;
  in >> text;
  EXPECT_EQ(text, "old");
  EXPECT_FALSE(fs::exists(dir.path() / ".out.staging"));
}

TEST(StagedOutput, CommitReplacesTheWholeDirectory) {
  TempDir dir;
  dir.write("out/stale.txt", "old");
  StagedOutput output(dir.path() / "out");
  std::ofstream(output.staging() / "berth.iso") << "new";
  output.commit();
  EXPECT_TRUE(fs::exists(dir.path() / "out/berth.iso"));
  EXPECT_FALSE(fs::exists(dir.path() / "out/stale.txt"));
}

}  // namespace
}  // namespace berth::core
