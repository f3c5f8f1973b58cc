// The JSON documents of a `docker save` archive (Engine 25+): the OCI image layout's media
// types, descriptors, image manifest, index.json with its entries and oci-layout, and the
// legacy manifest.json and repositories the classic image store reads. Pure functions with no
// I/O: docker_archive_writer.cpp lays them out on disk for a built image, and the test
// fixtures' in-memory writer (tests/fixtures/image_archive.cpp) in the archive forms the
// VM tests load, so both say the same thing in the same words.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "image_config_json.hpp"

namespace berth::image_build {

inline constexpr const char* kOciIndexType = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciManifestType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciConfigType = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayerType = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kOciGzipLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

// The oci-layout file.
inline constexpr const char* kOciLayout = R"({"imageLayoutVersion":"1.0.0"})";

// "blobs/sha256/<hex>": where a blob lies in the archive, and how manifest.json names it.
std::string blob_path(const std::string& hex);

// {mediaType, digest "sha256:<hex>", size}.
nlohmann::json oci_descriptor(const std::string& media_type, const std::string& hex,
                              std::uintmax_t size);

// The OCI image manifest blob: the config's descriptor and the layers' (bottom first).
std::string oci_image_manifest(const nlohmann::json& config, const nlohmann::json& layers);

// What org.opencontainers.image.ref.name holds: the tag alone, as Engine 25+'s docker save
// writes it, or the whole repository:tag, as skopeo does. containerd (and so docker load)
// names the image after io.containerd.image.name first either way.
enum class RefName { Tag, Reference };

// One manifests[] entry of index.json: the manifest's descriptor, its platform, and the
// image's names (io.containerd.image.name holds full_reference's "docker.io/..." form).
nlohmann::json oci_index_entry(const std::string& manifest_hex, std::uintmax_t manifest_size,
                               const OciPlatform& platform, const std::string& repository,
                               const std::string& tag, RefName ref_name);

// index.json itself.
std::string oci_index(const nlohmann::json& entries);

// One entry of the legacy manifest.json: {Config, RepoTags [repository:tag], Layers}, the
// paths as they lie in the archive.
nlohmann::json legacy_manifest_entry(const std::string& config_path, const std::string& reference,
                                     const std::vector<std::string>& layer_paths);

// repositories maps repository -> tag -> the top layer's ID (the diff_id in Engine 25+'s
// form, the v1 ID in older ones); adds one tag.
void add_repository_tag(nlohmann::json& repositories, const std::string& repository,
                        const std::string& tag, const std::string& top_layer_id);

}  // namespace berth::image_build
