#include "busybox_build.hpp"

#include <sstream>
#include <vector>

#include "berth/sdk/build_chroot.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/file_lock.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "berth/sdk/source_apt.hpp"
#include "berth/sdk/source_tree.hpp"
#include "busybox_recipe.hpp"
#include "sha256.hpp"

namespace berth::init_busybox {

namespace {

namespace fs = std::filesystem;
using image_build::sha256_hex;
using sdk::detail::capture;
using sdk::detail::trim;

const std::string kProgram = std::string(kBuildDir) + "/busybox";

// Kconfig writes no timestamp into the generated files (debian/rules exports it too).
const std::vector<std::string> kMakeEnv = {"KCONFIG_NOTIMESTAMP=1"};

// A program's standard output, whatever its exit status (busybox --help exits 0 on some
// versions and 1 on others).
std::string output_of(sdk::BuildContext& ctx, const std::vector<std::string>& argv) {
  sdk::RunOptions options;
  options.capture = true;
  options.check = false;
  return ctx.run(argv, options).output;
}

std::string first_line(const std::string& text) {
  return trim(text.substr(0, text.find('\n'))).substr(0, 160);
}

// The links of kKernelHeaders, made in the chroot (absolute targets: resolved inside it).
void link_kernel_headers(const fs::path& chroot, const std::string& multiarch) {
  const fs::path dir = chroot / std::string(kKernelHeaders).substr(1);
  fs::create_directories(dir);
  for (const auto& link : kernel_header_links(multiarch)) {
    if (!fs::is_directory(chroot / link.target.substr(1))) {
      throw sdk::Error("the build chroot has no " + link.target + " (linux-libc-dev)");
    }
    fs::create_directory_symlink(link.target, dir / link.name);
  }
}

// Configure as debian/rules does for a flavour (the .config, `make silentoldconfig`, the
// result compared with what it must be), make, then strip as dh_strip does.
void compile(sdk::BuildContext& ctx, const fs::path& chroot, const std::string& initial,
             const std::string& expected, const std::vector<std::string>& flags,
             const std::string& source_version) {
  const fs::path build = chroot / std::string(kBuildDir).substr(1);
  fs::create_directories(build);
  sdk::detail::write_file(build / ".config", initial);
  // `yes ""` answers any question of an option the configuration does not know; the check
  // after it fails the build on such an option anyway.
  std::vector<std::string> oldconfig = {"sh", "-c", "yes '' | exec \"$@\"", "sh"};
  for (const auto& arg : make_args("silentoldconfig", flags, source_version)) {
    oldconfig.push_back(arg);
  }
  ctx.run(sdk::in_chroot(chroot, "/", kMakeEnv, oldconfig));
  if (sdk::read_text(build / ".config") != expected) {
    sdk::detail::write_file(build / "expected.config", expected);
    sdk::RunOptions options;
    options.check = false;
    ctx.run(
        {"diff", "-u", "--", (build / "expected.config").string(), (build / ".config").string()},
        options);
    throw sdk::Error(
        "busybox's configuration after `make silentoldconfig` is not Debian's static one with "
        "Berth's changes (the diff is above): the source's options changed");
  }
  ctx.run(
      sdk::niced(sdk::in_chroot(chroot, "/", kMakeEnv, make_args("all", flags, source_version))));
  ctx.run(sdk::strip_in_chroot(chroot, kProgram));
}

// Static, the source's version, Debian's applets, Debian's SHA-512 crypt (what `berth passwd`
// puts in /etc/shadow through mkpasswd).
void check_build(sdk::BuildContext& ctx, const fs::path& chroot, const BuiltBusybox& built,
                 const fs::path& debian_busybox) {
  // The chroot's readelf (buildd has binutils; the build host need not).
  const auto problems =
      static_problems(capture(ctx, sdk::in_chroot(chroot, "/", {}, {"readelf", "-lW", kProgram})),
                      capture(ctx, sdk::in_chroot(chroot, "/", {}, {"readelf", "-dW", kProgram})));
  if (!problems.empty()) {
    throw sdk::Error("the built busybox is not static: " + problems.front());
  }
  const std::string help = output_of(ctx, sdk::in_chroot(chroot, "/", {}, {kProgram, "--help"}));
  if (!reports_version(help, built.source.version)) {
    throw sdk::Error("the built busybox --help began '" + first_line(help) + "', not BusyBox v" +
                     sdk::upstream_version(built.source.version));
  }
  ctx.info("busybox --help: " + first_line(help));
  // Both are static programs of the target architecture: they run on the build host as
  // they are (init-busybox's applet links run the rootfs's the same way).
  const fs::path program = chroot / kProgram.substr(1);
  const auto differences = applet_differences(capture(ctx, {debian_busybox.string(), "--list"}),
                                              capture(ctx, {program.string(), "--list"}));
  if (!differences.empty()) {
    std::string text;
    for (const auto& difference : differences) text += (text.empty() ? "" : ", ") + difference;
    throw sdk::Error("the built busybox's applets differ from Debian's busybox-static: " + text);
  }
  const std::vector<std::string> crypt = {"mkpasswd", "-m", "sha512", "berth check",
                                          "0123456789abcdef"};
  auto debian_argv = crypt;
  debian_argv.insert(debian_argv.begin(), debian_busybox.string());
  auto built_argv = crypt;
  built_argv.insert(built_argv.begin(), program.string());
  const std::string debian_hash = trim(capture(ctx, debian_argv));
  const std::string built_hash = trim(capture(ctx, built_argv));
  if (debian_hash.rfind("$6$0123456789abcdef$", 0) != 0 || built_hash != debian_hash) {
    throw sdk::Error("the built busybox's mkpasswd -m sha512 gave '" + built_hash.substr(0, 120) +
                     "', Debian's '" + debian_hash.substr(0, 120) + "'");
  }
}

}  // namespace

fs::path debian_busybox(const fs::path& rootfs) {
  const fs::path program = sdk::place_in_root(rootfs, "/usr/bin/busybox");
  if (!fs::is_regular_file(program)) {
    throw sdk::Error(
        "no /usr/bin/busybox in the rootfs: add busybox-static to [bootstrap] packages (the "
        "musl build is checked against it and replaces it)");
  }
  return program;
}

BuiltBusybox build_busybox(sdk::BuildContext& ctx, const fs::path& debian_busybox) {
  const fs::path cache = ctx.cache_dir() / "init-busybox";
  const fs::path work = ctx.work_dir() / "busybox";
  fs::create_directories(cache);
  fs::create_directories(work);

  BuiltBusybox built;
  built.source = sdk::source_of_binary(ctx, kBinaryPackage);
  ctx.info("busybox from source: " + built.source.name + " " + built.source.version +
           ", Debian's static configuration, musl");
  sdk::SourceApt apt(ctx, cache / "apt");
  const fs::path debian = work / "debian-only";
  const auto layout = sdk::unpack_debian(ctx, apt, built.source, debian);
  const auto packages = chroot_packages(sdk::read_text(debian / "debian" / "control"));
  const std::string flavour = sdk::read_text(debian / kFlavourConfig);
  const std::string initial = initial_config(sdk::read_text(debian / kOsConfig), flavour);
  const std::string expected = expected_config(flavour);
  fs::remove_all(debian);

  // One build at a time per cache: builds share the chroot's /build.
  const sdk::ExclusiveLock lock(cache / "lock");
  const auto recipe = sdk::chroot_recipe(ctx.debian(), packages);
  const fs::path chroot = sdk::build_chroot(
      ctx, recipe, cache / ("chroot-" + sha256_hex(sdk::chroot_key_text(recipe)).substr(0, 16)));

  BuildKeyParts parts;
  parts.source = built.source;
  parts.multiarch = sdk::chroot_multiarch(ctx, chroot);
  parts.config = expected;
  parts.flags = musl_flags(sdk::debian_buildflags(ctx, chroot, buildflags_env()));
  parts.chroot_packages = sdk::chroot_installed(chroot);
  const std::string key_texts = key_text(parts);
  const std::string key = sha256_hex(key_texts).substr(0, 16);
  built.root = cache / ("busybox-" + key);
  if (fs::is_regular_file(built.root / "key.txt")) {
    ctx.info("busybox " + key + " (cached)");
    return built;
  }
  ctx.info("building busybox " + key + " against musl");
  fs::remove_all(chroot / "build");
  sdk::unpack_source(ctx, apt, layout, chroot / std::string(kSourceDir).substr(1));
  link_kernel_headers(chroot, parts.multiarch);
  compile(ctx, chroot, initial, expected, parts.flags, built.source.version);
  check_build(ctx, chroot, built, debian_busybox);
  sdk::store_programs({{chroot / kProgram.substr(1), "usr/bin/busybox"}}, built.root, key_texts);
  fs::remove_all(chroot / "build");
  return built;
}

void install_built_busybox(sdk::BuildContext& ctx, const BuiltBusybox& built) {
  const fs::path program = built.root / "usr/bin/busybox";
  sdk::replace_in_root(ctx.rootfs(), "/usr/bin/busybox", program);
  fs::permissions(sdk::place_in_root(ctx.rootfs(), "/usr/bin/busybox"), fs::perms(0755));
  const fs::path list = ctx.work_dir() / "file-owners.txt";
  sdk::detail::write_file(list, std::string("usr/bin/busybox\t") + kBuiltOwner + "\n");
  sdk::append_fact(ctx, sdk::facts::kFileOwners, list.string());
  const auto bytes = fs::file_size(program);
  ctx.report_size("init-busybox: busybox (musl)", bytes);
  ctx.info("busybox " + built.source.version + " against musl: " + std::to_string(bytes) +
           " bytes");
}

}  // namespace berth::init_busybox
