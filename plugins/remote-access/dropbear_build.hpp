// [remote] build = "bundled-libtom": dropbear and dropbearkey compiled from the configured
// suites' Debian source package as one program with dropbear's bundled libtomcrypt and
// libtommath, in a build chroot of its Build-Depends. Both the chroot and the result are
// cached under <cache>/remote-access/, keyed by what goes into them.
#pragma once

#include <filesystem>

#include "berth/sdk/context.hpp"
#include "berth/sdk/source_packages.hpp"

namespace berth::remote_access {

struct BuiltDropbear {
  std::filesystem::path root;  // holds usr/sbin/dropbear (dropbearkey by another name)
  sdk::SourceRef source;       // e.g. dropbear 2025.89-1~deb13u1
};

// Builds dropbear (or takes it from the cache). Before a build is cached, the built
// `dropbear -V` must tell the source's upstream version, the program must make a key when
// run as dropbearkey, and it must link none of libtomcrypt, libtommath, libgmp, zlib and
// libcrypt; an Error says which check failed.
BuiltDropbear build_dropbear(sdk::BuildContext& ctx);

}  // namespace berth::remote_access
