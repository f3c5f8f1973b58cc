// Strip rules meet the libraries that remaining programs load: planned_removals (a dry run
// of strip_tree) and libraries_still_needed, on real binaries of the build host copied into
// a tree, and strip_tree's exact keep paths.
#include <gtest/gtest.h>

#include "elf_file.hpp"
#include "fs_squashfs_glibc_image.hpp"
#include "library_check.hpp"
#include "needed_libraries.hpp"
#include "strip_tree.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

using test_image::kMultiarch;
const fs::path kHostLib = "/lib/x86_64-linux-gnu";

// ls needs libselinux.so.1, which needs libpcre2-8.so.0 (a link to the versioned file).
bool host_has_ls_with_selinux() {
  if (!test_image::host_has_amd64_glibc() || !fs::exists("/usr/bin/ls") ||
      !fs::exists(kHostLib / "libselinux.so.1") || !fs::is_symlink(kHostLib / "libpcre2-8.so.0"))
    return false;
  const auto ls = read_elf_facts("/usr/bin/ls");
  const auto selinux = read_elf_facts(fs::canonical(kHostLib / "libselinux.so.1"));
  auto has = [](const ElfFacts& facts, const std::string& name) {
    return std::find(facts.needed.begin(), facts.needed.end(), name) != facts.needed.end();
  };
  return has(ls, "libselinux.so.1") && !has(ls, "libpcre2-8.so.0") &&
         has(selinux, "libpcre2-8.so.0");
}

// The glibc image with ls, libselinux and libpcre2 (its versioned file and the link).
void make_image(const TempDir& root) {
  test_image::make_glibc_image(root);
  const fs::path& r = root.path();
  fs::copy_file("/usr/bin/ls", r / "usr/bin/ls");
  fs::copy_file(fs::canonical(kHostLib / "libselinux.so.1"), r / kMultiarch / "libselinux.so.1");
  const fs::path pcre = fs::read_symlink(kHostLib / "libpcre2-8.so.0");
  fs::copy_file(fs::canonical(kHostLib / "libpcre2-8.so.0"), r / kMultiarch / pcre.filename());
  fs::create_symlink(pcre.filename(), r / kMultiarch / "libpcre2-8.so.0");
}

const std::vector<StripRule> kLibraryRules = {
    {"usr/lib/*/libselinux.so*", {"usr/lib/*/libselinux.so*"}, false, ""},
    {"usr/lib/*/libpcre2-8.so*", {"usr/lib/*/libpcre2-8.so*"}, false, ""},
};

TEST(FsSquashfsNeededLibraries, APlanRemovesNothing) {
  if (!host_has_ls_with_selinux()) GTEST_SKIP() << "needs an amd64 host with ls on libselinux";
  TempDir root;
  make_image(root);
  const auto plan = planned_removals(root.path(), kLibraryRules, {});
  EXPECT_EQ(plan.size(), 3u);  // libselinux.so.1, the pcre link and its file
  EXPECT_EQ(plan.at(kMultiarch + "/libselinux.so.1"), "usr/lib/*/libselinux.so*");
  EXPECT_EQ(plan.at(kMultiarch + "/libpcre2-8.so.0"), "usr/lib/*/libpcre2-8.so*");
  EXPECT_TRUE(fs::exists(root.path() / kMultiarch / "libselinux.so.1"));
  EXPECT_TRUE(fs::exists(root.path() / kMultiarch / "libpcre2-8.so.0"));
}

TEST(FsSquashfsNeededLibraries, WhatAStayingProgramLoadsStaysWithWhatThatLoads) {
  if (!host_has_ls_with_selinux()) GTEST_SKIP() << "needs an amd64 host with ls on libselinux";
  TempDir root;
  make_image(root);
  const auto plan = planned_removals(root.path(), kLibraryRules, {});
  const auto kept = libraries_still_needed(root.path(), "amd64", plan);
  ASSERT_EQ(kept.size(), 3u);
  // Sorted by path: the pcre link, its file, libselinux.
  EXPECT_EQ(kept[0].path, kMultiarch + "/libpcre2-8.so.0");
  EXPECT_EQ(kept[0].needed_by, kMultiarch + "/libselinux.so.1");
  EXPECT_EQ(kept[0].name, "libpcre2-8.so.0");
  EXPECT_NE(kept[1].path.find(kMultiarch + "/libpcre2-8.so.0."), std::string::npos);
  EXPECT_EQ(kept[2].path, kMultiarch + "/libselinux.so.1");
  EXPECT_EQ(kept[2].needed_by, "usr/bin/ls");
  EXPECT_EQ(kept[2].rule, "usr/lib/*/libselinux.so*");

  std::set<std::string> paths;
  for (const auto& library : kept) paths.insert(library.path);
  strip_tree(root.path(), kLibraryRules, {}, paths);
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"), std::vector<std::string>{});
}

TEST(FsSquashfsNeededLibraries, LibrariesOnlyRemovedProgramsLoadGoWithThem) {
  if (!host_has_ls_with_selinux()) GTEST_SKIP() << "needs an amd64 host with ls on libselinux";
  TempDir root;
  make_image(root);
  auto rules = kLibraryRules;
  rules.push_back({"usr/bin/ls", {"usr/bin/ls"}, false, ""});
  const auto plan = planned_removals(root.path(), rules, {});
  EXPECT_TRUE(libraries_still_needed(root.path(), "amd64", plan).empty());
  strip_tree(root.path(), rules, {});
  EXPECT_FALSE(fs::exists(root.path() / kMultiarch / "libselinux.so.1"));
  EXPECT_EQ(unresolved_libraries(root.path(), "amd64"), std::vector<std::string>{});
}

TEST(FsSquashfsNeededLibraries, ExactKeepPathsProtectOnlyThemselves) {
  TempDir root;
  root.write("usr/share/doc/a/copyright", "a");
  root.write("usr/share/doc/a/README", "b");
  const std::vector<StripRule> rules = {{"doc", {"usr/share/doc"}, false, ""}};
  const auto results = strip_tree(root.path(), rules, {}, {"usr/share/doc/a/copyright"});
  EXPECT_EQ(results[0].files, 1u);
  EXPECT_TRUE(fs::exists(root.path() / "usr/share/doc/a/copyright"));
  EXPECT_FALSE(fs::exists(root.path() / "usr/share/doc/a/README"));
}

}  // namespace
}  // namespace berth::fs_squashfs
