// kernel-debian: which fetched package holds the kernel.
#include <gtest/gtest.h>

#include "berth/sdk/error.hpp"
#include "kernel_package.hpp"

namespace {

using berth::kernel_debian::pick_kernel_package;
using berth::sdk::FetchedPackage;

FetchedPackage package(const std::string& name) {
  return {name, "1", "/var/cache/berth/" + name + ".deb"};
}

TEST(PickKernelPackage, TheMetapackageLeadsToTheVersionedImage) {
  auto picked = pick_kernel_package(
      {package("linux-image-amd64"), package("kmod"), package("initramfs-tools"),
       package("linux-image-6.12.38+deb13-amd64"), package("klibc-utils")},
      "linux-image-amd64");
  EXPECT_EQ(picked.name, "linux-image-6.12.38+deb13-amd64");
  EXPECT_EQ(picked.deb, "/var/cache/berth/linux-image-6.12.38+deb13-amd64.deb");
}

TEST(PickKernelPackage, AVersionedRequestIsItsOwnImage) {
  EXPECT_EQ(pick_kernel_package({package("kmod"), package("linux-image-6.1.0-kali9-amd64")},
                                "linux-image-6.1.0-kali9-amd64")
                .name,
            "linux-image-6.1.0-kali9-amd64");
}

TEST(PickKernelPackage, DebugSymbolsAreNotAKernel) {
  EXPECT_EQ(pick_kernel_package({package("linux-image-6.12.38+deb13-amd64-dbg"),
                                 package("linux-image-6.12.38+deb13-amd64")},
                                "linux-image-amd64")
                .name,
            "linux-image-6.12.38+deb13-amd64");
}

TEST(PickKernelPackage, NoKernelNamesTheRequestAndWhatCame) {
  try {
    pick_kernel_package({package("linux-image-amd64"), package("kmod")}, "linux-image-amd64");
    FAIL() << "no error";
  } catch (const berth::sdk::Error& error) {
    EXPECT_STREQ(error.what(),
                 "package linux-image-amd64 brought no linux-image-<version> package (got "
                 "linux-image-amd64, kmod)");
  }
}

TEST(PickKernelPackage, TwoKernelsAreAmbiguous) {
  try {
    pick_kernel_package(
        {package("linux-image-6.1.0-1-amd64"), package("linux-image-6.12.0-1-amd64")},
        "linux-image-amd64");
    FAIL() << "no error";
  } catch (const berth::sdk::Error& error) {
    EXPECT_STREQ(error.what(),
                 "package linux-image-amd64 brought several kernels (linux-image-6.1.0-1-amd64, "
                 "linux-image-6.12.0-1-amd64); name one of them in [kernel] package");
  }
}

}  // namespace
