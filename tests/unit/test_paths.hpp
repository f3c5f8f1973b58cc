// Where the tests find the sources and the build tree. Functions, not compile-time strings:
// only test_paths.cpp carries the absolute paths, so a clone in another directory reuses
// every other compiled test object from ccache.
#pragma once

#include <filesystem>

namespace berth::test {
const std::filesystem::path& source_dir();  // the repository
const std::filesystem::path& binary_dir();  // the CMake build directory
}  // namespace berth::test

#define BERTH_SOURCE_DIR (::berth::test::source_dir())
#define BERTH_BINARY_DIR (::berth::test::binary_dir())
