#include "docker_save_json.hpp"

#include "image_reference.hpp"

namespace berth::image_build {

using nlohmann::json;

std::string blob_path(const std::string& hex) {
  return "blobs/sha256/" + hex;
}

json oci_descriptor(const std::string& media_type, const std::string& hex, std::uintmax_t size) {
  return {{"mediaType", media_type}, {"digest", "sha256:" + hex}, {"size", size}};
}

std::string oci_image_manifest(const json& config, const json& layers) {
  return json{
      {"schemaVersion", 2}, {"mediaType", kOciManifestType}, {"config", config}, {"layers", layers}}
      .dump();
}

json oci_index_entry(const std::string& manifest_hex, std::uintmax_t manifest_size,
                     const OciPlatform& platform, const std::string& repository,
                     const std::string& tag, RefName ref_name) {
  json entry = oci_descriptor(kOciManifestType, manifest_hex, manifest_size);
  entry["platform"] = {{"architecture", platform.architecture}, {"os", "linux"}};
  if (!platform.variant.empty()) entry["platform"]["variant"] = platform.variant;
  entry["annotations"] = {
      {"io.containerd.image.name", full_reference(repository, tag)},
      {"org.opencontainers.image.ref.name",
       ref_name == RefName::Tag ? tag : repository + ":" + tag},
  };
  return entry;
}

std::string oci_index(const json& entries) {
  return json{{"schemaVersion", 2}, {"mediaType", kOciIndexType}, {"manifests", entries}}.dump();
}

json legacy_manifest_entry(const std::string& config_path, const std::string& reference,
                           const std::vector<std::string>& layer_paths) {
  return {{"Config", config_path}, {"RepoTags", json::array({reference})}, {"Layers", layer_paths}};
}

void add_repository_tag(json& repositories, const std::string& repository, const std::string& tag,
                        const std::string& top_layer_id) {
  repositories[repository][tag] = top_layer_id;
}

}  // namespace berth::image_build
