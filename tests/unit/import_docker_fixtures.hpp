// Small image archives for import-docker's tests, written with libarchive the way
// `docker save` and OCI tools lay them out, with any compression docker load accepts.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace berth::import_docker::test {

namespace fs = std::filesystem;

enum class Filter { none, gzip, xz, zstd, bzip2 };

inline const char* filter_name(Filter filter) {
  switch (filter) {
    case Filter::none:
      return "none";
    case Filter::gzip:
      return "gzip";
    case Filter::xz:
      return "xz";
    case Filter::zstd:
      return "zstd";
    case Filter::bzip2:
      return "bzip2";
  }
  return "?";
}

struct Member {
  std::string name;
  std::string data;
  bool directory = false;
};

inline void add_filter(archive* writer, Filter filter) {
  int status = ARCHIVE_OK;
  switch (filter) {
    case Filter::none:
      status = archive_write_add_filter_none(writer);
      break;
    case Filter::gzip:
      status = archive_write_add_filter_gzip(writer);
      break;
    case Filter::xz:
      status = archive_write_add_filter_xz(writer);
      break;
    case Filter::zstd:
      status = archive_write_add_filter_zstd(writer);
      break;
    case Filter::bzip2:
      status = archive_write_add_filter_bzip2(writer);
      break;
  }
  if (status != ARCHIVE_OK) {
    throw std::runtime_error(std::string("libarchive cannot write ") + filter_name(filter));
  }
}

// The first bytes each compression starts with (ustar's magic sits at offset 257).
inline bool starts_as(const std::string& bytes, Filter filter) {
  switch (filter) {
    case Filter::none:
      return bytes.size() > 262 && bytes.compare(257, 5, "ustar") == 0;
    case Filter::gzip:
      return bytes.rfind("\x1f\x8b", 0) == 0;
    case Filter::xz:
      return bytes.rfind(
                 "\xfd"
                 "7zXZ",
                 0) == 0;
    case Filter::zstd:
      return bytes.rfind("\x28\xb5\x2f\xfd", 0) == 0;
    case Filter::bzip2:
      return bytes.rfind("BZh", 0) == 0;
  }
  return false;
}

inline void write_tar(const fs::path& file, const std::vector<Member>& members, Filter filter) {
  std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(),
                                                                 archive_write_free);
  archive_write_set_format_pax_restricted(writer.get());
  add_filter(writer.get(), filter);
  if (archive_write_open_filename(writer.get(), file.c_str()) != ARCHIVE_OK) {
    throw std::runtime_error(file.string() + ": " + archive_error_string(writer.get()));
  }
  for (const auto& member : members) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), member.name.c_str());
    archive_entry_set_filetype(entry.get(), member.directory ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry.get(), member.directory ? 0755 : 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(member.data.size()));
    archive_entry_set_mtime(entry.get(), 1700000000, 0);
    archive_write_header(writer.get(), entry.get());
    if (!member.data.empty())
      archive_write_data(writer.get(), member.data.data(), member.data.size());
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK) {
    throw std::runtime_error(file.string() + ": " + archive_error_string(writer.get()));
  }
}

// Bytes no compressor shrinks, so a truncated archive loses what comes after them.
inline std::string noise(std::size_t size) {
  std::string out(size, '\0');
  std::uint32_t state = 2463534242u;
  for (auto& byte : out) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<char>(state & 0xff);
  }
  return out;
}

// `docker save` before Engine 25: a directory per layer, the config, then manifest.json.
inline std::vector<Member> docker_save_members(std::size_t layer_size = 4096) {
  const std::string layer_id = std::string(64, 'a');
  return {
      {layer_id + "/", "", true},
      {layer_id + "/VERSION", "1.0"},
      {layer_id + "/json", "{}"},
      {layer_id + "/layer.tar", noise(layer_size)},
      {std::string(64, 'c') + ".json", "{\"architecture\":\"amd64\"}"},
      {"manifest.json", "[{\"Config\":\"" + std::string(64, 'c') +
                            ".json\",\"RepoTags\":[\"tool:1\"],"
                            "\"Layers\":[\"" +
                            layer_id + "/layer.tar\"]}]"},
      {"repositories", "{\"tool\":{\"1\":\"" + layer_id + "\"}}"},
  };
}

// An OCI image layout (skopeo copy oci-archive:, buildah push oci-archive:).
inline std::vector<Member> oci_members(std::size_t layer_size = 4096) {
  return {
      {"blobs/", "", true},
      {"blobs/sha256/", "", true},
      {"blobs/sha256/" + std::string(64, 'b'), noise(layer_size)},
      {"index.json", "{\"schemaVersion\":2,\"manifests\":[]}"},
      {"oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"},
  };
}

inline std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

}  // namespace berth::import_docker::test
