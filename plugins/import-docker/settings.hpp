// The [import] table of import-docker: its schema, the checked list of image archives,
// and the checks on each archive file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/sdk/config.hpp"
#include "image_archive.hpp"

namespace berth::import_docker {

namespace fs = std::filesystem;

// One entry of `images`, as written in the config.
struct ImageEntry {
  std::string path;       // as written: absolute, or relative to the config file's directory
  std::string where;      // file:line of the entry, for errors
  std::string file_name;  // its name on the medium: berth/images/<file_name>
};

// Where the importer's jq comes from: built from the configured suites' Debian source
// package without regular expressions (no Oniguruma) and with libjq linked in, so that
// libonig5 and libjq1's library leave the image; or Debian's jq as it is.
enum class JqBuild { without_regex, debian };

struct Settings {
  std::string section = "import";  // the table's name, for errors
  std::vector<ImageEntry> images;
  JqBuild jq = JqBuild::without_regex;
};

std::vector<sdk::ConfigKey> config_schema();

// Reads `jq` and `images` and checks what needs no file system: no empty paths, file names the
// boot-time importer picks up, no two archives with the same file name. Throws
// ConfigError naming the entry's file:line.
Settings read_settings(const sdk::ConfigTable& table);

// `path` as written, made absolute against the config file's directory.
fs::path resolve_image_path(const std::string& path, const fs::path& config_dir);

// Checks that `resolved` (the entry's path, resolved) is a regular file holding an image
// archive; throws ConfigError "<file:line>: [import] images: <path>: <problem>".
ImageLayout check_image(const Settings& settings, const ImageEntry& entry,
                        const fs::path& resolved);

}  // namespace berth::import_docker
