// crypt-luks's built cryptsetup into the rootfs: Debian's program and library names
// replaced (none of Debian's left behind), modes as Debian's, libargon2-1 beside them,
// and the owners contents.txt reads.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "berth/sdk/context.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/testing/build_context.hpp"
#include "cryptsetup_install.hpp"

namespace berth::crypt_luks {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

TEST(CryptLuksInstall, BuiltFilesReplaceDebiansWithArgon2Beside) {
  sdk::testing::FakeBuildContext ctx("crypt-luks");
  const fs::path root = ctx.rootfs();
  const fs::path lib = root / "usr/lib/x86_64-linux-gnu";
  write(lib / "libcryptsetup.so.12.10.0", "debian library");
  write(lib / "libcryptsetup.so.12.9.0", "an older name");
  fs::create_symlink("libcryptsetup.so.12.10.0", lib / "libcryptsetup.so.12");
  write(lib / "libdevmapper.so.1.02.1", "stays");
  write(root / "usr/sbin/cryptsetup", "debian program");
  fs::create_symlink("usr/sbin", root / "sbin");

  BuiltCryptsetup built{
      ctx.cache_dir() / "crypt-luks/cryptsetup-x", "x86_64-linux-gnu", {"cryptsetup", "2:2.7.5-2"}};
  const fs::path built_lib = built.root / "usr/lib/x86_64-linux-gnu";
  write(built_lib / "libcryptsetup.so.12.10.0", "kernel library");
  fs::permissions(built_lib / "libcryptsetup.so.12.10.0", fs::perms(0644));
  fs::create_symlink("libcryptsetup.so.12.10.0", built_lib / "libcryptsetup.so.12");
  write(built.root / "usr/sbin/cryptsetup", "kernel program");
  fs::permissions(built.root / "usr/sbin/cryptsetup", fs::perms(0755));

  ctx.on_fetch = [&](const std::vector<std::string>& names, bool with_dependencies) {
    EXPECT_EQ(names, std::vector<std::string>{"libargon2-1"});
    EXPECT_FALSE(with_dependencies);
    return std::vector<sdk::FetchedPackage>{
        {"libargon2-1", "0~20190702+dfsg-4+b2", ctx.cache_dir() / "libargon2-1.deb"}};
  };
  ctx.on_extract_deb = [](const fs::path&, const fs::path& target) {
    write(target / "usr/lib/x86_64-linux-gnu/libargon2.so.1", "argon2");
    write(target / "usr/share/doc/libargon2-1/copyright", "copyright");
  };
  install_built_cryptsetup(ctx, built);

  EXPECT_EQ(sdk::read_text(root / "usr/sbin/cryptsetup"), "kernel program");
  EXPECT_EQ(sdk::lstat_of(root / "usr/sbin/cryptsetup").st_mode & 07777, 0755u);
  EXPECT_EQ(sdk::read_text(lib / "libcryptsetup.so.12"), "kernel library");
  EXPECT_EQ(fs::read_symlink(lib / "libcryptsetup.so.12"), "libcryptsetup.so.12.10.0");
  EXPECT_EQ(sdk::lstat_of(lib / "libcryptsetup.so.12.10.0").st_mode & 07777, 0644u);
  EXPECT_FALSE(fs::exists(fs::symlink_status(lib / "libcryptsetup.so.12.9.0")));
  EXPECT_EQ(sdk::read_text(lib / "libdevmapper.so.1.02.1"), "stays");
  EXPECT_EQ(sdk::read_text(lib / "libargon2.so.1"), "argon2");
  ASSERT_EQ(ctx.packages.size(), 1u);
  EXPECT_EQ(ctx.packages[0].name, "libargon2-1");

  const auto lists = ctx.lookup(sdk::facts::kFileOwners);
  ASSERT_TRUE(lists.has_value());
  const std::string owners = sdk::read_text(*lists);
  EXPECT_NE(owners.find("usr/sbin/cryptsetup\tcryptsetup-kernel-crypto\n"), std::string::npos);
  EXPECT_NE(owners.find("usr/lib/x86_64-linux-gnu/libcryptsetup.so.12.10.0\t"
                        "cryptsetup-kernel-crypto\n"),
            std::string::npos);
  EXPECT_NE(owners.find("usr/lib/x86_64-linux-gnu/libargon2.so.1\tlibargon2-1\n"),
            std::string::npos);
  EXPECT_EQ(ctx.sizes.count("crypt-luks: cryptsetup (kernel crypto)"), 1u);
}

}  // namespace
}  // namespace berth::crypt_luks
