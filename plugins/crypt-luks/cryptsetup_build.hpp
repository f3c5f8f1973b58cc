// [encryption] build = "kernel-crypto": cryptsetup and libcryptsetup compiled from the
// configured suites' Debian source package with the kernel crypto backend, in a build
// chroot of its Build-Depends. Both the chroot and the result are cached under
// <cache>/crypt-luks/, keyed by what goes into them.
#pragma once

#include <filesystem>
#include <string>

#include "berth/sdk/context.hpp"
#include "berth/sdk/source_packages.hpp"

namespace berth::crypt_luks {

struct BuiltCryptsetup {
  std::filesystem::path
      root;               // holds usr/sbin/cryptsetup and usr/lib/<multiarch>/libcryptsetup.so.12*
  std::string multiarch;  // e.g. x86_64-linux-gnu
  sdk::SourceRef source;  // e.g. cryptsetup 2:2.7.5-2
};

// Builds cryptsetup (or takes it from the cache). Before a build is cached, the built
// `cryptsetup --version` must tell the source's version and the library must link no
// userspace crypto library; an Error says which check failed.
BuiltCryptsetup build_cryptsetup(sdk::BuildContext& ctx);

}  // namespace berth::crypt_luks
