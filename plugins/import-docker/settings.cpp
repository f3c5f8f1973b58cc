#include "settings.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string_view>

#include "berth/sdk/error.hpp"

namespace berth::import_docker {

namespace {

// Names the boot-time importer (files/rootfs/usr/lib/berth/import.sh, import_candidates)
// takes for notes beside the archives and never loads.
constexpr std::array<std::string_view, 6> kNoteSuffixes = {".txt",       ".md",  ".sha256",
                                                           ".sha256sum", ".asc", ".sig"};

[[noreturn]] void fail(const std::string& section, const std::string& where,
                       const std::string& message) {
  throw sdk::ConfigError(where, "[" + section + "] images: " + message);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Why the importer on the target would not load a file of this name, if it would not.
std::optional<std::string> name_problem(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return "names a directory, not a file";
  if (name.front() == '.') {
    return "'" + name + "' is a hidden file name, which the importer at boot skips";
  }
  const bool odd = std::any_of(name.begin(), name.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= ' ' || byte == 0x7f;
  });
  if (odd) {
    return "'" + name +
           "' holds a space or a control character; the importer at boot "
           "takes one file name per word";
  }
  for (const auto suffix : kNoteSuffixes) {
    if (ends_with(name, suffix)) {
      return "'" + name + "' ends in " + std::string(suffix) +
             ", which the importer at boot takes for a note and skips";
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<sdk::ConfigKey> config_schema() {
  return {
      {"images", sdk::ValueType::string_array,
       "image archives (docker save or OCI layout tars; plain, gzip, xz, zstd or bzip2) put "
       "on the ISO under berth/images/ and loaded into Docker at boot; paths relative to this "
       "config file (default: none)"},
      {"jq", sdk::ValueType::string,
       "\"without-regex\" (default): the importer's jq built from the configured suites' "
       "Debian source package without Oniguruma and with libjq linked into the program, cached "
       "under the cache dir, so that libonig5 and libjq1's library leave the image (regex "
       "filters such as test() and sub() then fail with jq's own error); \"debian\": "
       "Debian's jq as it is"},
  };
}

Settings read_settings(const sdk::ConfigTable& table) {
  Settings settings;
  settings.section = table.name();
  const std::string jq = table.get_string("jq", "without-regex");
  if (jq == "debian") {
    settings.jq = JqBuild::debian;
  } else if (jq != "without-regex") {
    table.fail("jq", "'" + jq + "' is neither \"without-regex\" nor \"debian\"");
  }
  const auto found = table.values().find("images");
  if (found == table.values().end()) return settings;
  const auto* items = std::get_if<sdk::ConfigValue::Array>(&found->second.data);
  if (!items) fail(settings.section, found->second.where, "must be an array of strings");

  std::map<std::string, std::size_t> by_name;  // file name -> index in settings.images
  for (const auto& item : *items) {
    const auto* text = std::get_if<std::string>(&item.data);
    if (!text) fail(settings.section, item.where, "must hold strings only");
    if (text->empty()) fail(settings.section, item.where, "an empty path");
    ImageEntry entry{*text, item.where, fs::path(*text).lexically_normal().filename().string()};
    if (auto problem = name_problem(entry.file_name)) {
      fail(settings.section, item.where, *text + ": " + *problem);
    }
    const auto [other, fresh] = by_name.emplace(entry.file_name, settings.images.size());
    if (!fresh) {
      const ImageEntry& first = settings.images[other->second];
      fail(settings.section, item.where,
           *text + ": same file name as " + first.path + " (" + first.where +
               "); both would be berth/images/" + entry.file_name + " on the medium");
    }
    settings.images.push_back(std::move(entry));
  }
  return settings;
}

fs::path resolve_image_path(const std::string& path, const fs::path& config_dir) {
  const fs::path written(path);
  return (written.is_absolute() ? written : config_dir / written).lexically_normal();
}

ImageLayout check_image(const Settings& settings, const ImageEntry& entry,
                        const fs::path& resolved) {
  std::error_code error;
  const auto status = fs::status(resolved, error);
  if (status.type() == fs::file_type::not_found) {
    fail(settings.section, entry.where, resolved.string() + ": no such file");
  }
  if (error) fail(settings.section, entry.where, resolved.string() + ": " + error.message());
  if (fs::is_directory(status)) {
    fail(settings.section, entry.where, resolved.string() + ": a directory, not an archive file");
  }
  if (!fs::is_regular_file(status)) {
    fail(settings.section, entry.where, resolved.string() + ": not a regular file");
  }
  try {
    return probe_image_archive(resolved);
  } catch (const sdk::Error& problem) {
    fail(settings.section, entry.where, problem.what());
  }
}

}  // namespace berth::import_docker
