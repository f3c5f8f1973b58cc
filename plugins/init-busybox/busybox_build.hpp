// [init] busybox = "musl": busybox compiled from the configured suites' Debian source package
// with Debian's configuration of the static flavour (busybox-static), against musl instead of
// glibc, in a build chroot of its Build-Depends and musl-tools. Both the chroot and the result
// are cached under <cache>/init-busybox/, keyed by what goes into them.
#pragma once

#include <filesystem>
#include <string>

#include "berth/sdk/context.hpp"
#include "berth/sdk/source_packages.hpp"

namespace berth::init_busybox {

struct BuiltBusybox {
  std::filesystem::path root;  // holds usr/bin/busybox (0755)
  sdk::SourceRef source;       // e.g. busybox 1:1.37.0-6
};

// Debian's /usr/bin/busybox in the rootfs (busybox-static's), before the built one replaces
// it: what the build's applets and crypt are checked against. Error when there is none.
std::filesystem::path debian_busybox(const std::filesystem::path& rootfs);

// Builds busybox (or takes it from the cache). Before a build is cached, the program must be
// static (no interpreter, no needed library), its `--help` must name the source's upstream
// version, its `--list` must be that of Debian's busybox in the rootfs (`debian_busybox`),
// and its SHA-512 crypt must be Debian's; an Error says which check failed.
BuiltBusybox build_busybox(sdk::BuildContext& ctx, const std::filesystem::path& debian_busybox);

// The built /usr/bin/busybox over Debian's in the rootfs (0755, root's), named
// kBuiltOwner in contents.txt.
inline constexpr const char* kBuiltOwner = "busybox-musl";
void install_built_busybox(sdk::BuildContext& ctx, const BuiltBusybox& built);

}  // namespace berth::init_busybox
