// The customize-stage hooks of init-busybox, in the order they run.
#pragma once

#include "berth/sdk/context.hpp"
#include "settings.hpp"

namespace berth::init_busybox {

// [20] What the maintainer scripts of base-passwd and base-files would have done:
// /etc/passwd and group from the masters, shadow files, /root/.profile, /root. Early, so
// plugins at order 50 can add their own users and groups.
void install_accounts(sdk::BuildContext& ctx, const Settings& settings);
void install_base_files(sdk::BuildContext& ctx);

// [50] the generated /etc files, over the core's install of files/rootfs (rc, rc.d
// services, consoles).
void install_system_files(sdk::BuildContext& ctx, const Settings& settings);

// [90] Links for the busybox applets no Debian package provides; last, so that every
// real program other plugins installed is already in place.
void install_applet_links(sdk::BuildContext& ctx);

}  // namespace berth::init_busybox
