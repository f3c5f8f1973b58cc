#include "unused_programs.hpp"

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"

namespace berth::engine_docker {

namespace fs = std::filesystem;

std::vector<UnusedProgram> unused_programs(bool userland_proxy) {
  std::vector<UnusedProgram> programs = {
      {"/usr/bin/ctr", "containerd's debugging CLI; Berth talks to Docker"},
      {"/usr/bin/containerd-shim", "the io.containerd.runtime.v1.linux shim; Docker uses runc.v2"},
      {"/usr/bin/containerd-shim-runc-v1", "the io.containerd.runc.v1 shim; Docker uses runc.v2"},
  };
  if (!userland_proxy) {
    programs.push_back(
        {"/usr/sbin/docker-proxy", "published ports go through iptables (userland_proxy = false)"});
  }
  return programs;
}

Removed remove_unused_programs(const fs::path& root, const std::vector<UnusedProgram>& programs) {
  Removed removed;
  for (const auto& program : programs) {
    const auto found = sdk::resolve_in_root(root, program.path, {.last = sdk::LastLink::keep});
    if (!found || !fs::is_regular_file(fs::symlink_status(*found))) continue;  // a link is not it
    const fs::path& file = *found;
    const auto bytes = fs::file_size(file);
    std::error_code error;
    if (!fs::remove(file, error) || error) {
      throw sdk::Error("cannot remove " + program.path + " from the rootfs: " + error.message());
    }
    ++removed.files;
    removed.bytes += bytes;
  }
  return removed;
}

}  // namespace berth::engine_docker
