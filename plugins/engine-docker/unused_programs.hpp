// Programs of Debian's docker.io and containerd packages that a Berth engine never runs:
// about 50 MB unpacked (14 MiB compressed) of the base image.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace berth::engine_docker {

struct UnusedProgram {
  std::string path;  // as the target sees it
  std::string why;   // for the build log
};

// What dockerd and the docker CLI never start: containerd's own CLI (ctr), the shims of
// the runtimes before io.containerd.runc.v2 (Docker 26 starts only the v2 shim), and
// docker-proxy unless published ports go through the userland proxy.
std::vector<UnusedProgram> unused_programs(bool userland_proxy);

struct Removed {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

// Removes each program that is a regular file in `root` (a symlink or anything else is left
// alone: it is not the package's binary); what was removed.
Removed remove_unused_programs(const std::filesystem::path& root,
                               const std::vector<UnusedProgram>& programs);

}  // namespace berth::engine_docker
