#include "initrd_member.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <berth/sdk/error.hpp>
#include <fstream>
#include <memory>
#include <string_view>

namespace berth::bench {

bool extract_initrd_member(const std::filesystem::path& initrd, const std::string& name,
                           const std::filesystem::path& dest) {
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_cpio(a.get());
  if (archive_read_open_filename(a.get(), initrd.c_str(), 1 << 20) != ARCHIVE_OK) {
    throw sdk::Error(initrd.string() + ": " + archive_error_string(a.get()));
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    std::string_view path = archive_entry_pathname(entry);
    if (path.starts_with("./")) path.remove_prefix(2);
    if (path != name) continue;
    std::ofstream out(dest, std::ios::binary | std::ios::trunc);
    char buffer[1 << 16];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0) out.write(buffer, n);
    if (n < 0)
      throw sdk::Error(initrd.string() + ": " + name + ": " + archive_error_string(a.get()));
    if (!out.flush()) throw sdk::Error(dest.string() + ": cannot write");
    return true;
  }
  return false;
}

}  // namespace berth::bench
