#include "source_packages.hpp"

#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::engine_docker {

namespace {

bool plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

// " <sha256> <size> <name>" lines of Checksums-Sha256.
SourceFile checksum_line(const std::string& line) {
  std::istringstream words(line);
  SourceFile file;
  std::string size;
  words >> file.sha256 >> size >> file.name;
  if (file.sha256.size() != 64 || size.empty() ||
      size.find_first_not_of("0123456789") != std::string::npos || size.size() > 15 ||
      !plain_file_name(file.name)) {
    throw sdk::Error("Sources: bad Checksums-Sha256 line '" + line + "'");
  }
  file.size = std::stoull(size);
  return file;
}

void finish(SourcePackage& stanza, std::vector<SourcePackage>& sources) {
  if (!stanza.name.empty() && !stanza.version.empty() && !stanza.directory.empty()) {
    if (sources.size() == kMaxStanzas) throw sdk::Error("Sources: too many stanzas");
    sources.push_back(std::move(stanza));
  }
  stanza = {};
}

}  // namespace

std::vector<SourcePackage> parse_sources(const std::string& text) {
  std::vector<SourcePackage> sources;
  SourcePackage stanza;
  bool in_checksums = false;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) {
      finish(stanza, sources);
      in_checksums = false;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (in_checksums) stanza.files.push_back(checksum_line(line));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string field = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    in_checksums = field == "Checksums-Sha256";
    if (field == "Package") stanza.name = value;
    if (field == "Version") stanza.version = value;
    if (field == "Directory") stanza.directory = value;
  }
  finish(stanza, sources);
  return sources;
}

const SourcePackage& find_source(const std::vector<SourcePackage>& sources, const std::string& name,
                                 const std::string& version) {
  for (const auto& source : sources) {
    if (source.name == name && source.version == version) return source;
  }
  throw sdk::Error("no source package " + name + " " + version +
                   " in the configured suites' Sources indexes");
}

SourceRef source_of(const std::string& binary, const std::string& binary_version,
                    const std::string& source_field) {
  std::istringstream words(source_field);
  SourceRef ref;
  std::string version;
  words >> ref.name >> version;
  if (ref.name.empty()) return {binary, binary_version};
  if (version.empty()) return {ref.name, binary_version};
  if (version.size() < 3 || version.front() != '(' || version.back() != ')') {
    throw sdk::Error(binary + ": bad Source field '" + source_field + "'");
  }
  ref.version = version.substr(1, version.size() - 2);
  return ref;
}

std::string upstream_version(const std::string& version) {
  std::string upstream = version;
  const auto colon = upstream.find(':');
  if (colon != std::string::npos) upstream.erase(0, colon + 1);
  const auto dash = upstream.rfind('-');
  if (dash != std::string::npos) upstream.erase(dash);
  return upstream;
}

}  // namespace berth::engine_docker
