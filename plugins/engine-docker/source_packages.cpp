#include "source_packages.hpp"

#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::engine_docker {

namespace {

bool plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

std::vector<SourceDownload> parse_print_uris(const std::string& output) {
  std::vector<SourceDownload> files;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::istringstream words(line);
    SourceDownload file;
    std::string size;
    std::string hash;
    words >> file.uri >> file.file >> size >> hash;
    if (file.uri.size() < 3 || file.uri.front() != '\'' || file.uri.back() != '\'' ||
        !plain_file_name(file.file) || size.empty() || size.size() > 15 ||
        size.find_first_not_of("0123456789") != std::string::npos ||
        hash.rfind("SHA256:", 0) != 0 || hash.size() != 7 + 64) {
      throw sdk::Error("apt-get source: unexpected line '" + line + "'");
    }
    file.uri = file.uri.substr(1, file.uri.size() - 2);
    file.size = std::stoull(size);
    file.sha256 = hash.substr(7);
    if (files.size() == kMaxSourceFiles) throw sdk::Error("apt-get source: too many files");
    files.push_back(std::move(file));
  }
  return files;
}

SourceLayout source_layout(const std::vector<SourceDownload>& files, const std::string& name,
                           const std::string& version) {
  const std::string upstream = name + "_" + upstream_version(version) + ".orig";
  const std::string debian = name + "_" + version + ".debian.tar.";
  SourceLayout layout;
  for (const auto& download : files) {
    const std::string& file = download.file;
    if (file.size() > 4 && file.substr(file.size() - 4) == ".asc") continue;
    if (file.rfind(upstream + ".tar.", 0) == 0) {
      layout.orig = file;
    } else if (file.rfind(upstream + "-", 0) == 0) {
      const std::string rest = file.substr(upstream.size() + 1);
      const auto tar = rest.find(".tar.");
      if (tar == std::string::npos || tar == 0) throw sdk::Error(name + ": odd file " + file);
      layout.components.emplace_back(rest.substr(0, tar), file);
    } else if (file.rfind(debian, 0) == 0) {
      layout.debian = file;
    }
  }
  if (layout.orig.empty() || layout.debian.empty()) {
    throw sdk::Error(name + " " + version + " is not a \"3.0 (quilt)\" source (no " +
                     (layout.orig.empty() ? "orig" : "debian") + " tarball)");
  }
  return layout;
}

std::vector<std::string> files_excluded(const std::string& copyright) {
  std::vector<std::string> items;
  std::istringstream lines(copyright);
  bool in_field = false;
  for (std::string line; std::getline(lines, line);) {
    if (in_field && (line.empty() || (line.front() != ' ' && line.front() != '\t'))) break;
    std::string words = line;
    if (!in_field) {
      if (line.rfind("Files-Excluded:", 0) != 0) continue;
      in_field = true;
      words = line.substr(std::string("Files-Excluded:").size());
    }
    std::istringstream stream(words);
    for (std::string item; stream >> item;) {
      if (item.find_first_of("~*?[") != std::string::npos || item.find("..") != std::string::npos ||
          item.front() == '/') {
        continue;
      }
      items.push_back(item);
    }
  }
  return items;
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
