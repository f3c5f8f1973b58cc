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
#include <string>
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

// The projects (host/owner/name, e.g. github.com/cloudflare/cfssl) whose files a patch
// against GOPATH's src changes, from its "+++ b/PATH" lines. A path with fewer than four
// components, a "." or ".." component, or an absolute one is an Error: a patch never
// reaches out of src.
std::vector<std::string> patched_projects(const std::string& patch_text);

// Copies a project of Debian's /usr/share/gocode (`gocode`/PROJECT) whole into `src`, to be
// patched there: in GOPATH mode the first root holding a package's directory wins, even
// one without Go files, so a package is never overlaid alone (its parent directories
// would hide their own packages). Nothing happens when `src` has the project already (the
// engine's vendor tree brought it); an Error when neither has it.
void overlay_project(const fs::path& gocode, const fs::path& src, const std::string& project);

}  // namespace berth::engine_docker
