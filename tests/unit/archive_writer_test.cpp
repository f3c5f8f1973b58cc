#include "archive_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "test_support.hpp"

namespace berth::core {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

struct Listed {
  std::string path;
  std::int64_t mtime;
  bool symlink;
  std::string content;
};

std::vector<Listed> list_archive(const fs::path& file) {
  std::vector<Listed> out;
  archive* a = archive_read_new();
  archive_read_support_format_all(a);
  EXPECT_EQ(archive_read_open_filename(a, file.c_str(), 65536), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string content(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    if (!content.empty()) archive_read_data(a, content.data(), content.size());
    out.push_back({archive_entry_pathname(entry), archive_entry_mtime(entry),
                   archive_entry_filetype(entry) == AE_IFLNK, content});
  }
  archive_read_free(a);
  return out;
}

std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(ArchiveWriter, CpioIsSortedWithFixedTimesAndKeepsSymlinks) {
  TempDir dir;
  dir.write("tree/zeta", "z");
  dir.write("tree/alpha/file", "content");
  fs::create_symlink("alpha/file", dir.path() / "tree/link");
  const auto archive = dir.path() / "a.cpio";
  write_archive(dir.path() / "tree", archive, ArchiveFormat::cpio_newc, 1234);
  const auto entries = list_archive(archive);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].path, "alpha");
  EXPECT_EQ(entries[1].path, "alpha/file");
  EXPECT_EQ(entries[1].content, "content");
  EXPECT_EQ(entries[2].path, "link");
  EXPECT_TRUE(entries[2].symlink);
  EXPECT_EQ(entries[3].path, "zeta");
  for (const auto& entry : entries) EXPECT_EQ(entry.mtime, 1234);
}

TEST(ArchiveWriter, SameTreeGivesSameBytes) {
  TempDir dir;
  dir.write("tree/a", "1");
  dir.write("tree/b/c", "2");
  write_archive(dir.path() / "tree", dir.path() / "one.tar", ArchiveFormat::tar_pax, 7);
  // Touch the files: times on disk must not leak into the archive.
  fs::last_write_time(dir.path() / "tree/a", fs::file_time_type::clock::now());
  write_archive(dir.path() / "tree", dir.path() / "two.tar", ArchiveFormat::tar_pax, 7);
  EXPECT_EQ(bytes_of(dir.path() / "one.tar"), bytes_of(dir.path() / "two.tar"));
}

TEST(ArchiveWriter, MissingTreeIsAnError) {
  TempDir dir;
  EXPECT_ANY_THROW(
      write_archive(dir.path() / "nope", dir.path() / "x.cpio", ArchiveFormat::cpio_newc, 0));
}

}  // namespace
}  // namespace berth::core
