#include "docker_archive_writer.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "berth/sdk/error.hpp"
#include "docker_save_json.hpp"
#include "sha256.hpp"

namespace berth::image_build {
namespace {

using nlohmann::json;

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw sdk::Error("cannot write " + file.string());
}

// A blob under blobs/sha256/ named by its digest; returns the digest.
std::string add_blob(const fs::path& blobs, const std::string& text) {
  const std::string hex = sha256_hex(text);
  write_text(blobs / hex, text);
  return hex;
}

bool inside(const fs::path& path, const fs::path& dir) {
  const auto rel = fs::weakly_canonical(path).lexically_relative(fs::weakly_canonical(dir));
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

WrittenArchive write_docker_archive(sdk::BuildContext& ctx, const fs::path& tree,
                                    const ArchiveImage& image, const fs::path& staging,
                                    const fs::path& archive, sdk::Compression compression) {
  if (!fs::is_directory(tree)) throw sdk::Error("image tree " + tree.string() + " is missing");
  if (inside(staging, tree) || inside(archive, tree)) {
    throw sdk::Error("image archive " + archive.string() + " would end up in its own layer " +
                     tree.string());
  }
  fs::remove_all(staging);
  const fs::path blobs = staging / "blobs" / "sha256";
  fs::create_directories(blobs);

  WrittenArchive written;
  // The layer: written once, then named by its digest. Uncompressed, so the blob's
  // digest is also the diff_id.
  const fs::path layer = blobs / "layer.tar";
  ctx.write_tar(tree, layer, sdk::Compression::none);
  written.layer_digest = sha256_file_hex(layer);
  const auto layer_size = fs::file_size(layer);
  fs::rename(layer, blobs / written.layer_digest);

  const std::string config = image_config_json(image.config, image.platform, {written.layer_digest},
                                               image.created_by, ctx.source_date_epoch());
  written.config_digest = add_blob(blobs, config);

  const std::string manifest = oci_image_manifest(
      oci_descriptor(kOciConfigType, written.config_digest, config.size()),
      json::array({oci_descriptor(kOciLayerType, written.layer_digest, layer_size)}));
  written.manifest_digest = add_blob(blobs, manifest);

  // index.json: containerd's image store names the image from io.containerd.image.name.
  const json entry = oci_index_entry(written.manifest_digest, manifest.size(), image.platform,
                                     image.repository, image.tag, RefName::Tag);
  write_text(staging / "index.json", oci_index(json::array({entry})));
  write_text(staging / "oci-layout", kOciLayout);

  // The classic image store (overlay2, Berth's default) reads manifest.json.
  write_text(staging / "manifest.json",
             json::array({legacy_manifest_entry(blob_path(written.config_digest),
                                                image.repository + ":" + image.tag,
                                                {blob_path(written.layer_digest)})})
                 .dump());
  json repositories = json::object();
  add_repository_tag(repositories, image.repository, image.tag, written.layer_digest);
  write_text(staging / "repositories", repositories.dump());

  fs::remove(archive);
  ctx.write_tar(staging, archive, compression);
  fs::remove_all(staging);
  return written;
}

}  // namespace berth::image_build
