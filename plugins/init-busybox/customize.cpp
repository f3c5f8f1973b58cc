#include "customize.hpp"

#include <unistd.h>

#include "accounts.hpp"
#include "applet_links.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "init_files.hpp"

namespace berth::init_busybox {

namespace {

namespace fs = std::filesystem;
using sdk::exists_in_root;
using sdk::file_in_root;
using sdk::LastLink;
using sdk::place_in_root;
using sdk::read_text;
using sdk::write_in_root;

constexpr fs::perms kPublic = fs::perms(0644);
constexpr fs::perms kSecret = fs::perms(0640);  // root:shadow, as Debian's shadow files

// A file on the target as an account database: the existing one, else `fallback`.
AccountFile load_accounts(const fs::path& root, const std::string& path, std::size_t fields,
                          const std::string& fallback) {
  if (const auto file = file_in_root(root, path)) {
    return AccountFile::parse(read_text(*file), path, fields);
  }
  return AccountFile::parse(fallback, path, fields);
}

// base-passwd's postinst copies its masters when /etc/passwd or /etc/group is missing.
std::string master_or(sdk::BuildContext& ctx, const std::string& master,
                      const std::string& fallback) {
  if (const auto file = file_in_root(ctx.rootfs(), "/usr/share/base-passwd/" + master)) {
    return read_text(*file);
  }
  ctx.warn("no /usr/share/base-passwd/" + master +
           " in the rootfs (base-passwd not installed?); writing minimal accounts");
  return fallback;
}

void give_to_shadow_group(const fs::path& file, const AccountFile& group) {
  if (geteuid() != 0) return;  // a non-root build cannot chown; the image gets root:root
  gid_t gid = 0;
  if (const auto* shadow = group.find("shadow"))
    gid = static_cast<gid_t>(std::stoul(shadow->at(2)));
  if (::chown(file.c_str(), 0, gid) != 0) throw sdk::Error(file.string() + ": cannot chown");
}

// Where the busybox binary is on the target, as the target sees it.
std::string find_busybox(const fs::path& root) {
  for (const char* candidate : {"/usr/bin/busybox", "/bin/busybox"}) {
    if (file_in_root(root, candidate)) return candidate;
  }
  throw sdk::Error("no /usr/bin/busybox in the rootfs: add busybox-static to [bootstrap] packages");
}

}  // namespace

void install_accounts(sdk::BuildContext& ctx, const Settings& settings) {
  const fs::path& root = ctx.rootfs();
  auto passwd = load_accounts(root, "/etc/passwd", kPasswdFields,
                              master_or(ctx, "passwd.master", fallback_passwd()));
  auto group = load_accounts(root, "/etc/group", kGroupFields,
                             master_or(ctx, "group.master", fallback_group()));

  auto* root_user = passwd.find("root");
  if (!root_user) throw sdk::Error("/etc/passwd: no root account");
  // The masters give root /bin/bash, which a Berth image does not carry.
  if (!exists_in_root(root, root_user->at(6))) root_user->at(6) = "/bin/sh";
  const fs::path home = place_in_root(root, "/root");
  fs::create_directories(home);
  fs::permissions(home, fs::perms(0700));

  // openntpd (used by rc.d/55-time when installed) drops privileges to "ntpd"; its
  // postinst would have created the user.
  if (exists_in_root(root, "/usr/sbin/openntpd") && !passwd.find("ntpd")) {
    add_system_user(passwd, group, "ntpd", "/var/run/openntpd");
  }

  auto shadow = load_accounts(root, "/etc/shadow", kShadowFields, "");
  complete_shadow(shadow, passwd, settings.root_password_hash, ctx.source_date_epoch() / 86400);
  auto gshadow = load_accounts(root, "/etc/gshadow", kGshadowFields, "");
  complete_gshadow(gshadow, group);
  point_to_shadow(passwd);

  write_in_root(root, "/etc/passwd", passwd.text(), kPublic);
  write_in_root(root, "/etc/group", group.text(), kPublic);
  write_in_root(root, "/etc/shadow", shadow.text(), kSecret);
  write_in_root(root, "/etc/gshadow", gshadow.text(), kSecret);
  give_to_shadow_group(place_in_root(root, "/etc/shadow"), group);
  give_to_shadow_group(place_in_root(root, "/etc/gshadow"), group);
  ctx.info(std::to_string(passwd.entries().size()) + " users, " +
           std::to_string(group.entries().size()) + " groups");
}

void install_base_files(sdk::BuildContext& ctx) {
  const fs::path& root = ctx.rootfs();
  // base-files' postinst: install_from_default, only where nothing is yet. Not
  // /etc/profile: its run-parts --regex needs debianutils; files/rootfs has ours.
  const auto dot_profile = file_in_root(root, "/usr/share/base-files/dot.profile");
  if (!exists_in_root(root, "/root/.profile") && dot_profile) {
    write_in_root(root, "/root/.profile", read_text(*dot_profile), kPublic);
  }
  for (const char* dir : {"/mnt", "/media", "/opt", "/srv", "/etc/opt", "/var/opt"}) {
    fs::create_directories(place_in_root(root, dir));
  }
  // util-linux's postinst link; mount and df read it on older tools.
  if (!exists_in_root(root, "/etc/mtab")) {
    fs::create_symlink("../proc/self/mounts", place_in_root(root, "/etc/mtab", LastLink::keep));
  }
  // /var/run and /var/lock live in the /run tmpfs (base-files' migrate_directory).
  for (const auto& [dir, target] : {std::pair{"/var/run", "/run"}, {"/var/lock", "/run/lock"}}) {
    const fs::path host = place_in_root(root, dir, LastLink::keep);
    if (fs::is_symlink(fs::symlink_status(host))) continue;
    if (fs::is_directory(host) && !fs::is_empty(host)) {
      throw sdk::Error(std::string(dir) +
                       " in the rootfs is a non-empty directory; expected a "
                       "link to " +
                       target);
    }
    fs::remove(host);
    fs::create_directories(host.parent_path());
    fs::create_symlink(target, host);
  }
}

void install_system_files(sdk::BuildContext& ctx, const Settings& settings) {
  const fs::path& root = ctx.rootfs();
  write_in_root(root, "/etc/hostname", settings.hostname + "\n");
  write_in_root(root, "/etc/hosts", hosts_text(settings.hostname));
  write_in_root(root, "/etc/inittab", inittab_text(settings));
  write_in_root(root, "/etc/berth/version", ctx.berth_version() + "\n");
  write_in_root(root, "/etc/berth/ntp-servers", ntp_servers_text(settings.ntp_servers));
  // The bootstrap may have copied the build host's resolver here; udhcpc writes the real
  // one at boot.
  write_in_root(root, "/etc/resolv.conf", "# written by udhcpc (/etc/berth/udhcpc.script)\n");
}

void install_applet_links(sdk::BuildContext& ctx) {
  const fs::path& root = ctx.rootfs();
  const std::string busybox = find_busybox(root);
  sdk::RunOptions options;
  options.capture = true;
  // Static binary of the target architecture: runs on an amd64 build host as it is.
  const auto listing = ctx.run({place_in_root(root, busybox).string(), "--list-full"}, options);
  const auto applets = parse_applet_list(listing.output);
  if (applets.empty()) throw sdk::Error(busybox + " --list-full printed no applets");

  const auto provided = [&](const std::string& name) {
    for (const auto& dir : command_dirs()) {
      if (exists_in_root(root, fs::path(dir) / name)) return true;
    }
    return false;
  };
  const auto links = plan_applet_links(applets, provided);
  for (const auto& applet : links) {
    const fs::path link = place_in_root(root, applet, LastLink::keep);
    fs::create_directories(link.parent_path());
    fs::create_symlink(busybox, link);
  }
  ctx.info("linked " + std::to_string(links.size()) + " of " + std::to_string(applets.size()) +
           " busybox applets; the other names were taken already");
}

}  // namespace berth::init_busybox
