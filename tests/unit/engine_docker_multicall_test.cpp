// engine-docker's multicall build: the names the binary answers to, the Go main packages
// turned into libraries, Debian source indexes, and the exact build command lines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "berth/sdk/error.hpp"
#include "daemon_config.hpp"
#include "engine_recipe.hpp"
#include "gopath_layout.hpp"
#include "multicall.hpp"

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

TEST(EngineDockerMulticall, MulticallUnlessDebiansBinariesAreAsked) {
  EXPECT_EQ(read_settings(sdk::ConfigTable("engine", "berth.toml:7")).build,
            EngineBuild::multicall);
  sdk::ConfigTable engine("engine", "berth.toml:7");
  engine.set("build", {std::string("multicall"), "berth.toml:8"});
  EXPECT_EQ(read_settings(engine).build, EngineBuild::multicall);
  engine.set("build", {std::string("debian"), "berth.toml:8"});
  EXPECT_EQ(read_settings(engine).build, EngineBuild::debian);
}

TEST(EngineDockerMulticall, UnknownBuildIsAConfigError) {
  sdk::ConfigTable engine("engine", "berth.toml:7");
  engine.set("build", {std::string("static"), "berth.toml:8"});
  try {
    read_settings(engine);
    FAIL() << "accepted build = \"static\"";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("berth.toml:8"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("static"), std::string::npos);
  }
}

TEST(EngineDockerMulticall, AnswersAsDockerContainerdTheShimZstdAndOpenssl) {
  const auto names = multicall_names(false);
  EXPECT_EQ(names_of(names),
            (std::vector<std::string>{"dockerd", "docker", "containerd", "containerd-shim-runc-v2",
                                      "zstd", "unzstd", "zstdcat", "openssl"}));
  EXPECT_EQ(names[4].path, "/usr/bin/zstd");
  EXPECT_EQ(names[7].path, "/usr/bin/openssl");
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

// The build runs every name once and refuses a binary that does not answer so.
TEST(EngineDockerMulticall, EveryNameHasItsVersionQuestionAndAnswer) {
  for (const auto& name : multicall_names(true)) {
    const std::string flag = name.name == "containerd-shim-runc-v2" ? "-v"
                             : name.name == "openssl"               ? "version"
                                                                    : "--version";
    EXPECT_EQ(name.version_flag, flag) << name.name;
    EXPECT_FALSE(name.answer.empty()) << name.name;
  }
  EXPECT_EQ(multicall_names(true)[2].answer, "containerd github.com/containerd/containerd ");
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
  const auto argv = go_build_argv("/build/out/berth-engine", trixie(), false);
  ASSERT_GE(argv.size(), 11u);
  EXPECT_EQ(std::vector<std::string>(argv.begin(), argv.begin() + 5),
            (std::vector<std::string>{"go", "build", "-p", "1", "-trimpath"}));
  EXPECT_EQ(argv[5], "-tags");
  EXPECT_NE(argv[6].find("no_cri"), std::string::npos);
  EXPECT_NE(argv[6].find("exclude_graphdriver_btrfs"), std::string::npos);
  EXPECT_EQ(argv[6].find("journald"), std::string::npos);
  // Without Go's plugin loader: the linker would export every symbol.
  EXPECT_NE(argv[6].find("static_build"), std::string::npos);
  EXPECT_EQ(argv[argv.size() - 2], "/build/out/berth-engine");
  EXPECT_EQ(argv.back(), kMulticallPackage);
  EXPECT_FALSE(contains(argv, "-buildmode=pie"));
  EXPECT_TRUE(contains(go_build_argv("x", trixie(), true), "-buildmode=pie"));
}

TEST(EngineDockerRecipe, NothingComesFromTheNetwork) {
  const auto env = go_env("/build/gopath:/usr/share/gocode", "/build/cache");
  EXPECT_TRUE(contains(env, "GO111MODULE=off"));
  EXPECT_TRUE(contains(env, "GOPROXY=off"));
  EXPECT_TRUE(contains(env, "GOTOOLCHAIN=local"));
  EXPECT_TRUE(contains(env, "GOMAXPROCS=1"));
  EXPECT_TRUE(contains(env, "GOPATH=/build/gopath:/usr/share/gocode"));
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
                       {"multicall.go abcd", "zstd.go 0123"},
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
  changed.main_sources = {"multicall.go abce", "zstd.go 0123"};
  EXPECT_NE(engine_key_text(changed), base);
  changed = parts;
  changed.main_sources.pop_back();  // a file of the main package gone
  EXPECT_NE(engine_key_text(changed), base);
  changed = parts;
  changed.pie = true;
  EXPECT_NE(engine_key_text(changed), base);
}

class EngineDockerGopath : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("engine_docker_gopath_" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void file(const std::string& path, const std::string& text = "package x\n") {
    const auto full = root_ / path;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full) << text;
  }
  bool exists(const std::string& path) const { return std::filesystem::exists(root_ / path); }
  std::filesystem::path root_;
};

TEST_F(EngineDockerGopath, EngineVendorMovesUpToTheGopath) {
  file("src/github.com/docker/docker/vendor/modules.txt", "# x\n");
  file("src/github.com/docker/docker/vendor/github.com/moby/swarmkit/v2/api/api.go");
  file("src/github.com/docker/docker/vendor/github.com/moby/swarmkit/v2/api/naming/n.go");
  file("src/github.com/moby/buildkit/client/client.go");
  hoist_vendor(root_ / "src/github.com/docker/docker/vendor", root_ / "src");
  EXPECT_TRUE(exists("src/github.com/moby/swarmkit/v2/api/api.go"));
  EXPECT_TRUE(exists("src/github.com/moby/swarmkit/v2/api/naming/n.go"));
  EXPECT_TRUE(exists("src/github.com/moby/buildkit/client/client.go"));  // merged beside
  EXPECT_FALSE(exists("src/modules.txt"));
  EXPECT_FALSE(exists("src/github.com/docker/docker/vendor"));
}

TEST_F(EngineDockerGopath, AFileOwnedTwiceIsAnError) {
  file("src/github.com/docker/docker/vendor/github.com/moby/buildkit/client/client.go");
  file("src/github.com/moby/buildkit/client/client.go");
  EXPECT_THROW(hoist_vendor(root_ / "src/github.com/docker/docker/vendor", root_ / "src"),
               sdk::Error);
}

TEST_F(EngineDockerGopath, SecondCopiesLeaveTheCliVendor) {
  const std::string vendor = "src/github.com/docker/cli/vendor/";
  file(vendor + "github.com/moby/swarmkit/v2/api/api.go");
  file(vendor + "github.com/moby/swarmkit/v2/api/api.pb.txt", "");
  file(vendor + "github.com/moby/swarmkit/v2/api/only/o.go");
  file(vendor + "github.com/containerd/platforms/platforms.go");
  file(vendor + "github.com/tonistiigi/go-rosetta/rosetta.go");
  file("src/github.com/moby/swarmkit/v2/api/api.go");
  file("gocode/github.com/containerd/platforms/platforms.go");
  file("gocode/github.com/tonistiigi/go-rosetta/README.md", "no Go here\n");
  const auto dropped = drop_shadowed_packages(root_ / vendor, {root_ / "src", root_ / "gocode"});
  EXPECT_EQ(dropped, 2u);
  EXPECT_FALSE(exists(vendor + "github.com/moby/swarmkit/v2/api/api.go"));
  EXPECT_FALSE(exists(vendor + "github.com/moby/swarmkit/v2/api/api.pb.txt"));
  EXPECT_TRUE(exists(vendor + "github.com/moby/swarmkit/v2/api/only/o.go"));  // no other copy
  EXPECT_FALSE(exists(vendor + "github.com/containerd/platforms/platforms.go"));
  EXPECT_TRUE(exists(vendor + "github.com/tonistiigi/go-rosetta/rosetta.go"));
}

// A patch to Debian's Go libraries names files under GOPATH's src; the projects it touches
// are what the build copies from /usr/share/gocode before patching.
TEST(EngineDockerGocodePatch, NamesTheProjectsItTouchesOnce) {
  const std::string patch =
      "Why: ...\n---\n"
      "--- a/github.com/cloudflare/cfssl/config/config.go\t2026-12-06 09:22:51 +0000\n"
      "+++ b/github.com/cloudflare/cfssl/config/config.go\t2026-12-06 09:22:52 +0000\n"
      "@@ -1 +1 @@\n-a\n+b\n"
      "--- a/github.com/cloudflare/cfssl/signer/local/local.go\n"
      "+++ b/github.com/cloudflare/cfssl/signer/local/local.go\n"
      "--- a/golang.org/x/net/idna/idna.go\n"
      "+++ b/golang.org/x/net/idna/idna.go\n";
  EXPECT_EQ(patched_projects(patch),
            (std::vector<std::string>{"github.com/cloudflare/cfssl", "golang.org/x/net"}));
}

TEST(EngineDockerGocodePatch, APatchOutOfSrcOrOfNoFileIsRefused) {
  for (const std::string path :
       {"b/../etc/passwd", "b/github.com/x/y/../../../../z.go", "b//abs/x/y/z.go",
        "b/github.com/x/y.go", "github.com/x/y/z.go", "b/github.com/./y/z.go"}) {
    EXPECT_THROW(patched_projects("--- a/x\n+++ " + path + "\n"), sdk::Error) << path;
  }
  EXPECT_THROW(patched_projects("no diff here\n"), sdk::Error);
}

TEST_F(EngineDockerGopath, AGocodeProjectIsCopiedWholeUnlessTheGopathHasIt) {
  file("gocode/github.com/cloudflare/cfssl/signer/signer.go");
  file("gocode/github.com/cloudflare/cfssl/signer/local/local.go");
  file("gocode/github.com/cloudflare/cfssl/config/config.go");
  overlay_project(root_ / "gocode", root_ / "src", "github.com/cloudflare/cfssl");
  // The parent package comes along: GOPATH would otherwise find an empty signer/ first.
  EXPECT_TRUE(exists("src/github.com/cloudflare/cfssl/signer/signer.go"));
  EXPECT_TRUE(exists("src/github.com/cloudflare/cfssl/signer/local/local.go"));
  EXPECT_TRUE(exists("src/github.com/cloudflare/cfssl/config/config.go"));

  file("src/github.com/zmap/zlint/v3/zlint.go", "package zlint // the engine's vendored copy\n");
  file("gocode/github.com/zmap/zlint/v3/other.go");
  overlay_project(root_ / "gocode", root_ / "src", "github.com/zmap/zlint");
  EXPECT_FALSE(exists("src/github.com/zmap/zlint/v3/other.go")) << "the GOPATH's copy stays";
  EXPECT_THROW(overlay_project(root_ / "gocode", root_ / "src", "github.com/no/where"), sdk::Error);
}

}  // namespace
}  // namespace berth::engine_docker
