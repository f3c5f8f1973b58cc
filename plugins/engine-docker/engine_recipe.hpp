// How the multicall engine is compiled: Go build tags, linker flags, the build chroot's
// packages, and the cache key that names one result. Pure functions, so the exact
// command lines are unit-tested; engine_build.cpp runs them.
#pragma once

#include <string>
#include <vector>

#include "berth/sdk/context.hpp"
#include "berth/sdk/source_packages.hpp"

namespace berth::engine_docker {

using sdk::SourceRef;
using sdk::upstream_version;

// The Go import path of the multicall main inside the GOPATH the build lays out.
inline constexpr const char* kMulticallPackage = "github.com/docker/docker/cmd/berth-engine";

// What Debian passes, and what Berth adds to leave out what its engine never uses. One
// `go build` links every program, so the tags are the union: each only names code of
// one project (see /work/notes/engine-facts.md for which version honours which).
std::vector<std::string> go_build_tags();

struct EngineVersions {
  SourceRef docker;           // docker.io: engine and CLI
  SourceRef containerd;       // containerd
  std::string engine_commit;  // debian/helpers/engine-gitcommits, e.g. 411e817
  std::string cli_commit;     // debian/helpers/cli-gitcommits
  std::string build_time;     // RFC 3339, the Debian changelog's date (as debian/rules does)
};

// -s -w, and the -X settings debian/rules of docker.io and containerd make, so `docker
// version` and `containerd --version` tell what Debian's binaries tell.
std::string go_ldflags(const EngineVersions& versions);

// `go build` of the multicall main into `output`, one package at a time (-p 1: the
// machine is shared); position independent (as Debian builds dockerd) when `pie` is true.
std::vector<std::string> go_build_argv(const std::string& output, const EngineVersions& versions,
                                       bool pie);

// The environment of that command: Debian's GOPATH mode, nothing from the network.
std::vector<std::string> go_env(const std::string& gopath, const std::string& gocache);

// Build-Depends of a debian/control (sdk::build_depends: the first alternative of each
// relation, profiles ignored). Tools only Debian's packaging uses (debhelper, man pages,
// completion, test runners) are left out: the engine build runs `go build` itself.
std::vector<std::string> go_build_depends(const std::string& control);

// Everything that changes the result, as one text; its SHA-256 names the cache entry.
struct EngineKeyParts {
  EngineVersions versions;
  std::vector<std::string> chroot_packages;  // name=version of every package in the chroot
  std::vector<std::string> patches;          // name and SHA-256 of each plugin-owned patch
  std::vector<std::string> main_sources;     // name and SHA-256 of each file of files/go
  std::string toolchain;                     // `go version`
  bool pie = false;                          // [engine] pie
};
std::string engine_key_text(const EngineKeyParts& parts);

}  // namespace berth::engine_docker
