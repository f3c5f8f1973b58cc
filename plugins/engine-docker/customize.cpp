#include "customize.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "alternatives.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "engine_build.hpp"
#include "group_file.hpp"
#include "target_files.hpp"
#include "unused_programs.hpp"

namespace berth::engine_docker {

namespace {

void require_program(const fs::path& root, const std::string& path, const std::string& package) {
  if (!sdk::file_in_root(root, path)) {
    throw sdk::Error("no " + path + " in the rootfs: add " + package + " to [bootstrap] packages");
  }
}

void install_alternatives(sdk::BuildContext& ctx) {
  const fs::path& root = ctx.rootfs();
  int linked = 0;
  for (const auto& alternative : iptables_alternatives()) {
    if (!sdk::file_in_root(root, alternative.target)) {
      if (alternative.required) {
        throw sdk::Error("no " + alternative.target +
                         " in the rootfs: add iptables to [bootstrap] packages");
      }
      ctx.debug("no " + alternative.target + "; no " + alternative.link);
      continue;
    }
    // Two levels, as update-alternatives makes them, so `ls -l` tells the usual story.
    const std::string slot = "/etc/alternatives/" + alternative.name;
    link_in_root(root, slot, alternative.target);
    if (!link_in_root(root, alternative.link, slot)) {
      ctx.warn(alternative.link + " is a real file in the rootfs; left as it is");
      continue;
    }
    ++linked;
  }
  ctx.info("iptables alternatives: " + std::to_string(linked) + " links to the nft variants");
}

// docker.io's postinst: `addgroup --system docker`; members may use the socket.
void install_docker_group(sdk::BuildContext& ctx) {
  const fs::path& root = ctx.rootfs();
  const auto group_file = sdk::file_in_root(root, "/etc/group");
  if (!group_file) {
    throw sdk::Error(
        "no /etc/group in the rootfs; the init plugin writes it before "
        "customize order 50");
  }
  const std::string groups = sdk::read_text(*group_file);
  if (find_group(groups, "docker")) return;
  const unsigned gid = free_system_gid(groups);
  const auto gshadow_file = sdk::file_in_root(root, "/etc/gshadow");
  const bool shadowed = gshadow_file.has_value();
  sdk::write_in_root(root, "/etc/group", append_group(groups, "docker", shadowed ? "x" : "*", gid));
  if (shadowed) {
    struct stat owner {};
    if (::stat(gshadow_file->c_str(), &owner) != 0) {
      throw sdk::Error(gshadow_file->string() + ": cannot stat");
    }
    std::string gshadow = sdk::read_text(*gshadow_file);
    if (!gshadow.empty() && gshadow.back() != '\n') gshadow += '\n';
    sdk::write_in_root(root, "/etc/gshadow", gshadow + "docker:!::\n", fs::perms(0640));
    // Keep it root:shadow, as the init plugin left it (on the file written, should the old
    // one have been a link).
    const fs::path written = sdk::place_in_root(root, "/etc/gshadow", sdk::LastLink::keep);
    if (::chown(written.c_str(), owner.st_uid, owner.st_gid) != 0) {
      throw sdk::Error(written.string() + ": cannot chown");
    }
  }
  ctx.info("group docker (gid " + std::to_string(gid) + ")");
}

}  // namespace

void install_engine(sdk::BuildContext& ctx, const Settings& settings) {
  const fs::path& root = ctx.rootfs();
  require_program(root, "/usr/sbin/dockerd", "docker.io");
  require_program(root, "/usr/bin/docker", "docker-cli");
  require_program(root, "/usr/bin/containerd", "containerd");
  if (settings.userland_proxy && !sdk::file_in_root(root, "/usr/sbin/docker-proxy")) {
    throw sdk::Error(
        "[engine] userland_proxy = true, but the rootfs has no /usr/sbin/docker-proxy");
  }

  if (settings.build == EngineBuild::multicall) install_multicall_engine(ctx, settings);

  sdk::write_in_root(root, "/etc/docker/daemon.json", daemon_json(settings).dump(2) + "\n");
  if (settings.tls) {
    // remote-access (customize, before this hook) reads the marker at boot.
    if (!sdk::file_in_root(root, "/usr/lib/berth/remote-tls.sh")) {
      throw sdk::Error(
          "[engine] tls = true needs the remote-access plugin ([remote] plugin = "
          "\"remote-access\" in the build config)");
    }
    sdk::write_in_root(root, "/etc/berth/docker-tls", "[engine] tls = true\n");
  }
  if (!settings.proxy.empty()) {
    if (!sdk::file_in_root(root, "/etc/berth/rc.d/64-proxy")) {
      throw sdk::Error(
          "[engine] proxy needs the remote-access plugin ([remote] plugin = "
          "\"remote-access\" in the build config)");
    }
    sdk::write_in_root(root, "/etc/berth/docker-proxy", settings.proxy + "\n");
  }
  install_alternatives(ctx);
  install_docker_group(ctx);

  const auto programs = unused_programs(settings.userland_proxy);
  const Removed removed = remove_unused_programs(root, programs);
  for (const auto& program : programs)
    ctx.debug("not shipped: " + program.path + " (" + program.why + ")");
  ctx.report_removed("engine-docker: programs Docker never runs (ctr, v1 shims, docker-proxy)",
                     removed.files, removed.bytes);

  // dockerd's first exec reads nearly the whole engine (its Go packages' init work is
  // spread over all of it): from an image that decodes fast, Docker answers seconds sooner.
  // The multicall engine's other names go along (one file, hard links). runc too: dockerd
  // runs `runc features` before it sets up its storage (2.7 s from the xz image, 0.5 MB
  // more as zstd), and every container start runs it.
  std::string fast;
  for (const char* path :
       {"/usr/sbin/dockerd", "/usr/bin/containerd", "/usr/bin/containerd-shim-runc-v2",
        "/usr/bin/docker", "/usr/sbin/runc"}) {
    fast += std::string(path) + "\n";
  }
  sdk::append_fact(ctx, sdk::facts::kFastPaths, fast);
}

}  // namespace berth::engine_docker
