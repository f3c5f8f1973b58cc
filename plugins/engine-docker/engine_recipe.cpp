#include "engine_recipe.hpp"

#include <set>
#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::engine_docker {

std::vector<std::string> go_build_tags() {
  return {
      // docker.io's debian/rules builds dockerd with these (journald left out: no journal).
      "apparmor",
      "seccomp",
      // dockerd: graph drivers Berth never uses (overlay2 and vfs stay).
      "exclude_graphdriver_btrfs",
      "exclude_graphdriver_zfs",
      "exclude_graphdriver_fuseoverlayfs",
      // containerd: the Kubernetes CRI, snapshotters Docker does not use, tracing exporters.
      "no_cri",
      "no_btrfs",
      "no_zfs",
      "no_devmapper",
      "no_aufs",
      "no_tracing",
      // gRPC without golang.org/x/net/trace's request traces (grpc.EnableTracing, off
      // unless a program turns it on, and none here does): that package parses
      // html/template pages at every start of every name.
      "grpcnotrace",
      // containerd's switch for builds that cannot load Go plugins (.so files from its
      // plugin_dir, deprecated in 1.7 and gone in 2.0). Linking Go's "plugin" package makes
      // the linker export every symbol and keep every method a plugin might call: 14 MiB of
      // dynamic symbol tables and 2 MiB of code, paged in by every start of every name.
      // The tag's only other use is docker's journald reader, which needs the journald tag.
      "static_build",
      // urfave/cli without its man page and markdown generators (runc's debian/rules).
      "urfave_cli_no_docs",
  };
}

std::string go_ldflags(const EngineVersions& versions) {
  const std::string docker_version = upstream_version(versions.docker.version);
  const std::string engine = "github.com/docker/docker/dockerversion.";
  const std::string cli = "github.com/docker/cli/cli/version.";
  const std::string containerd = "github.com/containerd/containerd/version.";
  std::vector<std::string> flags = {
      // No symbol table, no DWARF: nobody debugs on the target.
      "-s",
      "-w",
      "-X " + engine + "Version=" + docker_version,
      "-X " + engine + "GitCommit=" + versions.engine_commit,
      "-X " + engine + "BuildTime=" + versions.build_time,
      "-X " + engine + "PlatformName=",
      "-X " + engine + "ProductName=docker",
      "-X " + engine + "DefaultProductLicense=",
      "-X " + cli + "Version=" + docker_version,
      "-X " + cli + "GitCommit=" + versions.cli_commit,
      "-X " + cli + "BuildTime=" + versions.build_time,
      "-X " + containerd + "Version=" + upstream_version(versions.containerd.version),
      "-X " + containerd + "Revision=" + versions.containerd.version,
  };
  std::string joined;
  for (const auto& flag : flags) joined += (joined.empty() ? "" : " ") + flag;
  return joined;
}

std::vector<std::string> go_build_argv(const std::string& output, const EngineVersions& versions,
                                       bool pie) {
  std::string tags;
  for (const auto& tag : go_build_tags()) tags += (tags.empty() ? "" : ",") + tag;
  std::vector<std::string> argv = {"go", "build", "-p", "1", "-trimpath"};
  if (pie) argv.push_back("-buildmode=pie");
  argv.insert(argv.end(),
              {"-tags", tags, "-ldflags", go_ldflags(versions), "-o", output, kMulticallPackage});
  return argv;
}

std::vector<std::string> go_env(const std::string& gopath, const std::string& gocache) {
  return {
      "GOPATH=" + gopath,
      "GOCACHE=" + gocache,
      // As docker.io's debian/rules: the libraries are the golang-*-dev packages under
      // /usr/share/gocode, laid into GOPATH; no module is ever downloaded.
      "GO111MODULE=off",
      "GOPROXY=off",
      "GOTOOLCHAIN=local",
      // The chroot has no /proc: go cannot find its root through /proc/self/exe.
      "GOROOT=/usr/lib/go",
      "GOTELEMETRY=off",
      "GOFLAGS=",
      "CGO_ENABLED=1",
      // One core: the build shares the machine.
      "GOMAXPROCS=1",
      "HOME=/nonexistent",
      "PATH=/usr/lib/go/bin:/usr/bin:/bin",
  };
}

std::vector<std::string> go_build_depends(const std::string& control) {
  // Only what debian/rules needs for packaging, documentation and tests.
  static const std::set<std::string> kPackagingOnly = {
      "debhelper-compat", "dh-golang", "dh-apparmor",    "dh-sequence-golang",
      "bash-completion",  "go-md2man", "gotestsum",      "git",
      "procps",           "tzdata",    "ca-certificates"};
  std::vector<std::string> packages;
  for (const auto& depend : sdk::build_depends(control)) {
    if (kPackagingOnly.count(depend.package) == 0) packages.push_back(depend.package);
  }
  return packages;
}

std::string engine_key_text(const EngineKeyParts& parts) {
  std::ostringstream text;
  // The layout rules of engine_build.cpp and gopath_layout.cpp: bump when they change.
  text << "engine-docker multicall 2\n";
  text << "docker " << parts.versions.docker.name << " " << parts.versions.docker.version << "\n";
  text << "containerd " << parts.versions.containerd.name << " "
       << parts.versions.containerd.version << "\n";
  text << "ldflags " << go_ldflags(parts.versions) << "\n";
  text << "argv";
  for (const auto& word : go_build_argv("OUT", parts.versions, parts.pie)) text << " " << word;
  text << "\n";
  text << "toolchain " << parts.toolchain << "\n";
  for (const auto& source : parts.main_sources) text << "main " << source << "\n";
  for (const auto& patch : parts.patches) text << "patch " << patch << "\n";
  for (const auto& package : parts.chroot_packages) text << "chroot " << package << "\n";
  return text.str();
}

}  // namespace berth::engine_docker
