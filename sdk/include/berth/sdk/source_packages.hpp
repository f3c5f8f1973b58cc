// Debian source packages, read as text: which files make up one version, how they unpack,
// which source a binary package was built from, and what it Build-Depends on. Pure
// functions over untrusted text (apt's output, a package's control fields): bounded, and
// an Error naming the line on anything unexpected. source_build.hpp downloads and unpacks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::sdk {

// One file of a source package as `apt-get source --print-uris` names it: apt chose the
// mirror and took the checksum from the Sources index it verified.
struct SourceDownload {
  std::string uri;
  std::string file;
  std::uint64_t size = 0;
  std::string sha256;
};

namespace detail {

inline bool plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

inline bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

}  // namespace detail

// Lines "'URI' FILE SIZE SHA256:HEX". Bounded (at most kMaxSourceFiles files), and a file
// name must be a plain name: no '/', not "." or "..". Error on anything else.
inline constexpr std::size_t kMaxSourceFiles = 64;
inline std::vector<SourceDownload> parse_print_uris(const std::string& output) {
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
        !detail::plain_file_name(file.file) || size.empty() || size.size() > 15 ||
        size.find_first_not_of("0123456789") != std::string::npos ||
        hash.rfind("SHA256:", 0) != 0 || hash.size() != 7 + 64) {
      throw Error("apt-get source: unexpected line '" + line.substr(0, 200) + "'");
    }
    file.uri = file.uri.substr(1, file.uri.size() - 2);
    file.size = std::stoull(size);
    file.sha256 = hash.substr(7);
    if (files.size() == kMaxSourceFiles) throw Error("apt-get source: too many files");
    files.push_back(std::move(file));
  }
  return files;
}

// The upstream part of a Debian version: no epoch, no Debian revision
// ("2:1.24~2" -> "1.24~2", "26.1.5+dfsg1-9+deb13u1" -> "26.1.5+dfsg1").
inline std::string upstream_version(const std::string& version) {
  std::string upstream = version;
  const auto colon = upstream.find(':');
  if (colon != std::string::npos) upstream.erase(0, colon + 1);
  const auto dash = upstream.rfind('-');
  if (dash != std::string::npos) upstream.erase(dash);
  return upstream;
}

// The parts of a "3.0 (quilt)" source package: the upstream tarball, its named
// components (docker.io's cli and buildkit) and the debian/ tarball. The .dsc and
// signatures are not needed: apt checked every file against the signed index.
struct SourceLayout {
  std::string orig;
  std::vector<std::pair<std::string, std::string>> components;  // name, file
  std::string debian;
};
inline SourceLayout source_layout(const std::vector<SourceDownload>& files, const std::string& name,
                                  const std::string& version) {
  // The files are named without the epoch (cryptsetup 2:2.7.5-2: cryptsetup_2.7.5-2.*).
  const auto colon = version.find(':');
  const std::string unepoched = colon == std::string::npos ? version : version.substr(colon + 1);
  const std::string upstream = name + "_" + upstream_version(version) + ".orig";
  const std::string debian = name + "_" + unepoched + ".debian.tar.";
  SourceLayout layout;
  for (const auto& download : files) {
    const std::string& file = download.file;
    if (detail::ends_with(file, ".asc")) continue;
    if (file.rfind(upstream + ".tar.", 0) == 0) {
      layout.orig = file;
    } else if (file.rfind(upstream + "-", 0) == 0) {
      const std::string rest = file.substr(upstream.size() + 1);
      const auto tar = rest.find(".tar.");
      if (tar == std::string::npos || tar == 0) throw Error(name + ": odd file " + file);
      layout.components.emplace_back(rest.substr(0, tar), file);
    } else if (file.rfind(debian, 0) == 0) {
      layout.debian = file;
    }
  }
  if (layout.orig.empty() || layout.debian.empty()) {
    throw Error(name + " " + version + " is not a \"3.0 (quilt)\" source (no " +
                (layout.orig.empty() ? "orig" : "debian") + " tarball)");
  }
  return layout;
}

// The paths of the first Files-Excluded field of a debian/copyright: what a package's
// debian/rules may delete before it builds (docker.io's orig tarball still holds some).
// Items with a '~' (kept on purpose), a glob, a ".." or a leading '/' are left out.
inline std::vector<std::string> files_excluded(const std::string& copyright) {
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

// The Directory fields (pool/main/j/jq, pool/updates/main/j/jq) of the paragraphs of
// `apt-cache showsrc` output whose Version is `version`: where each index that lists that
// version keeps its files, in the indexes' order, each once. A directory that is not a
// plain relative path (a leading '/', a "..", a space) is left out.
inline std::vector<std::string> source_directories(const std::string& showsrc,
                                                   const std::string& version) {
  std::vector<std::string> directories;
  std::string paragraph_version;
  std::string paragraph_directory;
  const auto finish = [&] {
    const auto& dir = paragraph_directory;
    if (paragraph_version == version && !dir.empty() && dir.front() != '/' &&
        dir.find("..") == std::string::npos && dir.find_first_of(" \t'") == std::string::npos &&
        std::find(directories.begin(), directories.end(), dir) == directories.end() &&
        directories.size() < kMaxSourceFiles) {
      directories.push_back(dir);
    }
    paragraph_version.clear();
    paragraph_directory.clear();
  };
  std::istringstream lines(showsrc);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) {
      finish();
    } else if (line.rfind("Version: ", 0) == 0) {
      paragraph_version = line.substr(9);
    } else if (line.rfind("Directory: ", 0) == 0) {
      paragraph_directory = line.substr(11);
    }
  }
  finish();
  return directories;
}

// Where else a file of a source package may be: `uri` as apt printed it (one index's
// choice, e.g. the point release's pool/main/j/jq) with its archive and directory swapped
// for every pair of the configured archives' `bases` and the indexes' `directories`, the
// (already escaped) file name kept; `uri` itself not among them. A mirror that lists the
// same version in two suites may serve its files from one of them only: apt checked every
// candidate's SHA-256 against the signed index all the same.
inline std::vector<std::string> alternative_uris(const std::string& uri,
                                                 const std::vector<std::string>& bases,
                                                 const std::vector<std::string>& directories) {
  std::vector<std::string> uris;
  const auto slash = uri.rfind('/');
  if (slash == std::string::npos) return uris;
  const std::string name = uri.substr(slash + 1);
  for (const auto& base : bases) {
    std::string root = base;
    while (!root.empty() && root.back() == '/') root.pop_back();
    for (const auto& directory : directories) {
      const std::string candidate = root + "/" + directory + "/" + name;
      if (candidate != uri && std::find(uris.begin(), uris.end(), candidate) == uris.end()) {
        uris.push_back(candidate);
      }
    }
  }
  return uris;
}

struct SourceRef {
  std::string name;
  std::string version;
};

// The source a binary package came from, from its control fields: "Source: docker.io
// (26.1.5+dfsg1-9+deb13u1)" for a binNMU or a renamed binary, "Source: runc" when the
// versions match, no Source field when the names match too.
inline SourceRef source_of(const std::string& binary, const std::string& binary_version,
                           const std::string& source_field) {
  std::istringstream words(source_field);
  SourceRef ref;
  std::string version;
  words >> ref.name >> version;
  if (ref.name.empty()) return {binary, binary_version};
  if (version.empty()) return {ref.name, binary_version};
  if (version.size() < 3 || version.front() != '(' || version.back() != ')') {
    throw Error(binary + ": bad Source field '" + source_field.substr(0, 200) + "'");
  }
  ref.version = version.substr(1, version.size() - 2);
  return ref;
}

// One relation of a Build-Depends field: the first alternative's package name (no version,
// architecture or multi-arch qualifier) and its build-profile restrictions as written
// ("<!nocheck>", "<!nodoc> <!cross>"; empty when it has none).
struct BuildDepend {
  std::string package;
  std::string profiles;
};

// The Build-Depends of a debian/control (its first paragraph), in order; '#' lines are
// comments, as dpkg reads them. Error when the paragraph has no such field.
inline std::vector<BuildDepend> build_depends(const std::string& control) {
  std::string paragraph;
  std::istringstream lines(control);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) break;
    if (line.front() == '#') continue;
    paragraph += line + "\n";
  }
  static const std::regex kField(R"((^|\n)Build-Depends:((?:[^\n]*\n?)(?:[ \t][^\n]*\n?)*))");
  std::smatch field;
  if (!std::regex_search(paragraph, field, kField)) {
    throw Error("debian/control has no Build-Depends");
  }
  std::vector<BuildDepend> relations;
  std::istringstream text(field[2].str());
  for (std::string relation; std::getline(text, relation, ',');) {
    const std::string first = relation.substr(0, relation.find('|'));
    std::istringstream words(first);
    std::string name;
    words >> name;
    name = name.substr(0, name.find_first_of("([<:"));
    if (name.empty()) continue;
    BuildDepend depend{name, ""};
    const auto open = first.find('<');
    if (open != std::string::npos) {
      depend.profiles = first.substr(open, first.find_last_of('>') + 1 - open);
    }
    relations.push_back(std::move(depend));
  }
  return relations;
}

}  // namespace berth::sdk
