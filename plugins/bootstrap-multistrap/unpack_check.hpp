// Checking what multistrap unpacked against what apt selected.
//
// multistrap unpacks every .deb in the rootfs's apt archive, not only the ones apt
// selected, and skips (with a message, but exit status 0) a .deb dpkg -X cannot
// unpack. The archive is seeded from the download cache, so after the run three
// views must agree: apt's selection (its "NEW packages" list), the .debs in the
// archive, and the packages multistrap wrote into var/lib/dpkg/status.
#pragma once

#include <string>
#include <vector>

namespace berth::bootstrap {

struct UnpackCheck {
  std::vector<std::string> wanted;        // .deb file names of apt's selection
  std::vector<std::string> unexpected;    // .debs apt did not select (stale seeds)
  std::vector<std::string> undownloaded;  // selected packages without a .deb
  std::vector<std::string> not_unpacked;  // selected packages missing from the status
};

// `selected`: apt's package names; `debs`: file names in the archive; `unpacked`:
// names in the dpkg status; `seeded`: file names linked in from the cache before the
// run. A package with two .debs (a stale seed and a newer download) wants the one
// that was not seeded.
UnpackCheck check_unpacked(const std::vector<std::string>& selected,
                           const std::vector<std::string>& debs,
                           const std::vector<std::string>& unpacked,
                           const std::vector<std::string>& seeded);

// The names under "The following NEW packages will be installed:" in apt-get's output
// (multistrap passes it through on stdout); empty when the block is missing.
std::vector<std::string> apt_new_packages(const std::string& output);

// The Package: names of a dpkg status file, in file order.
std::vector<std::string> status_packages(const std::string& status);

// "busybox-static_1%3a1.37.0-6+b9_amd64.deb" -> "busybox-static".
std::string package_of_deb_name(const std::string& file_name);

}  // namespace berth::bootstrap
