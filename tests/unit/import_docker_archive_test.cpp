// import-docker: which files the build takes for image archives. Real archives, written
// with libarchive in every layout and compression `docker load` accepts, and the files
// that only look like one.
#include <gtest/gtest.h>

#include <tuple>

#include "berth/sdk/error.hpp"
#include "image_archive.hpp"
#include "import_docker_fixtures.hpp"
#include "test_support.hpp"

namespace berth::import_docker {
namespace {

using berth::test::TempDir;
using test::Filter;
using test::Member;

// The message probe_image_archive throws for `file`, or "" when it takes it.
std::string rejection(const fs::path& file) {
  try {
    probe_image_archive(file);
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return "";
}

class ImageArchiveLayouts : public testing::TestWithParam<std::tuple<ImageLayout, Filter>> {};

TEST_P(ImageArchiveLayouts, AreRecognisedThroughEveryCompression) {
  const auto [layout, filter] = GetParam();
  TempDir dir;
  const fs::path file = dir.path() / "image.tar";
  test::write_tar(
      file, layout == ImageLayout::docker_save ? test::docker_save_members() : test::oci_members(),
      filter);
  ASSERT_TRUE(test::starts_as(test::read_bytes(file), filter)) << test::filter_name(filter);
  EXPECT_EQ(probe_image_archive(file), layout);
}

INSTANTIATE_TEST_SUITE_P(
    All, ImageArchiveLayouts,
    testing::Combine(testing::Values(ImageLayout::docker_save, ImageLayout::oci_layout),
                     testing::Values(Filter::none, Filter::gzip, Filter::xz, Filter::zstd,
                                     Filter::bzip2)),
    [](const auto& test_info) {
      return std::string(std::get<0>(test_info.param) == ImageLayout::docker_save ? "DockerSave"
                                                                                  : "Oci") +
             "_" + test::filter_name(std::get<1>(test_info.param));
    });

TEST(ImageArchive, EngineTwentyFiveArchivesHoldBothAndCountAsDockerSave) {
  TempDir dir;
  auto members = test::oci_members();
  // docker save since Engine 25: the OCI layout plus a legacy manifest.json.
  members.insert(members.begin() + 4, Member{"manifest.json", "[]"});
  members.push_back({"repositories", "{}"});
  test::write_tar(dir.path() / "new.tar", members, Filter::none);
  EXPECT_EQ(probe_image_archive(dir.path() / "new.tar"), ImageLayout::docker_save);
}

TEST(ImageArchive, MembersMayStartWithDotSlash) {
  TempDir dir;
  auto members = test::oci_members();
  for (auto& member : members) member.name = "./" + member.name;
  test::write_tar(dir.path() / "dot.tar", members, Filter::gzip);
  EXPECT_EQ(probe_image_archive(dir.path() / "dot.tar"), ImageLayout::oci_layout);
}

TEST(ImageArchive, TextFileIsRefusedWithLibarchivesReason) {
  TempDir dir;
  const fs::path file = dir.write("notes.tar", "docker save -o notes.tar tool:1\n");
  EXPECT_EQ(rejection(file),
            file.string() + ": not a docker image archive (Unrecognized archive format)");
}

TEST(ImageArchive, GzippedTextIsRefused) {
  TempDir dir;
  const fs::path file = dir.path() / "plain.gz";
  {
    // gzip of a file that is no tar: libarchive's "raw" format writes one bare stream.
    std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(),
                                                                   archive_write_free);
    archive_write_set_format_raw(writer.get());
    archive_write_add_filter_gzip(writer.get());
    ASSERT_EQ(archive_write_open_filename(writer.get(), file.c_str()), ARCHIVE_OK);
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_pathname(entry.get(), "plain");
    const std::string text(2000, 'x');
    archive_write_header(writer.get(), entry.get());
    archive_write_data(writer.get(), text.data(), text.size());
    ASSERT_EQ(archive_write_close(writer.get()), ARCHIVE_OK);
  }
  EXPECT_EQ(rejection(file).rfind(file.string() + ": not a docker image archive (", 0), 0u)
      << rejection(file);
}

TEST(ImageArchive, TruncatedGzipIsRefused) {
  TempDir dir;
  const fs::path whole = dir.path() / "whole.tar.gz";
  test::write_tar(whole, test::docker_save_members(256 * 1024), Filter::gzip);
  const std::string bytes = test::read_bytes(whole);
  ASSERT_EQ(probe_image_archive(whole), ImageLayout::docker_save);
  // Cut in the middle of the layer: manifest.json, after it, is lost.
  const fs::path cut = dir.path() / "cut.tar.gz";
  test::write_bytes(cut, bytes.substr(0, bytes.size() / 2));
  const std::string message = rejection(cut);
  EXPECT_EQ(message.rfind(cut.string() + ": not a docker image archive (", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.back(), ')');
}

TEST(ImageArchive, EmptyFileIsRefused) {
  TempDir dir;
  const fs::path file = dir.write("empty.tar", "");
  EXPECT_EQ(rejection(file), file.string() + ": not a docker image archive (empty file)");
}

TEST(ImageArchive, TarWithoutTheImageFilesIsRefused) {
  TempDir dir;
  const std::string reason =
      ": not a docker image archive (a tar without manifest.json, or oci-layout and "
      "index.json, at its top)";

  const fs::path backup = dir.path() / "backup.tar";
  test::write_tar(backup, {{"etc/", "", true}, {"etc/hostname", "berth\n"}}, Filter::xz);
  EXPECT_EQ(rejection(backup), backup.string() + reason);

  // An OCI layout needs its index too.
  const fs::path half = dir.path() / "half.tar";
  test::write_tar(half, {{"oci-layout", "{}"}, {"blobs/sha256/x", "x"}}, Filter::none);
  EXPECT_EQ(rejection(half), half.string() + reason);

  // A tree that holds an image archive's files one level down is not one.
  const fs::path nested = dir.path() / "nested.tar";
  test::write_tar(nested, {{"tool/manifest.json", "[]"}}, Filter::none);
  EXPECT_EQ(rejection(nested), nested.string() + reason);

  // Only a file counts.
  const fs::path directory = dir.path() / "directory.tar";
  test::write_tar(directory, {{"manifest.json/", "", true}}, Filter::none);
  EXPECT_EQ(rejection(directory), directory.string() + reason);
}

TEST(ImageArchive, LayoutNamesForTheLog) {
  EXPECT_STREQ(layout_name(ImageLayout::docker_save), "docker save");
  EXPECT_STREQ(layout_name(ImageLayout::oci_layout), "OCI layout");
}

}  // namespace
}  // namespace berth::import_docker
