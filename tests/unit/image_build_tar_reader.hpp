// Reads a tar back with libarchive, for the tests of image archives: every member with its
// type, mode and contents.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace berth::image_build::test {

struct TarMember {
  unsigned type = 0;  // AE_IFREG, AE_IFDIR, AE_IFLNK
  unsigned mode = 0;  // permission bits, with the sticky bit
  std::string data;
  std::string link;
  std::int64_t mtime = 0;
};

using TarMembers = std::map<std::string, TarMember>;

inline TarMembers read_tar_members(archive* reader) {
  TarMembers members;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    TarMember member;
    member.type = archive_entry_filetype(entry);
    member.mode = archive_entry_perm(entry) | (archive_entry_mode(entry) & S_ISVTX);
    member.mtime = archive_entry_mtime(entry);
    if (const char* link = archive_entry_symlink(entry)) member.link = link;
    char buffer[65536];
    for (la_ssize_t got; (got = archive_read_data(reader, buffer, sizeof buffer)) > 0;) {
      member.data.append(buffer, static_cast<std::size_t>(got));
    }
    std::string name = archive_entry_pathname(entry);
    if (name.rfind("./", 0) == 0) name.erase(0, 2);
    while (!name.empty() && name.back() == '/') name.pop_back();
    members[name] = std::move(member);
  }
  return members;
}

struct ReaderFree {
  void operator()(archive* reader) const { archive_read_free(reader); }
};

inline TarMembers read_tar_file(const std::filesystem::path& file) {
  std::unique_ptr<archive, ReaderFree> reader(archive_read_new());
  archive_read_support_format_tar(reader.get());
  archive_read_support_filter_all(reader.get());
  if (archive_read_open_filename(reader.get(), file.c_str(), 65536) != ARCHIVE_OK) {
    throw std::runtime_error("cannot open " + file.string());
  }
  return read_tar_members(reader.get());
}

inline TarMembers read_tar_bytes(const std::string& bytes) {
  std::unique_ptr<archive, ReaderFree> reader(archive_read_new());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_memory(reader.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    throw std::runtime_error("cannot read a tar from memory");
  }
  return read_tar_members(reader.get());
}

}  // namespace berth::image_build::test
