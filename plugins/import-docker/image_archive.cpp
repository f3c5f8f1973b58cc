#include "image_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string_view>

#include "berth/sdk/error.hpp"

namespace berth::import_docker {

namespace {

using ArchiveReader = std::unique_ptr<archive, decltype(&archive_read_free)>;

constexpr std::size_t kBlockSize = 64 * 1024;

// "./manifest.json" (tar -C dir .) names the same member as "manifest.json".
std::string_view top_level_name(std::string_view name) {
  while (name.substr(0, 2) == "./") name.remove_prefix(2);
  return name;
}

[[noreturn]] void not_an_image(const fs::path& path, const std::string& reason) {
  throw sdk::Error(path.string() + ": not a docker image archive (" + reason + ")");
}

std::string reason_from(archive* reader) {
  const char* text = archive_error_string(reader);
  return text && *text ? text : "unreadable";
}

}  // namespace

const char* layout_name(ImageLayout layout) {
  return layout == ImageLayout::docker_save ? "docker save" : "OCI layout";
}

ImageLayout probe_image_archive(const fs::path& path) {
  std::error_code error;
  if (fs::file_size(path, error) == 0 && !error) not_an_image(path, "empty file");

  ArchiveReader reader(archive_read_new(), archive_read_free);
  if (!reader) throw sdk::Error(path.string() + ": libarchive: out of memory");
  // The compressions `docker load` accepts (and a few more), but only tar inside.
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_filename(reader.get(), path.c_str(), kBlockSize) != ARCHIVE_OK) {
    not_an_image(path, reason_from(reader.get()));
  }

  bool oci_layout = false;
  bool oci_index = false;
  archive_entry* entry = nullptr;
  for (;;) {
    // Moving to the next header skips the data of the one before without copying it.
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) not_an_image(path, reason_from(reader.get()));
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* raw = archive_entry_pathname(entry);
    if (!raw) continue;
    const std::string_view name = top_level_name(raw);
    if (name == "manifest.json") return ImageLayout::docker_save;
    oci_layout = oci_layout || name == "oci-layout";
    oci_index = oci_index || name == "index.json";
    if (oci_layout && oci_index) return ImageLayout::oci_layout;
  }
  not_an_image(path, "a tar without manifest.json, or oci-layout and index.json, at its top");
}

}  // namespace berth::import_docker
