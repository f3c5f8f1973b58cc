// A one-layer image as the archive `docker save` (Engine 25+) writes: an OCI image layout
// (oci-layout, index.json, blobs/sha256/*) plus the legacy manifest.json and repositories,
// so both of Docker's image stores load it and the name can be read before loading.
#pragma once

#include <filesystem>
#include <string>

#include "berth/sdk/context.hpp"
#include "image_config_json.hpp"
#include "recipe.hpp"

namespace berth::image_build {

struct ArchiveImage {
  std::string repository;  // "berth/xpra"
  std::string tag;         // "3.1"
  OciPlatform platform;
  ImageConfig config;
  std::string created_by;  // the history line
};

struct WrittenArchive {
  std::string layer_digest;     // hex of the uncompressed layer tar: blob digest and diff_id
  std::string config_digest;    // hex; Docker's image ID
  std::string manifest_digest;  // hex of the OCI manifest
};

// Packs `tree` as the layer (ctx.write_tar: sorted, timestamps clamped), stages the blobs
// and metadata in `staging` (emptied first, removed after) and packs that into `archive`
// with `compression`. Neither `staging` nor `archive` may lie inside `tree`.
WrittenArchive write_docker_archive(sdk::BuildContext& ctx, const fs::path& tree,
                                    const ArchiveImage& image, const fs::path& staging,
                                    const fs::path& archive, sdk::Compression compression);

}  // namespace berth::image_build
