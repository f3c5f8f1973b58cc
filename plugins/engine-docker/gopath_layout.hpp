// One copy of every Go package in the multicall's GOPATH. Debian builds dockerd and the CLI
// as two binaries, each with a vendor/ directory of its own (engine/vendor, cli/vendor,
// buildkit/vendor) next to the golang-*-dev packages in /usr/share/gocode. Linked into one
// binary, a package vendored twice is two packages under two import paths, and their
// protobuf registrations collide (swarmkit's gogo extensions panic at start). So the
// engine's vendor tree moves up to GOPATH's src, where every project sees it, and the
// CLI's and buildkit's copies of what GOPATH already has are dropped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

namespace berth::engine_docker {

namespace fs = std::filesystem;

// Moves the contents of `vendor` into `src` (merging directories) and removes `vendor`.
// A file that `src` already has is an Error: two projects would own it.
void hoist_vendor(const fs::path& vendor, const fs::path& src);

// Deletes the files of each package (a directory holding .go files) of `vendor` that one of
// `roots` (GOPATH src directories) also holds as a package; subdirectories stay, as they
// are packages of their own. Returns how many packages went.
std::size_t drop_shadowed_packages(const fs::path& vendor, const std::vector<fs::path>& roots);

}  // namespace berth::engine_docker
