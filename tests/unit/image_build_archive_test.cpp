// image-build: the archive writer on a tiny tree, read back with libarchive: the layout
// docker load reads (manifest.json, index.json, oci-layout, blobs), every blob named by
// its digest, and the config's fields; the index.json entries the test fixtures write too.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "berth/sdk/error.hpp"
#include "docker_archive_writer.hpp"
#include "docker_save_json.hpp"
#include "image_build_context.hpp"
#include "image_build_tar_reader.hpp"
#include "sha256.hpp"

namespace berth::image_build {
namespace {

using nlohmann::json;
using test::FakeContext;
using test::read_tar_bytes;
using test::read_tar_file;

ArchiveImage xpra_image() {
  ArchiveImage image;
  image.repository = "berth/xpra";
  image.tag = "3.1";
  image.platform = {"amd64", ""};
  image.config.entrypoint = {"/usr/local/bin/berth-display"};
  image.config.cmd = {"--help"};
  image.config.env = {kDefaultPath, "LANG=C.UTF-8"};
  image.config.workdir = "/srv";
  image.config.user = "1000:1000";
  image.config.exposed_ports = {"14500/tcp"};
  image.config.labels = {{"io.berth.gui", "display"}};
  image.created_by = "berth image-build: test";
  return image;
}

class ArchiveTest : public ::testing::Test {
 protected:
  ArchiveTest() : tree_(ctx_.top() / "tree") {
    fs::create_directories(tree_ / "usr/bin");
    std::ofstream(tree_ / "usr/bin/hello") << "#!/bin/sh\necho hello\n";
    fs::permissions(tree_ / "usr/bin/hello", fs::perms::owner_all | fs::perms::group_read |
                                                 fs::perms::group_exec | fs::perms::others_read |
                                                 fs::perms::others_exec);
    fs::create_directory_symlink("usr/bin", tree_ / "bin");
    fs::create_directories(tree_ / "etc");
    std::ofstream(tree_ / "etc/motd") << "welcome\n";
  }

  WrittenArchive write(const fs::path& archive) {
    return write_docker_archive(ctx_, tree_, xpra_image(), ctx_.top() / "staging", archive,
                                sdk::Compression::none);
  }

  FakeContext ctx_;
  fs::path tree_;
};

TEST_F(ArchiveTest, DockerSaveLayoutWithEveryBlobNamedByItsDigest) {
  const fs::path archive = ctx_.top() / "out/xpra.tar";
  const WrittenArchive written = write(archive);
  const auto members = read_tar_file(archive);

  for (const char* name : {"oci-layout", "index.json", "manifest.json", "repositories"}) {
    EXPECT_EQ(members.count(name), 1u) << "missing " << name;
  }
  std::size_t blobs = 0;
  for (const auto& [name, member] : members) {
    if (name.rfind("blobs/sha256/", 0) != 0 || member.type != AE_IFREG) continue;
    ++blobs;
    EXPECT_EQ(sha256_hex(member.data), name.substr(13)) << name;
  }
  EXPECT_EQ(blobs, 3u);  // layer, config, manifest
  for (const auto& hex : {written.layer_digest, written.config_digest, written.manifest_digest}) {
    EXPECT_EQ(members.count("blobs/sha256/" + hex), 1u) << hex;
  }
  EXPECT_EQ(json::parse(members.at("oci-layout").data)["imageLayoutVersion"], "1.0.0");
  // Nothing left behind but the archive.
  EXPECT_FALSE(fs::exists(ctx_.top() / "staging"));
  EXPECT_FALSE(fs::exists(archive.string() + ".raw"));
}

TEST_F(ArchiveTest, ManifestJsonNamesTheImageAndItsBlobs) {
  const fs::path archive = ctx_.top() / "xpra.tar";
  const WrittenArchive written = write(archive);
  const auto members = read_tar_file(archive);
  const json manifest = json::parse(members.at("manifest.json").data);
  ASSERT_EQ(manifest.size(), 1u);
  EXPECT_EQ(manifest[0]["Config"], "blobs/sha256/" + written.config_digest);
  EXPECT_EQ(manifest[0]["RepoTags"], json::array({"berth/xpra:3.1"}));
  EXPECT_EQ(manifest[0]["Layers"], json::array({"blobs/sha256/" + written.layer_digest}));
  const json repositories = json::parse(members.at("repositories").data);
  EXPECT_EQ(repositories["berth/xpra"]["3.1"], written.layer_digest);
}

TEST_F(ArchiveTest, IndexAndOciManifestPointAtTheBlobsWithTheirSizes) {
  const fs::path archive = ctx_.top() / "xpra.tar";
  const WrittenArchive written = write(archive);
  const auto members = read_tar_file(archive);
  const json index = json::parse(members.at("index.json").data);
  ASSERT_EQ(index["manifests"].size(), 1u);
  const json& entry = index["manifests"][0];
  const std::string& manifest_blob = members.at("blobs/sha256/" + written.manifest_digest).data;
  EXPECT_EQ(entry["digest"], "sha256:" + written.manifest_digest);
  EXPECT_EQ(entry["size"], manifest_blob.size());
  EXPECT_EQ(entry["annotations"]["io.containerd.image.name"], "docker.io/berth/xpra:3.1");
  EXPECT_EQ(entry["annotations"]["org.opencontainers.image.ref.name"], "3.1");
  EXPECT_EQ(entry["platform"]["architecture"], "amd64");

  const json manifest = json::parse(manifest_blob);
  EXPECT_EQ(manifest["config"]["digest"], "sha256:" + written.config_digest);
  EXPECT_EQ(manifest["config"]["size"],
            members.at("blobs/sha256/" + written.config_digest).data.size());
  ASSERT_EQ(manifest["layers"].size(), 1u);
  EXPECT_EQ(manifest["layers"][0]["digest"], "sha256:" + written.layer_digest);
  EXPECT_EQ(manifest["layers"][0]["mediaType"], "application/vnd.oci.image.layer.v1.tar");
  EXPECT_EQ(manifest["layers"][0]["size"],
            members.at("blobs/sha256/" + written.layer_digest).data.size());
}

TEST_F(ArchiveTest, ConfigCarriesTheRunSettingsAndTheLayersDiffId) {
  const fs::path archive = ctx_.top() / "xpra.tar";
  const WrittenArchive written = write(archive);
  const auto members = read_tar_file(archive);
  const json config = json::parse(members.at("blobs/sha256/" + written.config_digest).data);
  EXPECT_EQ(config["architecture"], "amd64");
  EXPECT_EQ(config["os"], "linux");
  EXPECT_EQ(config["created"], "2023-11-14T22:13:20Z");  // source_date_epoch 1700000000
  const json& run = config["config"];
  EXPECT_EQ(run["Entrypoint"], json::array({"/usr/local/bin/berth-display"}));
  EXPECT_EQ(run["Cmd"], json::array({"--help"}));
  EXPECT_EQ(run["Env"], json::array({kDefaultPath, "LANG=C.UTF-8"}));
  EXPECT_EQ(run["WorkingDir"], "/srv");
  EXPECT_EQ(run["User"], "1000:1000");
  EXPECT_EQ(run["ExposedPorts"], json({{"14500/tcp", json::object()}}));
  EXPECT_EQ(run["Labels"]["io.berth.gui"], "display");
  EXPECT_EQ(config["rootfs"]["type"], "layers");
  EXPECT_EQ(config["rootfs"]["diff_ids"], json::array({"sha256:" + written.layer_digest}));
  ASSERT_EQ(config["history"].size(), 1u);
  EXPECT_EQ(config["history"][0]["created_by"], "berth image-build: test");
}

TEST_F(ArchiveTest, TheLayerIsTheTreeWithModesLinksAndClampedTimes) {
  const fs::path archive = ctx_.top() / "xpra.tar";
  const WrittenArchive written = write(archive);
  const auto layer =
      read_tar_bytes(read_tar_file(archive).at("blobs/sha256/" + written.layer_digest).data);
  ASSERT_EQ(layer.count("usr/bin/hello"), 1u);
  EXPECT_EQ(layer.at("usr/bin/hello").data, "#!/bin/sh\necho hello\n");
  EXPECT_EQ(layer.at("usr/bin/hello").mode, 0755u);
  EXPECT_EQ(layer.at("usr/bin/hello").mtime, 1700000000);
  ASSERT_EQ(layer.count("bin"), 1u);
  EXPECT_EQ(layer.at("bin").type, static_cast<unsigned>(AE_IFLNK));
  EXPECT_EQ(layer.at("bin").link, "usr/bin");
  EXPECT_EQ(layer.at("etc/motd").data, "welcome\n");
}

TEST_F(ArchiveTest, TheSameTreeGivesTheSameBytes) {
  write(ctx_.top() / "a.tar");
  write(ctx_.top() / "b.tar");
  std::ifstream a(ctx_.top() / "a.tar", std::ios::binary);
  std::ifstream b(ctx_.top() / "b.tar", std::ios::binary);
  const std::string first{std::istreambuf_iterator<char>(a), {}};
  const std::string second{std::istreambuf_iterator<char>(b), {}};
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST_F(ArchiveTest, AnArchiveInsideItsOwnLayerIsRefused) {
  EXPECT_THROW(write(tree_ / "xpra.tar"), sdk::Error);
  EXPECT_FALSE(fs::exists(tree_ / "xpra.tar"));
}

TEST(ImageConfigJson, VariantsAndUnknownArchitectures) {
  EXPECT_EQ(oci_platform("arm64").architecture, "arm64");
  EXPECT_EQ(oci_platform("armhf").variant, "v7");
  EXPECT_EQ(oci_platform("i386").architecture, "386");
  EXPECT_THROW(oci_platform("hurd-i386"), sdk::Error);
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  // Empty settings are left out rather than written as empty values.
  const json config = json::parse(image_config_json({}, {"amd64", ""}, {"ab"}, "x", 0));
  EXPECT_FALSE(config["config"].contains("Entrypoint"));
  EXPECT_FALSE(config["config"].contains("User"));
  EXPECT_FALSE(config.contains("variant"));
}

// index.json names an image twice: containerd's full reference, and ref.name as Engine 25+
// (the tag) or skopeo (the whole reference) writes it.
TEST(DockerSaveJson, IndexEntryNamesTheImageForContainerd) {
  auto names = [](const std::string& repository, RefName ref_name) {
    return oci_index_entry("ab", 2, {"amd64", ""}, repository, "1", ref_name)["annotations"];
  };
  EXPECT_EQ(names("busybox", RefName::Tag)["io.containerd.image.name"],
            "docker.io/library/busybox:1");
  EXPECT_EQ(names("busybox", RefName::Tag)["org.opencontainers.image.ref.name"], "1");
  EXPECT_EQ(names("example/a", RefName::Reference)["io.containerd.image.name"],
            "docker.io/example/a:1");
  EXPECT_EQ(names("example/a", RefName::Reference)["org.opencontainers.image.ref.name"],
            "example/a:1");
  // A name that starts with a registry host is not Docker Hub's.
  EXPECT_EQ(names("registry.example:5000/x/y", RefName::Tag)["io.containerd.image.name"],
            "registry.example:5000/x/y:1");
  EXPECT_EQ(names("localhost/x", RefName::Tag)["io.containerd.image.name"], "localhost/x:1");

  const json arm = oci_index_entry("ab", 2, oci_platform("armhf"), "x", "1", RefName::Tag);
  EXPECT_EQ(arm["platform"], json({{"architecture", "arm"}, {"os", "linux"}, {"variant", "v7"}}));
  EXPECT_EQ(arm["digest"], "sha256:ab");
  EXPECT_EQ(arm["mediaType"], "application/vnd.oci.image.manifest.v1+json");
}

}  // namespace
}  // namespace berth::image_build
