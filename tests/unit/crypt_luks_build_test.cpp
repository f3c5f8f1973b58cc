// crypt-luks's cryptsetup build: the [encryption] build key, the build chroot's packages
// from cryptsetup's debian/control, configure's flags, and the checks of the result.
#include <gtest/gtest.h>

#include <algorithm>

#include "berth/sdk/config.hpp"
#include "berth/sdk/error.hpp"
#include "cryptsetup_recipe.hpp"
#include "settings.hpp"

namespace berth::crypt_luks {
namespace {

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

TEST(CryptLuksBuild, KernelCryptoUnlessDebiansBinariesAreAsked) {
  EXPECT_EQ(read_settings(sdk::ConfigTable("encryption", "berth.toml:3")).build,
            CryptsetupBuild::kernel_crypto);
  sdk::ConfigTable table("encryption", "berth.toml:3");
  table.set("build", {std::string("debian"), "berth.toml:4"});
  EXPECT_EQ(read_settings(table).build, CryptsetupBuild::debian);
  table.set("build", {std::string("kernel-crypto"), "berth.toml:4"});
  EXPECT_EQ(read_settings(table).build, CryptsetupBuild::kernel_crypto);
}

TEST(CryptLuksBuild, UnknownBuildIsAConfigErrorAtItsLine) {
  sdk::ConfigTable table("encryption", "berth.toml:3");
  table.set("build", {std::string("openssl"), "berth.toml:4"});
  try {
    read_settings(table);
    FAIL() << "accepted build = \"openssl\"";
  } catch (const sdk::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("berth.toml:4"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("openssl"), std::string::npos);
  }
}

// The Build-Depends of trixie's cryptsetup 2:2.7.5-2.
constexpr const char* kControl =
    "Source: cryptsetup\nSection: admin\n"
    "Build-Depends: asciidoctor <!nodoc>,\n               autoconf,\n"
    "               automake (>= 1:1.12),\n               autopoint,\n"
    "               debhelper-compat (= 13),\n               dh-strip-nondeterminism,\n"
    "               docbook-xml <!nodoc>,\n               docbook-xsl <!nodoc>,\n"
    "               gettext,\n               jq <!nocheck>,\n               libblkid-dev,\n"
    "               libdevmapper-dev,\n               libjson-c-dev,\n"
    "               libpopt-dev,\n               libselinux1-dev,\n"
    "               libsepol-dev,\n               libssh-dev,\n"
    "               libssl-dev (>> 3.2~),\n               libtool,\n"
    "               openssl-provider-legacy <!nocheck>,\n               pkgconf,\n"
    "               po-debconf,\n               procps <!nocheck>,\n"
    "               uuid-dev,\n               xsltproc <!nodoc>,\n"
    "               xxd <!nocheck>\nStandards-Version: 4.7.2\n\n"
    "Package: cryptsetup\nDepends: dmsetup\n";

TEST(CryptLuksBuild, ChrootHasWhatConfigureNeedsAndNoOpenSsl) {
  EXPECT_EQ(chroot_packages(kControl),
            (std::vector<std::string>{"autoconf", "automake", "autopoint", "gettext",
                                      "libblkid-dev", "libdevmapper-dev", "libjson-c-dev",
                                      "libpopt-dev", "libselinux1-dev", "libsepol-dev", "libtool",
                                      "pkgconf", "uuid-dev", "libargon2-dev"}));
}

TEST(CryptLuksBuild, ConfigureAsksForTheKernelBackendAndDebiansArgon2) {
  const auto args = configure_args("x86_64-linux-gnu");
  EXPECT_TRUE(contains(args, "--with-crypto_backend=kernel"));
  EXPECT_TRUE(contains(args, "--enable-libargon2"));
  EXPECT_TRUE(contains(args, "--libdir=/usr/lib/x86_64-linux-gnu"));
  EXPECT_TRUE(contains(args, "--sbindir=/usr/sbin"));
  EXPECT_TRUE(contains(args, "--disable-ssh-token"));
  EXPECT_TRUE(contains(args, "--disable-asciidoc"));
  EXPECT_TRUE(contains(args, "--disable-nls"));
}

TEST(CryptLuksBuild, VersionMustBeTheSourcesUpstreamVersion) {
  EXPECT_TRUE(reports_version("cryptsetup 2.7.5 flags: UDEV BLKID KEYRING KERNEL_CAPI HW_OPAL \n",
                              "2:2.7.5-2"));
  EXPECT_TRUE(reports_version("cryptsetup 2.7.5\n", "2:2.7.5-2"));
  EXPECT_FALSE(reports_version("cryptsetup 2.7.55 flags: UDEV\n", "2:2.7.5-2"));
  EXPECT_FALSE(reports_version("cryptsetup 2.6.1\n", "2:2.7.5-2"));
  EXPECT_FALSE(reports_version("", "2:2.7.5-2"));
}

TEST(CryptLuksBuild, UserspaceCryptoLibrariesAreFound) {
  const std::string openssl =
      " 0x0000000000000001 (NEEDED)             Shared library: [libuuid.so.1]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libcrypto.so.3]\n"
      " 0x000000000000000e (SONAME)             Library soname: [libcryptsetup.so.12]\n";
  EXPECT_EQ(userspace_crypto_libraries(openssl), (std::vector<std::string>{"libcrypto.so.3"}));
  const std::string kernel =
      " 0x0000000000000001 (NEEDED)             Shared library: [libargon2.so.1]\n"
      " 0x0000000000000001 (NEEDED)             Shared library: [libdevmapper.so.1.02.1]\n";
  EXPECT_TRUE(userspace_crypto_libraries(kernel).empty());
}

TEST(CryptLuksBuild, BackendLineOfTheDebugOutput) {
  EXPECT_EQ(backend_line("# Verifying parameters.\n# Crypto backend (Linux 6.12.118-berth kernel "
                         "cryptoAPI) initialized in cryptsetup library version 2.7.5.\n# x\n"),
            "Crypto backend (Linux 6.12.118-berth kernel cryptoAPI) initialized in cryptsetup "
            "library version 2.7.5.");
  EXPECT_EQ(backend_line("Cannot initialize crypto backend.\n"), "");
}

TEST(CryptLuksBuild, KeyChangesWithEveryInput) {
  BuildKeyParts parts;
  parts.source = {"cryptsetup", "2:2.7.5-2"};
  parts.multiarch = "x86_64-linux-gnu";
  parts.flags = {"CFLAGS=-O2", "CPPFLAGS=", "LDFLAGS=-Wl,-z,now"};
  parts.chroot_packages = {"gcc-14=14.2.0-19"};
  const std::string key = key_text(parts);
  EXPECT_NE(key.find("--with-crypto_backend=kernel"), std::string::npos);
  auto other = parts;
  other.source.version = "2:2.7.5-3";
  EXPECT_NE(key_text(other), key);
  other = parts;
  other.flags[0] = "CFLAGS=-O3";
  EXPECT_NE(key_text(other), key);
  other = parts;
  other.chroot_packages = {"gcc-14=14.2.0-20"};
  EXPECT_NE(key_text(other), key);
}

}  // namespace
}  // namespace berth::crypt_luks
