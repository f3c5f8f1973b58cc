// A Debian-shaped image tree holding the build host's `true`, glibc and loader, for the
// tests that read real ELF files (the library check, the strip's kept libraries).
#pragma once

#include <filesystem>
#include <string>

#include "elf_file.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs::test_image {

inline const std::filesystem::path kHostTrue = "/usr/bin/true";
inline const std::filesystem::path kHostLibc = "/lib/x86_64-linux-gnu/libc.so.6";
inline const std::filesystem::path kHostLoader = "/lib64/ld-linux-x86-64.so.2";
inline const std::string kMultiarch = "usr/lib/x86_64-linux-gnu";

inline bool host_has_amd64_glibc() {
  namespace fs = std::filesystem;
  return fs::exists(kHostTrue) && fs::exists(kHostLibc) && fs::exists(kHostLoader) &&
         read_elf_facts(fs::canonical(kHostTrue)).interpreter == kHostLoader.string();
}

// `true`, glibc and the loader, found the way Debian's loader finds them: lib64 ->
// usr/lib64, an absolute symlink to the loader, the multiarch directory built into the
// loader.
inline void make_glibc_image(const test::TempDir& root) {
  namespace fs = std::filesystem;
  const fs::path& r = root.path();
  fs::create_directories(r / kMultiarch);
  fs::create_directories(r / "usr/bin");
  fs::create_directories(r / "usr/lib64");
  fs::copy_file(fs::canonical(kHostTrue), r / "usr/bin/true");
  fs::copy_file(fs::canonical(kHostLibc), r / kMultiarch / "libc.so.6");
  fs::copy_file(fs::canonical(kHostLoader), r / kMultiarch / "ld-linux-x86-64.so.2");
  fs::create_directory_symlink("usr/lib64", r / "lib64");
  fs::create_symlink("/" + kMultiarch + "/ld-linux-x86-64.so.2",
                     r / "usr/lib64/ld-linux-x86-64.so.2");
}

}  // namespace berth::fs_squashfs::test_image
