// engine-docker's multicall build: the names the binary answers to, the Go main packages
// turned into libraries, Debian source indexes, and the exact build command lines.
#include <gtest/gtest.h>

#include <algorithm>

#include "berth/sdk/error.hpp"
#include "engine_recipe.hpp"
#include "multicall.hpp"
#include "source_packages.hpp"

namespace berth::engine_docker {
namespace {

std::vector<std::string> names_of(const std::vector<MulticallName>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) out.push_back(name.name);
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

TEST(EngineDockerMulticall, AnswersAsDockerContainerdAndTheShim) {
  const auto names = multicall_names(false);
  EXPECT_EQ(names_of(names), (std::vector<std::string>{"dockerd", "docker", "containerd",
                                                       "containerd-shim-runc-v2"}));
  EXPECT_EQ(names[0].path, "/usr/sbin/dockerd");
  EXPECT_EQ(names[3].path, "/usr/bin/containerd-shim-runc-v2");
  // runc stays Debian's binary, whatever the proxy setting.
  EXPECT_FALSE(contains(names_of(multicall_names(true)), "runc"));
}

TEST(EngineDockerMulticall, DockerProxyOnlyWithTheUserlandProxy) {
  EXPECT_FALSE(contains(names_of(multicall_names(false)), "docker-proxy"));
  const auto names = multicall_names(true);
  ASSERT_TRUE(contains(names_of(names), "docker-proxy"));
  EXPECT_EQ(names.back().path, "/usr/sbin/docker-proxy");
}

TEST(EngineDockerMulticall, MainPackageBecomesALibrary) {
  const std::string source =
      "//go:build linux\n\npackage main // import \"github.com/docker/docker/cmd/dockerd\"\n\n"
      "import \"os\"\n\nfunc init() {}\n\nfunc main() {\n\tos.Exit(mainly())\n}\n"
      "func mainly() int { return 0 }\n";
  const std::string library = as_library(source, "dockerd");
  EXPECT_EQ(library,
            "//go:build linux\n\npackage dockerd\n\nimport \"os\"\n\nfunc init() {}\n\n"
            "func Main() {\n\tos.Exit(mainly())\n}\nfunc mainly() int { return 0 }\n");
}

TEST(EngineDockerMulticall, FileWithoutMainFunctionOnlyChangesPackage) {
  EXPECT_EQ(as_library("package main\n\nfunc helper() {}\n", "docker"),
            "package docker\n\nfunc helper() {}\n");
}

TEST(EngineDockerMulticall, RefusesAFileOfAnotherPackage) {
  EXPECT_THROW(as_library("package command\n\nfunc main() {}\n", "docker"), sdk::Error);
  // "package mainly" is not package main.
  EXPECT_THROW(as_library("package mainly\n", "docker"), sdk::Error);
}

TEST(EngineDockerMulticall, MainPackagesAreTheEngineAndTheCli) {
  const auto packages = main_packages();
  ASSERT_EQ(packages.size(), 3u);
  EXPECT_EQ(packages[0].import_path, "github.com/docker/docker/cmd/dockerd");
  EXPECT_EQ(packages[2].package, "docker");
}

const char* kSources = R"(Package: runc
Binary: runc, golang-github-opencontainers-runc-dev
Version: 1.1.15+ds1-2
Directory: pool/main/r/runc
Checksums-Sha256:
 88a7d185b7cfa29d0a5c557219660c07ec0f880cf88738d010b639c2e85ff44b 3126 runc_1.1.15+ds1-2.dsc
 d557179f18a5d515ffc5b8ed1a7113af4619a1041c27408a2f83c1ece4d4d426 531172 runc_1.1.15+ds1.orig.tar.xz

Package: runc
Version: 1.1.15+ds1-2+deb13u1
Directory: pool/updates/main/r/runc
Checksums-Sha256:
 e306df343c807069d2a88ca05852b686c5d8aedd016afc341a5cb5472d0d9b65 21512 runc_1.1.15+ds1-2+deb13u1.debian.tar.xz
Homepage: https://github.com/opencontainers/runc
)";

TEST(EngineDockerSources, ParsesEveryStanzaWithItsFiles) {
  const auto sources = parse_sources(kSources);
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].directory, "pool/main/r/runc");
  ASSERT_EQ(sources[0].files.size(), 2u);
  EXPECT_EQ(sources[0].files[1].name, "runc_1.1.15+ds1.orig.tar.xz");
  EXPECT_EQ(sources[0].files[1].size, 531172u);
  const auto& update = find_source(sources, "runc", "1.1.15+ds1-2+deb13u1");
  EXPECT_EQ(update.directory, "pool/updates/main/r/runc");
  ASSERT_EQ(update.files.size(), 1u);
  EXPECT_EQ(update.files[0].sha256.substr(0, 8), "e306df34");
}

TEST(EngineDockerSources, MissingVersionIsAnError) {
  EXPECT_THROW(find_source(parse_sources(kSources), "runc", "1.2.0-1"), sdk::Error);
}

TEST(EngineDockerSources, FileNamesCannotLeaveTheDownloadDirectory) {
  EXPECT_THROW(parse_sources("Package: x\nVersion: 1\nDirectory: pool\nChecksums-Sha256:\n "
                             "88a7d185b7cfa29d0a5c557219660c07ec0f880cf88738d010b639c2e85ff44b "
                             "1 ../x.dsc\n"),
               sdk::Error);
  EXPECT_THROW(parse_sources("Package: x\nVersion: 1\nDirectory: pool\nChecksums-Sha256:\n "
                             "88a7 1 x.dsc\n"),
               sdk::Error);
}

TEST(EngineDockerSources, SourceOfABinaryPackage) {
  const auto binnmu =
      source_of("docker.io", "26.1.5+dfsg1-9+deb13u1+b1", "docker.io (26.1.5+dfsg1-9+deb13u1)");
  EXPECT_EQ(binnmu.name, "docker.io");
  EXPECT_EQ(binnmu.version, "26.1.5+dfsg1-9+deb13u1");
  const auto renamed = source_of("docker-cli", "26.1.5+dfsg1-9+deb13u1", "docker.io");
  EXPECT_EQ(renamed.name, "docker.io");
  EXPECT_EQ(renamed.version, "26.1.5+dfsg1-9+deb13u1");
  const auto same = source_of("containerd", "1.7.24~ds1-6+deb13u1", "");
  EXPECT_EQ(same.name, "containerd");
  EXPECT_EQ(same.version, "1.7.24~ds1-6+deb13u1");
  EXPECT_THROW(source_of("x", "1", "x 1.0"), sdk::Error);
}

TEST(EngineDockerSources, UpstreamVersion) {
  EXPECT_EQ(upstream_version("26.1.5+dfsg1-9+deb13u1"), "26.1.5+dfsg1");
  EXPECT_EQ(upstream_version("2:1.24~2"), "1.24~2");
  EXPECT_EQ(upstream_version("1.7.24~ds1-6+deb13u1"), "1.7.24~ds1");
  EXPECT_EQ(upstream_version("1.0"), "1.0");
}

EngineVersions trixie() {
  return {{"docker.io", "26.1.5+dfsg1-9+deb13u1"},
          {"containerd", "1.7.24~ds1-6+deb13u1"},
          "411e817",
          "a72d7cd",
          "2026-08-13T05:35:00Z"};
}

TEST(EngineDockerRecipe, LdflagsTellDebiansVersions) {
  const std::string flags = go_ldflags(trixie());
  EXPECT_EQ(flags.rfind("-s -w ", 0), 0u);
  EXPECT_NE(flags.find("-X github.com/docker/docker/dockerversion.Version=26.1.5+dfsg1 "),
            std::string::npos);
  EXPECT_NE(flags.find("-X github.com/docker/docker/dockerversion.GitCommit=411e817 "),
            std::string::npos);
  EXPECT_NE(flags.find("-X github.com/docker/cli/cli/version.GitCommit=a72d7cd "),
            std::string::npos);
  EXPECT_NE(flags.find("-X github.com/containerd/containerd/version.Version=1.7.24~ds1 "),
            std::string::npos);
  EXPECT_NE(flags.find("version.Revision=1.7.24~ds1-6+deb13u1"), std::string::npos);
}

TEST(EngineDockerRecipe, GoBuildCommandLine) {
  const auto argv = go_build_argv("/build/out/berth-engine", trixie());
  ASSERT_GE(argv.size(), 12u);
  EXPECT_EQ(std::vector<std::string>(argv.begin(), argv.begin() + 6),
            (std::vector<std::string>{"go", "build", "-p", "1", "-trimpath", "-buildmode=pie"}));
  EXPECT_EQ(argv[6], "-tags");
  EXPECT_NE(argv[7].find("no_cri"), std::string::npos);
  EXPECT_NE(argv[7].find("exclude_graphdriver_btrfs"), std::string::npos);
  EXPECT_EQ(argv[7].find("journald"), std::string::npos);
  EXPECT_EQ(argv[argv.size() - 2], "/build/out/berth-engine");
  EXPECT_EQ(argv.back(), kMulticallPackage);
  EXPECT_FALSE(contains(go_build_argv("x", trixie(), false), "-buildmode=pie"));
}

TEST(EngineDockerRecipe, NothingComesFromTheNetwork) {
  const auto env = go_env("/build/gopath:/usr/share/gocode", "/build/cache");
  EXPECT_TRUE(contains(env, "GO111MODULE=off"));
  EXPECT_TRUE(contains(env, "GOPROXY=off"));
  EXPECT_TRUE(contains(env, "GOTOOLCHAIN=local"));
  EXPECT_TRUE(contains(env, "GOMAXPROCS=1"));
  EXPECT_TRUE(contains(env, "GOPATH=/build/gopath:/usr/share/gocode"));
}

TEST(EngineDockerRecipe, ChrootFromTheConfiguredArchive) {
  ChrootRecipe recipe{"amd64",
                      "trixie",
                      "/usr/share/keyrings/debian-archive-keyring.gpg",
                      {{"http://deb.debian.org/debian", "trixie", {"main"}},
                       {"http://deb.debian.org/debian-security", "trixie-security", {}}},
                      {"golang-any", "libseccomp-dev"}};
  const auto argv = chroot_argv(recipe, "/var/cache/berth/engine-docker/chroot-x.tmp");
  EXPECT_EQ(argv[0], "mmdebstrap");
  EXPECT_TRUE(contains(argv, "--variant=buildd"));
  EXPECT_TRUE(contains(argv, "--include=golang-any,libseccomp-dev"));
  EXPECT_EQ(argv[argv.size() - 4], "trixie");
  EXPECT_EQ(argv[argv.size() - 3], "/var/cache/berth/engine-docker/chroot-x.tmp");
  EXPECT_EQ(argv[argv.size() - 2], "deb [arch=amd64] http://deb.debian.org/debian trixie main");
  EXPECT_EQ(argv.back(),
            "deb [arch=amd64] http://deb.debian.org/debian-security trixie-security main");
  recipe.packages.clear();
  EXPECT_THROW(chroot_argv(recipe, "/x"), sdk::Error);
}

TEST(EngineDockerRecipe, BuildDependsOfADebianControl) {
  const std::string control =
      "Source: docker.io\nBuild-Depends: debhelper-compat (= 13) ,dh-golang (>= 1.14~)\n"
      "    ,golang-any (>= 2:1.10~)\n"
      "#    ,golang-etcd-server-dev\n"
      "    ,golang-golang-x-oauth2-google-dev | golang-golang-x-oauth2-dev\n"
      "    ,libseccomp-dev [linux-any] <!nocheck>\n"
      "    ,gotestsum\n"
      "Homepage: https://mobyproject.org\n\nPackage: docker.io\nDepends: runc\n";
  EXPECT_EQ(go_build_depends(control),
            (std::vector<std::string>{"golang-any", "golang-golang-x-oauth2-google-dev",
                                      "libseccomp-dev"}));
  EXPECT_THROW(go_build_depends("Source: x\nMaintainer: y\n"), sdk::Error);
}

TEST(EngineDockerRecipe, KeyChangesWithEveryInput) {
  EngineKeyParts parts{trixie(),
                       {"golang-1.24-go=1.24.4-1"},
                       {"a.patch 0123"},
                       "abcd",
                       "go version go1.24.4 linux/amd64"};
  const std::string base = engine_key_text(parts);
  EXPECT_EQ(base, engine_key_text(parts));
  auto changed = parts;
  changed.versions.containerd.version = "1.7.24~ds1-6+deb13u2";
  EXPECT_NE(engine_key_text(changed), base);
  changed = parts;
  changed.patches.push_back("b.patch 4567");
  EXPECT_NE(engine_key_text(changed), base);
  changed = parts;
  changed.toolchain = "go version go1.24.5 linux/amd64";
  EXPECT_NE(engine_key_text(changed), base);
  changed = parts;
  changed.chroot_packages = {"golang-1.24-go=1.24.4-2"};
  EXPECT_NE(engine_key_text(changed), base);
  changed = parts;
  changed.multicall_main_sha256 = "abce";
  EXPECT_NE(engine_key_text(changed), base);
}

}  // namespace
}  // namespace berth::engine_docker
