// Is a file something `docker load` takes? Reads the tar headers (through any of the
// compressions docker load accepts) and looks for the files that make an image archive.
#pragma once

#include <filesystem>
#include <string>

namespace berth::import_docker {

namespace fs = std::filesystem;

enum class ImageLayout {
  docker_save,  // manifest.json at the top (docker save, legacy or Engine 25+)
  oci_layout,   // oci-layout and index.json at the top (an OCI image layout)
};

const char* layout_name(ImageLayout layout);

// The layout of the image archive at `path`, reading only as far as needed to know it.
// Throws sdk::Error "<path>: not a docker image archive (<reason>)" for a file libarchive
// cannot read as a tar (text, truncated, damaged) or a tar without those files.
ImageLayout probe_image_archive(const fs::path& path);

}  // namespace berth::import_docker
