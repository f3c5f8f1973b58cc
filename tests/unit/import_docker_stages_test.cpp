// import-docker: the hooks against a BuildContext on temporary directories. The archives
// land on the ISO tree byte for byte, the importer's files in the rootfs, and every
// failure names what is wrong.
#include <gtest/gtest.h>

#include <map>

#include "berth/sdk/error.hpp"
#include "berth/sdk/sizes.hpp"
#include "berth/sdk/testing/build_context.hpp"
#include "import_docker_fixtures.hpp"
#include "stages.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace berth::import_docker {
namespace {

using berth::test::TempDir;
using test::Filter;

class FakeContext : public sdk::testing::FakeBuildContext {
 public:
  FakeContext() : FakeBuildContext("import-docker") {
    set_config(sdk::ConfigTable("import", "images.toml:1"));
  }
};

Settings settings_for(const std::vector<std::string>& paths) {
  sdk::ConfigTable table("import", "images.toml:1");
  sdk::ConfigValue::Array items;
  int line = 3;
  for (const auto& path : paths) items.push_back({path, "images.toml:" + std::to_string(line++)});
  table.set("images", {items, "images.toml:2"});
  return read_settings(table);
}

TEST(ImportDockerStages, ArchivesLandOnTheIsoTreeByteForByte) {
  FakeContext ctx;
  // One beside the config (relative), one elsewhere (absolute).
  const fs::path relative = ctx.config_dir() / "images/tool.tar.gz";
  fs::create_directories(relative.parent_path());
  test::write_tar(relative, test::docker_save_members(300 * 1024), Filter::gzip);
  const fs::path absolute = ctx.top() / "elsewhere/db.oci.tar";
  fs::create_directories(absolute.parent_path());
  test::write_tar(absolute, test::oci_members(2 * 1024 * 1024), Filter::none);
  const std::string relative_bytes = test::read_bytes(relative);
  const std::string absolute_bytes = test::read_bytes(absolute);

  ship_images(ctx, settings_for({"images/tool.tar.gz", absolute.string()}));

  const fs::path medium = ctx.iso_root() / "berth/images";
  EXPECT_EQ(test::read_bytes(medium / "tool.tar.gz"), relative_bytes);
  EXPECT_EQ(test::read_bytes(medium / "db.oci.tar"), absolute_bytes);
  EXPECT_EQ(test::read_bytes(relative), relative_bytes);  // the user's file untouched
  EXPECT_EQ(std::distance(fs::directory_iterator(medium), fs::directory_iterator()), 2);
  EXPECT_EQ(ctx.sizes.at("images"), relative_bytes.size() + absolute_bytes.size());
  EXPECT_TRUE(ctx.logged("berth/images/tool.tar.gz: " + sdk::human_size(relative_bytes.size())));
  EXPECT_TRUE(ctx.logged("berth/images/db.oci.tar: 2.0 MiB"));
}

TEST(ImportDockerStages, ASecondBuildIntoTheSameTreeReplacesTheArchive) {
  FakeContext ctx;
  const fs::path archive = ctx.config_dir() / "tool.tar";
  test::write_tar(archive, test::docker_save_members(), Filter::none);
  test::write_bytes(ctx.iso_root() / "berth/images/tool.tar", "left from before");
  ship_images(ctx, settings_for({"tool.tar"}));
  EXPECT_EQ(test::read_bytes(ctx.iso_root() / "berth/images/tool.tar"), test::read_bytes(archive));
}

TEST(ImportDockerStages, NoImagesLeaveTheIsoTreeAlone) {
  FakeContext ctx;
  ship_images(ctx, settings_for({}));
  EXPECT_FALSE(fs::exists(ctx.iso_root() / "berth"));
  EXPECT_EQ(ctx.sizes.count("images"), 0u);
}

TEST(ImportDockerStages, ArchiveRemovedDuringTheBuildIsNamed) {
  FakeContext ctx;
  try {
    ship_images(ctx, settings_for({"gone.tar"}));
    FAIL() << "a missing archive was shipped";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(std::string(error.what()),
              (ctx.config_dir() / "gone.tar").string() + " (images.toml:3): no longer a file");
  }
}

TEST(ImportDockerStages, RelativePathsAreCheckedAgainstTheConfigDirectory) {
  FakeContext ctx;
  test::write_tar(ctx.config_dir() / "tool.tar.xz", test::docker_save_members(), Filter::xz);
  EXPECT_NO_THROW(check_images(settings_for({"tool.tar.xz"}), ctx.config_dir()));

  test::write_bytes(ctx.config_dir() / "notes.tar", "todo: save the images\n");
  try {
    check_images(settings_for({"tool.tar.xz", "notes.tar"}), ctx.config_dir());
    FAIL() << "a text file passed";
  } catch (const sdk::ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "images.toml:4: [import] images: " + (ctx.config_dir() / "notes.tar").string() +
                  ": not a docker image archive (Unrecognized archive format)");
  }
}

TEST(ImportDockerStages, ImporterNeedsTheDockerCli) {
  FakeContext ctx;
  try {
    install_importer(ctx);
    FAIL() << "a rootfs without docker was accepted";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "no /usr/bin/docker in the rootfs: the image importer runs the docker CLI; add "
              "docker-cli to [bootstrap] packages");
  }
}

TEST(ImportDockerStages, ImporterNeedsJq) {
  FakeContext ctx;
  test::write_bytes(ctx.rootfs() / "usr/bin/docker", "ELF");
  try {
    install_importer(ctx);
    FAIL() << "a rootfs without jq was accepted";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "no /usr/bin/jq in the rootfs: the image importer reads image labels and OCI "
              "indexes with jq; add jq to [bootstrap] packages");
  }
}

// The build host's docker, reached through an absolute link in the rootfs, is not the image's.
TEST(ImportDockerStages, ImporterLooksInTheRootfsNotThroughItsLinks) {
  FakeContext ctx;
  const fs::path host_bin = ctx.work_dir() / "host-bin";
  test::write_bytes(host_bin / "docker", "ELF");
  test::write_bytes(host_bin / "jq", "ELF");
  fs::create_directories(ctx.rootfs() / "usr");
  fs::create_directory_symlink(host_bin, ctx.rootfs() / "usr/bin");
  EXPECT_THROW(install_importer(ctx), sdk::Error);
}

TEST(ImportDockerStages, ImporterAcceptsARootfsWithDockerAndJq) {
  FakeContext ctx;
  test::write_bytes(ctx.rootfs() / "usr/bin/docker", "ELF");
  test::write_bytes(ctx.rootfs() / "usr/bin/jq", "ELF");
  EXPECT_NO_THROW(install_importer(ctx));
}

}  // namespace
}  // namespace berth::import_docker
