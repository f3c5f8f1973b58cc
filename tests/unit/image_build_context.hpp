// A BuildContext on temporary directories for image-build's and gui-xpra's tests: the SDK's
// FakeBuildContext, whose write_tar is the core's real archive writer (uncompressed only);
// a test plays mmdebstrap in `on_run`.
#pragma once

#include <fstream>
#include <iterator>
#include <string>

#include "archive_writer.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/testing/build_context.hpp"

namespace berth::image_build::test {

namespace fs = std::filesystem;

// `text` as the whole of `file`, its directories made first.
inline void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

// The whole of `file`.
inline std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The SDK's test double, with one difference: its tars are real (image-build reads them back).
class FakeContext : public sdk::testing::FakeBuildContext {
 public:
  FakeContext() : FakeBuildContext("gui") {
    on_write_archive = [this](const ArchiveWrite& call) {
      if (call.cpio || call.compression != sdk::Compression::none) {
        throw sdk::Error("the fake writes plain tars only");
      }
      core::write_archive(call.tree, call.archive, core::ArchiveFormat::tar_pax,
                          source_date_epoch());
    };
  }
};

}  // namespace berth::image_build::test
