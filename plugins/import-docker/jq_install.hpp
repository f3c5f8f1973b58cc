// The built jq in the rootfs: Debian's /usr/bin/jq replaced, and contents.txt told whose
// file it is. libjq.so.1 and libonig.so.5 stay where Debian put them: the strip list
// ([filesystem] strip in berth.toml) takes them once nothing links them.
#pragma once

#include "berth/sdk/context.hpp"
#include "jq_build.hpp"

namespace berth::import_docker {

// What contents.txt names the replaced file after (not Debian's package: its bytes are this
// build's).
inline constexpr const char* kJqOwner = "jq-without-regex";

void install_built_jq(sdk::BuildContext& ctx, const BuiltJq& built);

}  // namespace berth::import_docker
