// Debian source packages: which files make up one version, how they unpack, and which
// source a binary package was built from.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace berth::engine_docker {

// One file of a source package as `apt-get source --print-uris` names it: apt chose the
// mirror and took the checksum from the Sources index it verified.
struct SourceDownload {
  std::string uri;
  std::string file;
  std::uint64_t size = 0;
  std::string sha256;
};

// Lines "'URI' FILE SIZE SHA256:HEX". Bounded (at most kMaxSourceFiles files), and a file
// name must be a plain name: no '/', not "." or "..". Error on anything else.
inline constexpr std::size_t kMaxSourceFiles = 64;
std::vector<SourceDownload> parse_print_uris(const std::string& output);

// The parts of a "3.0 (quilt)" source package: the upstream tarball, its named
// components (docker.io's cli and buildkit) and the debian/ tarball. The .dsc and
// signatures are not needed: apt checked every file against the signed index.
struct SourceLayout {
  std::string orig;
  std::vector<std::pair<std::string, std::string>> components;  // name, file
  std::string debian;
};
SourceLayout source_layout(const std::vector<SourceDownload>& files, const std::string& name,
                           const std::string& version);

// The paths of the first Files-Excluded field of a debian/copyright: what docker.io's
// debian/rules deletes under every top directory (`*/PATH`) before it builds (its orig
// tarball still holds some, e.g. engine/vendor/github.com/moby/buildkit, which the
// orig-buildkit component replaces). Items with a '~' (kept on purpose) or a glob are left out.
std::vector<std::string> files_excluded(const std::string& copyright);

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
