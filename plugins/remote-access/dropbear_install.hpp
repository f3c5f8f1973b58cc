// The built dropbear in the rootfs: Debian's /usr/sbin/dropbear replaced, /usr/bin/dropbearkey
// a hard link to it (the one program answers to both names), and contents.txt told whose
// files they are.
#pragma once

#include "berth/sdk/context.hpp"
#include "dropbear_build.hpp"

namespace berth::remote_access {

// What contents.txt names the replaced files after (not Debian's package: their bytes are
// this build's).
inline constexpr const char* kBuiltOwner = "dropbear-bundled-libtom";

void install_built_dropbear(sdk::BuildContext& ctx, const BuiltDropbear& built);

}  // namespace berth::remote_access
