// What the rootfs looks like after any bootstrap tool, so that both plugins hand the
// next stages the same tree: the packages' files and nothing of the tools' own
// scaffolding, plus the few things maintainer scripts would have made.
#pragma once

#include <cstddef>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "deb_file.hpp"

namespace berth::bootstrap {

namespace fs = std::filesystem;

// Every path the packages ship, with all its parent directories, and each path under
// /bin, /sbin or /lib* also under its merged-/usr place (usr/lib/...), where it lands
// when the top-level directory is already a link.
std::set<std::string> packaged_paths(const std::vector<DebContents>& debs);

// "path<TAB>package" for every path a package ships, also under its merged-/usr place:
// who owns what, for fs-squashfs's contents report (the dpkg database is not in the image).
std::string file_owners(const std::vector<DebContents>& debs);

// Removes what no package ships: apt lists and caches, the dpkg database the tools
// write, device nodes, the host's resolv.conf and hostname that mmdebstrap copies in,
// multistrap's empty etc/shells. Returns the number of top-most paths removed.
std::size_t prune_unpackaged(const fs::path& rootfs, const std::set<std::string>& keep);

// /bin, /sbin, /lib and each /lib<qual> that has a usr/ counterpart become links to
// usr/... (what trixie's base-files ships); a real directory is merged into usr/ first,
// and a link elsewhere (multistrap's lib64 -> ./lib) is replaced.
void ensure_merged_usr(const fs::path& rootfs);

// /var/run -> /run and /var/lock -> /run/lock, as base-files' postinst makes them;
// anything a package put in the directories moves under run/.
void ensure_run_links(const fs::path& rootfs);

// The mount points and directories a running system needs that only base-files would
// have shipped: dev, proc, sys, run, tmp (1777), var/tmp (1777), root (0700). Existing
// ones are left as the packages made them.
void ensure_skeleton(const fs::path& rootfs);

// An empty /etc/machine-id: the system gets its id at boot, nothing of the build host.
void reset_machine_id(const fs::path& rootfs);

// All of the above, in order.
void finish_rootfs(const fs::path& rootfs, const std::set<std::string>& keep);

}  // namespace berth::bootstrap
