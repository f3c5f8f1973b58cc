// The build-time check that every dynamic ELF file in the image finds its interpreter and
// libraries inside the image, on real binaries of the build host copied into a tree.
#include <gtest/gtest.h>

#include "elf_file.hpp"
#include "fs_squashfs_glibc_image.hpp"
#include "library_check.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

using test_image::host_has_amd64_glibc;
using test_image::kHostLibc;
using test_image::kHostTrue;
using test_image::kMultiarch;
using test_image::make_glibc_image;

// ld.so.conf naming /opt/lib (through an include), and the cache ldconfig would make.
void add_ld_so_conf(const TempDir& root, bool with_cache) {
  root.write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n");
  root.write("etc/ld.so.conf.d/opt.conf", "# extra\n/opt/lib\n");
  root.write("etc/ld.so.conf.d/README", "/not/a/conf/file\n");
  if (with_cache) root.write("etc/ld.so.cache", "cache");
}

TEST(FsSquashfsLibraryCheck, ReadsTheNeededLibrariesOfARealExecutable) {
  if (!host_has_amd64_glibc()) GTEST_SKIP() << "needs an amd64 glibc build host";
  const auto facts = read_elf_facts(fs::canonical(kHostTrue));
  EXPECT_EQ(facts.needed, std::vector<std::string>{"libc.so.6"});
  EXPECT_TRUE(facts.library_path.empty());
}

TEST(FsSquashfsLibraryCheck, AWholeImagePasses) {
  if (!host_has_amd64_glibc()) GTEST_SKIP() << "needs an amd64 glibc build host";
  TempDir root;
  make_glibc_image(root);
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"), std::vector<std::string>{});
  // Another architecture's loader does not look in x86_64-linux-gnu.
  EXPECT_EQ(unresolved_libraries(root.path(), "arm64"),
            std::vector<std::string>{"usr/bin/true: needs libc.so.6, not in the image"});
  EXPECT_EQ(library_search_dirs(root.path(), "amd64"),
            (std::vector<std::string>{"/lib/x86_64-linux-gnu", "/" + kMultiarch, "/lib", "/usr/lib",
                                      "/lib64", "/usr/lib64"}));
}

TEST(FsSquashfsLibraryCheck, ARemovedLibraryFailsEveryFileThatNeedsIt) {
  if (!host_has_amd64_glibc()) GTEST_SKIP() << "needs an amd64 glibc build host";
  TempDir root;
  make_glibc_image(root);
  fs::remove(root.path() / kMultiarch / "libc.so.6");
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"),
            std::vector<std::string>{"usr/bin/true: needs libc.so.6, not in the image"});
}

TEST(FsSquashfsLibraryCheck, AMissingInterpreterFails) {
  if (!host_has_amd64_glibc()) GTEST_SKIP() << "needs an amd64 glibc build host";
  TempDir root;
  make_glibc_image(root);
  fs::remove(root.path() / kMultiarch / "ld-linux-x86-64.so.2");
  const auto problems = unresolved_libraries(root.path(), "amd64");
  // libc.so.6 is executable too, and needs the loader by name.
  EXPECT_EQ(problems,
            (std::vector<std::string>{
                "usr/bin/true: interpreter /lib64/ld-linux-x86-64.so.2 is not in the image",
                kMultiarch + "/libc.so.6: interpreter /lib64/ld-linux-x86-64.so.2 is not " +
                    "in the image",
                kMultiarch + "/libc.so.6: needs ld-linux-x86-64.so.2, not in the image"}));
}

TEST(FsSquashfsLibraryCheck, OnlyTheDirectoriesTheLoaderSearchesCount) {
  if (!host_has_amd64_glibc()) GTEST_SKIP() << "needs an amd64 glibc build host";
  TempDir root;
  make_glibc_image(root);
  fs::create_directories(root.path() / "opt/lib");
  fs::rename(root.path() / kMultiarch / "libc.so.6", root.path() / "opt/lib/libc.so.6");
  // ld.so.conf without a cache: the loader never reads it.
  add_ld_so_conf(root, false);
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"),
            std::vector<std::string>{"usr/bin/true: needs libc.so.6, not in the image"});
  add_ld_so_conf(root, true);
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"), std::vector<std::string>{});
  EXPECT_EQ(library_search_dirs(root.path(), "amd64").front(), "/opt/lib");
}

TEST(FsSquashfsLibraryCheck, SymlinksResolveInsideTheImageNeverOnTheHost) {
  if (!host_has_amd64_glibc()) GTEST_SKIP() << "needs an amd64 glibc build host";
  TempDir root;
  make_glibc_image(root);
  // An absolute link to a path the build host has and the image does not.
  fs::remove(root.path() / kMultiarch / "libc.so.6");
  fs::create_symlink(kHostLibc, root.path() / kMultiarch / "libc.so.6");
  fs::create_directories(root.path() / "lib");
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"),
            std::vector<std::string>{"usr/bin/true: needs libc.so.6, not in the image"});
}

TEST(FsSquashfsLibraryCheck, KernelModulesAndNonElfFilesAreIgnored) {
  if (!host_has_amd64_glibc()) GTEST_SKIP() << "needs an amd64 glibc build host";
  TempDir root;
  make_glibc_image(root);
  root.write("usr/bin/script", "#!/bin/sh\necho hi\n");
  // A truncated ELF file among the modules is not the loader's business.
  const std::string truncated = std::string(
                                    "\x7f"
                                    "ELF\x02\x01",
                                    6) +
                                std::string(14, '\0');
  root.write("usr/lib/modules/6.12/kernel/x.ko", truncated);
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"), std::vector<std::string>{});
  root.write("usr/bin/broken", truncated);
  const auto problems = unresolved_libraries(root.path(), "amd64");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("usr/bin/broken: ", 0), 0u) << problems[0];
}

}  // namespace
}  // namespace berth::fs_squashfs
