// [import] jq = "without-regex": jq compiled from the configured suites' Debian source
// package without Oniguruma (regular expressions) and with libjq linked into the program,
// in a build chroot of its Build-Depends. Both the chroot and the result are cached under
// <cache>/import-docker/, keyed by what goes into them.
#pragma once

#include <filesystem>

#include "berth/sdk/context.hpp"
#include "berth/sdk/source_packages.hpp"

namespace berth::import_docker {

struct BuiltJq {
  std::filesystem::path root;  // holds usr/bin/jq
  sdk::SourceRef source;       // e.g. jq 1.7.1-6+deb13u4
};

// Builds jq (or takes it from the cache). Before a build is cached, the built
// `jq --version` must tell the source's upstream version, the program must link neither
// libonig nor libjq, a regex filter must fail with jq's own message, and labels.jq must
// read sample labels as the importer expects; an Error says which check failed.
BuiltJq build_jq(sdk::BuildContext& ctx);

}  // namespace berth::import_docker
