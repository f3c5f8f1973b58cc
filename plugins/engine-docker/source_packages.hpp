// Debian source packages as apt describes them (a Sources index or `apt-cache showsrc`):
// which files make up one version, and which source a binary package was built from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace berth::engine_docker {

struct SourceFile {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;
};

struct SourcePackage {
  std::string name;
  std::string version;
  std::string directory;  // relative to the archive's root, e.g. pool/main/r/runc
  std::vector<SourceFile> files;
};

// Every stanza of `text` that has a Package, a Version and a Directory. The index is
// apt's, already checked against the signed release file, but it is still bounded: at most
// kMaxStanzas stanzas, and a file name must be a plain name (no '/', not "." or "..").
inline constexpr std::size_t kMaxStanzas = 4096;
std::vector<SourcePackage> parse_sources(const std::string& text);

// The stanza of exactly `name` `version`; Error when there is none.
const SourcePackage& find_source(const std::vector<SourcePackage>& sources, const std::string& name,
                                 const std::string& version);

struct SourceRef {
  std::string name;
  std::string version;
};

// The source a binary package came from, from its control fields: "Source: docker.io
// (26.1.5+dfsg1-9+deb13u1)" for a binNMU or a renamed binary, "Source: runc" when the
// versions match, no Source field when the names match too.
SourceRef source_of(const std::string& binary, const std::string& binary_version,
                    const std::string& source_field);

// The upstream part of a Debian version: no epoch, no Debian revision
// ("2:1.24~2" -> "1.24~2", "26.1.5+dfsg1-9+deb13u1" -> "26.1.5+dfsg1").
std::string upstream_version(const std::string& version);

}  // namespace berth::engine_docker
