// The multicall engine's shape: which names the one binary answers to, where each name
// lives on the target, and how a Go `main` package becomes a library the binary's own
// main can call.
#pragma once

#include <string>
#include <vector>

namespace berth::engine_docker {

struct MulticallName {
  std::string name;  // argv[0] the binary dispatches on (files/go/multicall.go)
  std::string path;  // where Debian's package puts that program on the target
  // How the program tells its version, and what its answer starts with: the build runs
  // each name once and fails on one that does not answer so.
  std::string version_flag;
  std::string answer;
};

// dockerd, docker, containerd, containerd-shim-runc-v2, zstd (with unzstd and zstdcat, to
// decompress only), openssl (the few commands Berth's scripts run); docker-proxy only with the
// userland proxy (dockerd never starts it otherwise). runc stays Debian's own binary: runc 1.1
// copies /proc/self/exe into a memfd at every container start, and would copy the whole
// engine.
std::vector<MulticallName> multicall_names(bool userland_proxy);

// A Go main package the multicall main imports: its directory under GOPATH's src and the
// package name it gets.
struct MainPackage {
  std::string import_path;
  std::string package;
};

std::vector<MainPackage> main_packages();

// One .go file of a main package, as a file of package `package` whose main() is exported
// as Main(). Only the package clause and the top-level `func main()` change; a file that
// is not of package main is refused (Error), so an upstream change is noticed.
std::string as_library(const std::string& go_source, const std::string& package);

}  // namespace berth::engine_docker
