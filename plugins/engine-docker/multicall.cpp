#include "multicall.hpp"

#include <regex>

#include "berth/sdk/error.hpp"

namespace berth::engine_docker {

std::vector<MulticallName> multicall_names(bool userland_proxy) {
  std::vector<MulticallName> names = {
      {"dockerd", "/usr/sbin/dockerd", "--version", "Docker version "},
      {"docker", "/usr/bin/docker", "--version", "Docker version "},
      {"containerd", "/usr/bin/containerd", "--version",
       "containerd github.com/containerd/containerd "},
      // The shim's flag is -v.
      {"containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2", "-v",
       "containerd-shim-runc-v2:"},
      // Decompression only (files/go/zstd.go): GNU tar runs `zstd -d` for the importer's
      // zstd archives, with Docker's own decoder instead of a second zstd program.
      {"zstd", "/usr/bin/zstd", "--version", "zstd (Berth engine)"},
      {"unzstd", "/usr/bin/unzstd", "--version", "zstd (Berth engine)"},
      {"zstdcat", "/usr/bin/zstdcat", "--version", "zstd (Berth engine)"},
      // The OpenSSL commands Berth's scripts run (files/go/openssl.go: remote-access's TLS
      // certificates and its checks of a stick's registry certificates) and `verify`, with
      // Go's crypto/x509: neither OpenSSL's program nor libssl is needed in the image.
      {"openssl", "/usr/bin/openssl", "version", "openssl (Berth engine"},
  };
  if (userland_proxy) {
    names.push_back(
        {"docker-proxy", "/usr/sbin/docker-proxy", "--version", "docker-proxy (commit "});
  }
  return names;
}

std::vector<MainPackage> main_packages() {
  return {
      {"github.com/docker/docker/cmd/dockerd", "dockerd"},
      {"github.com/docker/docker/cmd/docker-proxy", "dockerproxy"},
      {"github.com/docker/cli/cmd/docker", "docker"},
  };
}

std::string as_library(const std::string& go_source, const std::string& package) {
  static const std::regex kPackageMain(R"((^|\n)package main[ \t]*(//[^\n]*)?\n)");
  static const std::regex kFuncMain(R"(\nfunc main\(\) \{)");
  std::smatch clause;
  if (!std::regex_search(go_source, clause, kPackageMain)) {
    throw sdk::Error("not a file of package main");
  }
  std::string library =
      clause.prefix().str() + clause[1].str() + "package " + package + "\n" + clause.suffix().str();
  return std::regex_replace(library, kFuncMain, "\nfunc Main() {");
}

}  // namespace berth::engine_docker
