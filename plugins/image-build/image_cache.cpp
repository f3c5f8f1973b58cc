#include "image_cache.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "image_reference.hpp"
#include "sha256.hpp"

namespace berth::image_build {
namespace {

// Length-prefixed, so no two different inputs feed the same bytes.
void field(Sha256& hash, const std::string& name, const std::string& value) {
  hash.update(name + " " + std::to_string(value.size()) + ":");
  hash.update(value);
  hash.update("\n");
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error("cannot read recipe " + file.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void hash_tree(Sha256& hash, const fs::path& root) {
  std::vector<fs::path> entries;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    entries.push_back(it->path().lexically_relative(root));
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& rel : entries) {
    const fs::path full = root / rel;
    const struct stat st = sdk::lstat_of(full);
    field(hash, "path", rel.generic_string());
    field(hash, "mode",
          std::to_string(st.st_mode) + " " + std::to_string(st.st_uid) + ":" +
              std::to_string(st.st_gid));
    if (S_ISLNK(st.st_mode)) {
      field(hash, "link", fs::read_symlink(full).string());
    } else if (S_ISREG(st.st_mode)) {
      hash.update("data " + std::to_string(st.st_size) + ":");
      hash.update_file(full);
      hash.update("\n");
    }
  }
}

}  // namespace

std::string archive_extension(sdk::Compression compression) {
  switch (compression) {
    case sdk::Compression::none:
      return "tar";
    case sdk::Compression::gzip:
      return "tar.gz";
    case sdk::Compression::xz:
      return "tar.xz";
    case sdk::Compression::zstd:
      return "tar.zst";
    case sdk::Compression::lz4:
      break;
  }
  throw sdk::Error("image archives cannot be lz4-compressed: docker load does not read lz4");
}

std::string image_cache_key(const ImageRecipe& recipe, sdk::Compression compression,
                            const std::string& architecture, const std::string& berth_version) {
  Sha256 hash;
  field(hash, "berth-image-cache", "1");
  field(hash, "recipe", read_text(recipe.file));
  if (!recipe.rootfs.empty()) hash_tree(hash, recipe.rootfs);
  field(hash, "compression", archive_extension(compression));
  field(hash, "architecture", architecture);
  field(hash, "berth", berth_version);
  return hash.hex();
}

fs::path cached_archive_path(const fs::path& cache_dir, const ImageRecipe& recipe,
                             const std::string& key, sdk::Compression compression) {
  return cache_dir / "images" /
         (dashed(recipe.name) + "-" + recipe.tag + "-" + key.substr(0, 16) + "." +
          archive_extension(compression));
}

}  // namespace berth::image_build
