#include "archive_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <vector>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"

namespace berth::core {
namespace fs = std::filesystem;
namespace {

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

// Depth-first, children sorted by name: the order every build produces.
void collect(const fs::path& dir, const fs::path& relative, std::vector<fs::path>& out) {
  std::vector<fs::path> children;
  for (const auto& entry : fs::directory_iterator(dir)) children.push_back(entry.path().filename());
  std::sort(children.begin(), children.end());
  for (const auto& name : children) {
    const fs::path rel = relative / name;
    out.push_back(rel);
    const fs::path full = dir / name;
    if (fs::is_directory(fs::symlink_status(full))) collect(full, rel, out);
  }
}

void check(archive* a, int status, const fs::path& archive_path) {
  if (status < ARCHIVE_OK) {
    throw sdk::Error("writing " + archive_path.string() + ": " + archive_error_string(a));
  }
}

}  // namespace

void write_archive(const fs::path& tree, const fs::path& archive_path, ArchiveFormat format,
                   std::int64_t mtime) {
  if (!fs::is_directory(tree))
    throw sdk::Error("archive source " + tree.string() + " is not a directory");
  std::vector<fs::path> entries;
  collect(tree, {}, entries);

  std::unique_ptr<archive, ArchiveDeleter> out(archive_write_new());
  check(out.get(),
        format == ArchiveFormat::cpio_newc ? archive_write_set_format_cpio_newc(out.get())
                                           : archive_write_set_format_pax_restricted(out.get()),
        archive_path);
  check(out.get(), archive_write_open_filename(out.get(), archive_path.c_str()), archive_path);

  std::vector<char> buffer(1 << 20);
  std::int64_t inode = 1;
  for (const auto& rel : entries) {
    const fs::path full = tree / rel;
    const struct stat st = sdk::lstat_of(full);
    std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
    archive_entry_copy_stat(entry.get(), &st);
    archive_entry_set_pathname(entry.get(), rel.c_str());
    archive_entry_set_mtime(entry.get(), mtime, 0);
    archive_entry_set_atime(entry.get(), mtime, 0);
    archive_entry_set_ctime(entry.get(), mtime, 0);
    // Hard links are stored as separate files: simpler, and the trees we pack have none
    // that matter. Inode numbers are sequential so they do not depend on the disk.
    archive_entry_set_nlink(entry.get(), S_ISDIR(st.st_mode) ? 2 : 1);
    archive_entry_set_ino64(entry.get(), inode++);
    archive_entry_set_dev(entry.get(), 0);
    if (S_ISLNK(st.st_mode)) {
      archive_entry_set_symlink(entry.get(), fs::read_symlink(full).c_str());
    }
    check(out.get(), archive_write_header(out.get(), entry.get()), archive_path);
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      std::ifstream in(full, std::ios::binary);
      if (!in) throw sdk::Error("cannot read " + full.string());
      while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = in.gcount();
        if (got > 0 &&
            archive_write_data(out.get(), buffer.data(), static_cast<std::size_t>(got)) < 0) {
          throw sdk::Error("writing " + archive_path.string() + ": " +
                           archive_error_string(out.get()));
        }
      }
    }
  }
  check(out.get(), archive_write_close(out.get()), archive_path);
}

}  // namespace berth::core
