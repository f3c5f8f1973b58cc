// The built cryptsetup in the rootfs: Debian's /usr/sbin/cryptsetup and libcryptsetup.so.12*
// replaced, Debian's libargon2 beside them, and contents.txt told whose files they are.
#pragma once

#include "berth/sdk/context.hpp"
#include "cryptsetup_build.hpp"

namespace berth::crypt_luks {

// What contents.txt names the replaced files after (not Debian's packages: their bytes are
// this build's).
inline constexpr const char* kBuiltOwner = "cryptsetup-kernel-crypto";

void install_built_cryptsetup(sdk::BuildContext& ctx, const BuiltCryptsetup& built);

}  // namespace berth::crypt_luks
