// PathGlob: the glob language of the strip and keep rules.
#include <gtest/gtest.h>

#include <stdexcept>

#include "path_glob.hpp"

namespace berth::fs_squashfs {
namespace {

TEST(FsSquashfsGlob, LiteralPathMatchesItselfOnly) {
  PathGlob glob("usr/share/doc");
  EXPECT_TRUE(glob.matches("usr/share/doc"));
  EXPECT_FALSE(glob.matches("usr/share"));
  EXPECT_FALSE(glob.matches("usr/share/doc/bash"));
  EXPECT_FALSE(glob.matches("usr/share/docs"));
}

TEST(FsSquashfsGlob, LeadingAndDoubledSlashesMeanNothing) {
  PathGlob glob("/usr//share/doc/");
  EXPECT_TRUE(glob.matches("usr/share/doc"));
  EXPECT_EQ(glob.pattern(), "/usr//share/doc/");
}

TEST(FsSquashfsGlob, StarStaysInsideOneComponent) {
  PathGlob glob("usr/share/doc/*/copyright");
  EXPECT_TRUE(glob.matches("usr/share/doc/bash/copyright"));
  EXPECT_FALSE(glob.matches("usr/share/doc/bash/examples/copyright"));
  EXPECT_FALSE(glob.matches("usr/share/doc/copyright"));
}

TEST(FsSquashfsGlob, StarTakesDotFiles) {
  PathGlob glob("var/log/*");
  EXPECT_TRUE(glob.matches("var/log/.keep"));
  EXPECT_TRUE(glob.matches("var/log/dpkg.log"));
  EXPECT_FALSE(glob.matches("var/log"));
}

TEST(FsSquashfsGlob, QuestionMarkAndBrackets) {
  PathGlob glob("lib/ld-?.[0-9]*");
  EXPECT_TRUE(glob.matches("lib/ld-a.2.so"));
  EXPECT_FALSE(glob.matches("lib/ld-ab.2.so"));
  EXPECT_FALSE(glob.matches("lib/ld-a.x.so"));
}

TEST(FsSquashfsGlob, DoubleStarMatchesAnyDepthIncludingNone) {
  PathGlob glob("usr/lib/**/*.a");
  EXPECT_TRUE(glob.matches("usr/lib/libc.a"));
  EXPECT_TRUE(glob.matches("usr/lib/x86_64-linux-gnu/libc.a"));
  EXPECT_TRUE(glob.matches("usr/lib/gcc/x86_64-linux-gnu/14/libgcc.a"));
  EXPECT_FALSE(glob.matches("usr/libexec/libc.a"));
  EXPECT_FALSE(glob.matches("usr/lib/libc.so"));
}

TEST(FsSquashfsGlob, LeadingDoubleStarMatchesFromTheRoot) {
  PathGlob glob("**/__pycache__");
  EXPECT_TRUE(glob.matches("__pycache__"));
  EXPECT_TRUE(glob.matches("usr/lib/python3/dist-packages/x/__pycache__"));
  EXPECT_FALSE(glob.matches("usr/lib/python3/dist-packages/x/__pycache__/a.pyc"));
}

TEST(FsSquashfsGlob, TrailingDoubleStarMatchesEverythingBelow) {
  PathGlob glob("var/cache/**");
  EXPECT_TRUE(glob.matches("var/cache"));
  EXPECT_TRUE(glob.matches("var/cache/apt/pkgcache.bin"));
  EXPECT_FALSE(glob.matches("var/lib/apt"));
}

TEST(FsSquashfsGlob, RepeatedDoubleStarsStillMatch) {
  PathGlob glob("a/**/**/b");
  EXPECT_TRUE(glob.matches("a/b"));
  EXPECT_TRUE(glob.matches("a/x/y/z/b"));
  EXPECT_FALSE(glob.matches("a/x/y/z/c"));
}

TEST(FsSquashfsGlob, RefusesPatternsThatCannotMeanAnything) {
  EXPECT_THROW(PathGlob(""), std::invalid_argument);
  EXPECT_THROW(PathGlob("///"), std::invalid_argument);
  EXPECT_THROW(PathGlob("usr/../etc"), std::invalid_argument);
  EXPECT_THROW(PathGlob("./usr"), std::invalid_argument);
  EXPECT_THROW(PathGlob("**"), std::invalid_argument);
  EXPECT_THROW(PathGlob("/**/**"), std::invalid_argument);
}

TEST(FsSquashfsGlob, ErrorNamesThePattern) {
  try {
    PathGlob("usr/../etc");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("usr/../etc"), std::string::npos) << error.what();
  }
}

TEST(FsSquashfsGlob, SplitPathDropsEmptyComponents) {
  EXPECT_EQ(split_path("/a//b/c/"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_path("").empty());
}

}  // namespace
}  // namespace berth::fs_squashfs
