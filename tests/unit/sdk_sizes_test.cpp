// Sizes in log lines and the build report: binary units, one decimal.
#include <gtest/gtest.h>

#include "berth/sdk/sizes.hpp"

namespace berth::sdk {
namespace {

TEST(SdkSizes, HumanSizeTakesTheUnitThatSuits) {
  EXPECT_EQ(human_size(0), "0 B");
  EXPECT_EQ(human_size(812), "812 B");
  EXPECT_EQ(human_size(4096), "4.0 KiB");
  EXPECT_EQ(human_size(12 * 1024 * 1024 + 300 * 1024), "12.3 MiB");
  EXPECT_EQ(human_size(3ull << 30), "3.0 GiB");
  EXPECT_EQ(human_size(5ull << 50), "5120.0 TiB");  // no unit past TiB
}

TEST(SdkSizes, MebibytesAreAlwaysMebibytes) {
  EXPECT_EQ(mebibytes(0), "0.0 MiB");
  EXPECT_EQ(mebibytes(300 * 1024), "0.3 MiB");
  EXPECT_EQ(mebibytes(12 * 1024 * 1024 + 300 * 1024), "12.3 MiB");
  EXPECT_EQ(mebibytes(2ull << 30), "2048.0 MiB");
}

}  // namespace
}  // namespace berth::sdk
