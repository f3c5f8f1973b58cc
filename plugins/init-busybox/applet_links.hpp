// Which busybox applets become commands on the target. Debian's real tools win: a name
// that any directory on PATH already answers to (ip from iproute2, modprobe from kmod,
// mke2fs from e2fsprogs) keeps its real program; busybox fills the gaps (init, sh, mount,
// getty, udhcpc, ...).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::init_busybox {

// The directories a root shell searches, relative to the rootfs.
const std::vector<std::string>& command_dirs();

// `busybox --list-full` output: one applet path a line, e.g. "usr/bin/awk", "sbin/init".
std::vector<std::string> parse_applet_list(std::string_view output);

// The applet paths to link to busybox, in input order: those under bin, sbin, usr/bin or
// usr/sbin (not e.g. "linuxrc", which belongs in an initrd root) whose name `provided`
// does not report as an existing command, each name once.
std::vector<std::string> plan_applet_links(
    const std::vector<std::string>& applets,
    const std::function<bool(const std::string& name)>& provided);

}  // namespace berth::init_busybox
