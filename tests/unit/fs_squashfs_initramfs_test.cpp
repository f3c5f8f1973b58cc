// The initramfs skeleton, the static-busybox check and the root-module check.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <functional>

#include "berth/sdk/error.hpp"
#include "elf_file.hpp"
#include "initramfs_tree.hpp"
#include "test_support.hpp"

namespace berth::fs_squashfs {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// A minimal ELF image: header and program headers, and an interpreter string when
// `interpreter` is not empty (then the first program header is PT_INTERP).
std::string make_elf(bool is64, bool big_endian, const std::string& interpreter) {
  std::string bytes(512, '\0');
  auto put = [&](std::size_t offset, std::uint64_t value, unsigned size) {
    for (unsigned i = 0; i < size; ++i) {
      const unsigned shift = 8 * (big_endian ? size - 1 - i : i);
      bytes[offset + i] = static_cast<char>((value >> shift) & 0xff);
    }
  };
  bytes.replace(0, 4,
                "\x7f"
                "ELF");
  bytes[4] = is64 ? 2 : 1;
  bytes[5] = big_endian ? 2 : 1;
  const std::size_t phoff = is64 ? 0x40 : 0x34;
  const std::size_t phentsize = is64 ? 56 : 32;
  put(is64 ? 0x20 : 0x1c, phoff, is64 ? 8 : 4);
  put(is64 ? 0x36 : 0x2a, phentsize, 2);
  put(is64 ? 0x38 : 0x2c, 2, 2);
  const std::size_t strings = 400;
  // First header: PT_INTERP (3) or PT_NOTE (4); second: PT_LOAD (1).
  put(phoff, interpreter.empty() ? 4 : 3, 4);
  put(phoff + (is64 ? 0x08 : 0x04), strings, is64 ? 8 : 4);
  put(phoff + (is64 ? 0x20 : 0x10), interpreter.size() + 1, is64 ? 8 : 4);
  put(phoff + phentsize, 1, 4);
  bytes.replace(strings, interpreter.size(), interpreter);
  return bytes;
}

fs::path write_bytes(const TempDir& dir, const std::string& name, const std::string& bytes) {
  const fs::path path = dir.path() / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return "";
}

TEST(FsSquashfsElf, StaticAndDynamicInEveryClassAndByteOrder) {
  TempDir dir;
  for (bool is64 : {true, false}) {
    for (bool big : {true, false}) {
      const auto name = std::to_string(is64) + std::to_string(big);
      auto dynamic =
          read_elf_facts(write_bytes(dir, "d" + name, make_elf(is64, big, "/lib/ld.so.1")));
      EXPECT_TRUE(dynamic.is_elf) << name;
      EXPECT_EQ(dynamic.interpreter, "/lib/ld.so.1") << name;
      auto fixed = read_elf_facts(write_bytes(dir, "s" + name, make_elf(is64, big, "")));
      EXPECT_TRUE(fixed.is_elf) << name;
      EXPECT_EQ(fixed.interpreter, "") << name;
    }
  }
}

TEST(FsSquashfsElf, TheHostShellIsDynamic) {
  // Debian's /bin/sh (dash) is a dynamically linked executable.
  const auto facts = read_elf_facts(fs::canonical("/bin/sh"));
  EXPECT_TRUE(facts.is_elf);
  EXPECT_NE(facts.interpreter.find("ld"), std::string::npos) << facts.interpreter;
}

TEST(FsSquashfsElf, ScriptsAreNotElfAndTruncatedFilesAreErrors) {
  TempDir dir;
  EXPECT_FALSE(read_elf_facts(dir.write("script", "#!/bin/sh\necho hi\n")).is_elf);
  const auto whole = make_elf(true, false, "/lib64/ld-linux-x86-64.so.2");
  const auto cut = write_bytes(dir, "cut", whole.substr(0, 0x50));
  EXPECT_NE(error_of([&] { read_elf_facts(cut); }).find("truncated"), std::string::npos);
  EXPECT_NE(error_of([&] { read_elf_facts(dir.path() / "missing"); }).find("missing"),
            std::string::npos);
}

TEST(FsSquashfsInitramfs, FindsAStaticBusybox) {
  TempDir rootfs;
  write_bytes(rootfs, "usr/bin/busybox", make_elf(true, false, ""));
  fs::create_directory_symlink("usr/bin", rootfs.path() / "bin");
  EXPECT_EQ(find_static_busybox(rootfs.path()), rootfs.path() / "usr/bin/busybox");
}

TEST(FsSquashfsInitramfs, FindsBusyboxInAnUnmergedTree) {
  TempDir rootfs;
  write_bytes(rootfs, "bin/busybox", make_elf(true, false, ""));
  EXPECT_EQ(find_static_busybox(rootfs.path()), rootfs.path() / "bin/busybox");
}

TEST(FsSquashfsInitramfs, TheHostsBusyboxIsNeverTaken) {
  TempDir rootfs;
  TempDir host;
  write_bytes(host, "bin/busybox", make_elf(true, false, ""));
  fs::create_directory_symlink(host.path() / "bin", rootfs.path() / "bin");
  EXPECT_NE(error_of([&] { find_static_busybox(rootfs.path()); }).find("no busybox"),
            std::string::npos);
}

TEST(FsSquashfsInitramfs, RefusesAMissingOrDynamicBusybox) {
  TempDir rootfs;
  auto missing = error_of([&] { find_static_busybox(rootfs.path()); });
  EXPECT_NE(missing.find("no busybox"), std::string::npos) << missing;
  EXPECT_NE(missing.find("busybox-static"), std::string::npos) << missing;

  write_bytes(rootfs, "usr/bin/busybox", make_elf(true, false, "/lib64/ld-linux-x86-64.so.2"));
  auto dynamic = error_of([&] { find_static_busybox(rootfs.path()); });
  EXPECT_NE(dynamic.find("dynamically linked"), std::string::npos) << dynamic;
  EXPECT_NE(dynamic.find("/lib64/ld-linux-x86-64.so.2"), std::string::npos) << dynamic;
  EXPECT_NE(dynamic.find("busybox-static"), std::string::npos) << dynamic;

  write_bytes(rootfs, "usr/bin/busybox", "#!/bin/sh\n");
  EXPECT_NE(error_of([&] { find_static_busybox(rootfs.path()); }).find("not an ELF"),
            std::string::npos);
}

TEST(FsSquashfsInitramfs, SkeletonIsMergedUsrAndKeepsWhatIsThere) {
  TempDir root;
  // What the kernel plugin leaves before us.
  write_bytes(root, "usr/lib/modules/6.12.0/modules.dep", "");
  fs::create_directory_symlink("usr/lib", root.path() / "lib");

  make_initramfs_skeleton(root.path());
  make_initramfs_skeleton(root.path());  // twice is fine

  EXPECT_EQ(fs::read_symlink(root.path() / "bin"), "usr/bin");
  EXPECT_EQ(fs::read_symlink(root.path() / "sbin"), "usr/bin");
  EXPECT_EQ(fs::read_symlink(root.path() / "usr/sbin"), "bin");
  EXPECT_EQ(fs::read_symlink(root.path() / "lib"), "usr/lib");
  for (const char* dir :
       {"dev", "proc", "sys", "run", "newroot", "berth", "usr/lib/berth/early.d"}) {
    EXPECT_TRUE(fs::is_directory(root.path() / dir)) << dir;
  }
  EXPECT_TRUE(fs::exists(root.path() / "lib/modules/6.12.0/modules.dep"));
}

TEST(FsSquashfsInitramfs, SkeletonRefusesARealDirectoryWhereALinkBelongs) {
  TempDir root;
  write_bytes(root, "sbin/cryptsetup", "x");
  auto message = error_of([&] { make_initramfs_skeleton(root.path()); });
  EXPECT_NE(message.find("sbin"), std::string::npos) << message;
  EXPECT_NE(message.find("usr/bin"), std::string::npos) << message;
}

TEST(FsSquashfsInitramfs, InstallsBusyboxExecutableWithShLink) {
  TempDir rootfs;
  TempDir root;
  const auto busybox = write_bytes(rootfs, "usr/bin/busybox", make_elf(true, false, ""));
  fs::permissions(busybox, fs::perms::owner_read | fs::perms::owner_write);
  make_initramfs_skeleton(root.path());
  install_busybox(busybox, root.path());
  install_busybox(busybox, root.path());  // a rebuild over an old tree

  const auto target = root.path() / "usr/bin/busybox";
  EXPECT_EQ(fs::file_size(target), fs::file_size(busybox));
  EXPECT_EQ(fs::status(target).permissions(), fs::perms(0755));
  EXPECT_EQ(fs::read_symlink(root.path() / "usr/bin/sh"), "busybox");
  EXPECT_TRUE(fs::exists(root.path() / "bin/sh"));
}

TEST(FsSquashfsInitramfs, RootModulesMayBeShippedOrBuiltIn) {
  TempDir dir;
  dir.write("modules.dep",
            "kernel/drivers/block/loop.ko:\n"
            "kernel/fs/overlayfs/overlay.ko.xz: kernel/lib/foo.ko\n"
            "kernel/drivers/md/dm-crypt.ko: kernel/drivers/md/dm-mod.ko\n");
  EXPECT_EQ(missing_modules(dir.path(), {"loop", "squashfs", "overlay", "dm_crypt"}),
            (std::vector<std::string>{"squashfs"}));
  dir.write("modules.builtin", "kernel/fs/squashfs/squashfs.ko\n");
  EXPECT_TRUE(missing_modules(dir.path(), {"loop", "squashfs", "overlay", "dm-crypt"}).empty());
}

TEST(FsSquashfsInitramfs, NoModulesDepIsAnError) {
  TempDir dir;
  EXPECT_NE(error_of([&] { missing_modules(dir.path(), {"loop"}); }).find("modules.dep"),
            std::string::npos);
}

}  // namespace
}  // namespace berth::fs_squashfs
