#include "cache_key.hpp"

#include "sha256.hpp"

namespace berth::kernel_source {

// Bumped when the plugin changes how it builds or lays out a cached kernel.
constexpr const char* kFormat = "berth kernel-source cache 1";

std::string cache_key(const BuildInputs& inputs) {
  image_build::Sha256 hash;
  // Length-prefixed fields: no input can imitate another's boundary.
  auto field = [&](const std::string& name, const std::string& value) {
    hash.update(name + " " + std::to_string(value.size()) + "\n");
    hash.update(value);
    hash.update("\n");
  };
  field("format", kFormat);
  field("source", inputs.source_id);
  for (const auto& patch : inputs.patch_hashes) field("patch", patch);
  field("toolchain", inputs.toolchain);
  field("config", inputs.config);
  for (const auto& variable : inputs.make_variables) field("make", variable);
  return hash.hex().substr(0, 32);
}

}  // namespace berth::kernel_source
