#include "engine_build.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "berth/sdk/build_chroot.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/file_lock.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/root_paths.hpp"
#include "berth/sdk/sizes.hpp"
#include "berth/sdk/source_apt.hpp"
#include "berth/sdk/source_tree.hpp"
#include "engine_recipe.hpp"
#include "gopath_layout.hpp"
#include "multicall.hpp"
#include "sha256.hpp"

namespace berth::engine_docker {

namespace {

using image_build::sha256_file_hex;
using image_build::sha256_hex;
using sdk::read_text;

constexpr const char* kEngineFile = "berth-engine";

// The SDK's source-build helpers, as crypt-luks uses them.
using sdk::detail::capture;
using sdk::detail::trim;
using sdk::detail::write_file;

// The whole tree of docker.io or containerd, Debian's patches applied; then, as docker.io's
// `debian/rules clean`, what its copyright excludes goes, under each top directory
// (engine/, cli/, buildkit/).
void unpack_docker_source(sdk::BuildContext& ctx, sdk::SourceApt& apt,
                          const sdk::SourceLayout& layout, const fs::path& tree) {
  sdk::unpack_source(ctx, apt, layout, tree);
  const fs::path copyright = tree / "debian" / "copyright";
  const auto excluded = fs::exists(copyright) ? sdk::files_excluded(read_text(copyright))
                                              : std::vector<std::string>{};
  for (const auto& top : fs::directory_iterator(tree)) {
    if (!top.is_directory() || top.path().filename() == "debian") continue;
    for (const auto& item : excluded) fs::remove_all(top.path() / item);
  }
}

// "<project>/<name> <sha256>": a patch as the cache key names it (never by its path on
// this machine, so a clone elsewhere finds the same engine).
std::string patch_key(const fs::path& patch) {
  return patch.parent_path().filename().string() + "/" + patch.filename().string() + " " +
         sha256_file_hex(patch);
}

// "26.1.5: 411e817" lines of debian/helpers/<component>-gitcommits.
std::string git_commit(const fs::path& tree, const std::string& component,
                       const std::string& version) {
  std::string upstream = sdk::upstream_version(version);
  upstream = upstream.substr(0, upstream.find_first_of("+~"));
  std::istringstream lines(read_text(tree / "debian" / "helpers" / (component + "-gitcommits")));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(upstream + ": ", 0) == 0) return trim(line.substr(upstream.size() + 2));
  }
  throw sdk::Error("debian/helpers/" + component + "-gitcommits has no " + upstream);
}

// The build chroot for these Build-Depends, from the cache or made now (named by its
// command line, so the same Build-Depends find the same chroot).
fs::path build_chroot(sdk::BuildContext& ctx, const fs::path& cache,
                      const std::vector<std::string>& packages) {
  const auto recipe = sdk::chroot_recipe(ctx.debian(), packages);
  return sdk::build_chroot(
      ctx, recipe, cache / ("chroot-" + sha256_hex(sdk::chroot_key_text(recipe)).substr(0, 16)));
}

// The files of the engine's own main package (files/go: the dispatch on argv[0] and the
// programs of Berth's own), in name order so that the cache key does not depend on the
// order a directory lists them in.
std::vector<fs::path> go_sources(const fs::path& dir) {
  std::vector<fs::path> sources;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".go") {
      sources.push_back(entry.path());
    }
  }
  if (sources.empty()) throw sdk::Error("no .go files in " + dir.string());
  std::sort(sources.begin(), sources.end());
  return sources;
}

// Debian's GOPATH: the projects this build compiles, patched; every other library
// comes from the chroot's /usr/share/gocode (GOPATH's second entry). One copy of each
// package (gopath_layout.hpp).
void lay_gopath(sdk::BuildContext& ctx, const fs::path& chroot, const fs::path& docker,
                const fs::path& containerd, const std::vector<fs::path>& main_sources,
                const std::vector<fs::path>& gocode_patches) {
  const fs::path gopath = chroot / "build" / "gopath";
  fs::remove_all(gopath);
  const fs::path src = gopath / "src";
  const auto copy = [](const fs::path& from, const fs::path& to) {
    fs::create_directories(to.parent_path());
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  };
  copy(docker / "engine", src / "github.com" / "docker" / "docker");
  copy(docker / "cli", src / "github.com" / "docker" / "cli");
  copy(docker / "buildkit", src / "github.com" / "moby" / "buildkit");
  copy(containerd, src / "github.com" / "containerd" / "containerd");
  hoist_vendor(src / "github.com" / "docker" / "docker" / "vendor", src);
  const std::vector<fs::path> roots = {src, chroot / "usr" / "share" / "gocode" / "src"};
  std::size_t dropped = 0;
  // containerd's vendor/ (imgcrypt) stays: Debian keeps it on purpose, and nothing else
  // links that package.
  for (const auto& vendor : {src / "github.com" / "docker" / "cli" / "vendor",
                             src / "github.com" / "moby" / "buildkit" / "vendor"}) {
    dropped += drop_shadowed_packages(vendor, roots);
  }
  ctx.debug("GOPATH: engine/vendor hoisted, " + std::to_string(dropped) +
            " second copies dropped from the other vendor trees");
  // Berth's patches to Debian's Go libraries (files/patches/gocode): each project a patch
  // touches is copied whole from /usr/share/gocode into the GOPATH's first root and
  // patched there.
  for (const auto& patch : gocode_patches) {
    for (const auto& project : patched_projects(read_text(patch))) {
      overlay_project(roots.back(), src, project);
    }
    sdk::apply_patch(ctx, src, patch);
  }
  // GOPATH mode reads an import of x/v2/y as x/y only for code with a go.mod in or above
  // its directory; the hoisted packages lost the engine's (Debian adds one by patch).
  write_file(src / "go.mod", "module berth.invalid/gopath\n");
  for (const auto& main : main_packages()) {
    const fs::path dir = src / main.import_path;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".go") continue;
      const std::string library = as_library(read_text(entry.path()), main.package);
      write_file(entry.path(), library);
    }
  }
  const fs::path main_dir = src / kMulticallPackage;
  fs::create_directories(main_dir);
  for (const auto& source : main_sources) fs::copy_file(source, main_dir / source.filename());
}

// Each name the binary answers to, run in the chroot: the build fails on one that
// does not answer with its version.
void check_names(sdk::BuildContext& ctx, const fs::path& chroot, const fs::path& engine) {
  const fs::path names = chroot / "build" / "names";
  fs::remove_all(names);
  fs::create_directories(names);
  for (const auto& name : multicall_names(true)) {
    fs::create_hard_link(engine, names / name.name);
    const std::string output =
        capture(ctx, {"chroot", chroot.string(), "/build/names/" + name.name, name.version_flag});
    if (output.find(name.answer) == std::string::npos) {
      throw sdk::Error("the multicall engine as " + name.name + " " + name.version_flag +
                       " answered '" + trim(output).substr(0, 200) + "'");
    }
    ctx.info(name.name + " " + name.version_flag + ": " + trim(output).substr(0, 120));
  }
  fs::remove_all(names);
}

}  // namespace

// contents.txt names the engine's files "berth-engine", not the package whose binary the
// engine replaced at the first of its paths (containerd's, in name order).
void record_owners(sdk::BuildContext& ctx, const std::vector<MulticallName>& names) {
  const fs::path owners = ctx.work_dir() / "engine" / "file-owners.txt";
  std::ostringstream text;
  for (const auto& name : names) text << name.path.substr(1) << '\t' << kEngineFile << '\n';
  fs::create_directories(owners.parent_path());
  write_file(owners, text.str());
  sdk::append_fact(ctx, sdk::facts::kFileOwners, owners.string());
}

void install_multicall_engine(sdk::BuildContext& ctx, const Settings& settings) {
  const fs::path cache = ctx.cache_dir() / "engine-docker";
  const fs::path work = ctx.work_dir() / "engine";
  fs::create_directories(cache);
  fs::create_directories(work);

  EngineVersions versions;
  versions.docker = sdk::source_of_binary(ctx, "docker.io");
  versions.containerd = sdk::source_of_binary(ctx, "containerd");
  ctx.info("engine from source: " + versions.docker.name + " " + versions.docker.version + ", " +
           versions.containerd.name + " " + versions.containerd.version);

  sdk::SourceApt apt(ctx, cache / "apt");
  const fs::path docker = work / (versions.docker.name + "-" + versions.docker.version);
  const fs::path containerd = work / (versions.containerd.name + "-" + versions.containerd.version);
  const auto docker_layout = sdk::unpack_debian(ctx, apt, versions.docker, docker);
  const auto containerd_layout = sdk::unpack_debian(ctx, apt, versions.containerd, containerd);
  versions.engine_commit = git_commit(docker, "engine", versions.docker.version);
  versions.cli_commit = git_commit(docker, "cli", versions.docker.version);
  const std::string epoch =
      trim(capture(ctx, {"dpkg-parsechangelog", "-l", (docker / "debian" / "changelog").string(),
                         "-STimestamp"}));
  versions.build_time =
      trim(capture(ctx, {"date", "-u", "-d", "@" + epoch, "+%Y-%m-%dT%H:%M:%SZ"}));

  std::set<std::string> depends;
  for (const auto& tree : {docker, containerd}) {
    for (const auto& package : go_build_depends(read_text(tree / "debian" / "control"))) {
      depends.insert(package);
    }
  }
  // One build at a time per cache: builds share the chroot's /build.
  const sdk::ExclusiveLock lock(cache / "lock");
  const fs::path chroot =
      build_chroot(ctx, cache, std::vector<std::string>(depends.begin(), depends.end()));

  EngineKeyParts parts;
  parts.versions = versions;
  parts.pie = settings.pie;
  const auto docker_patches = sdk::patches_in(ctx.data_dir() / "patches" / "docker");
  const auto containerd_patches = sdk::patches_in(ctx.data_dir() / "patches" / "containerd");
  const auto gocode_patches = sdk::patches_in(ctx.data_dir() / "patches" / "gocode");
  for (const auto& patch : docker_patches) parts.patches.push_back(patch_key(patch));
  for (const auto& patch : containerd_patches) parts.patches.push_back(patch_key(patch));
  for (const auto& patch : gocode_patches) parts.patches.push_back(patch_key(patch));
  const auto main_sources = go_sources(ctx.data_dir() / "go");
  for (const auto& source : main_sources) {
    parts.main_sources.push_back(source.filename().string() + " " + sha256_file_hex(source));
  }
  parts.chroot_packages = sdk::chroot_installed(chroot);
  const auto env = go_env("/build/gopath:/usr/share/gocode", "/build/gocache");
  std::vector<std::string> go_version = {"chroot", chroot.string(), "env", "-i"};
  go_version.insert(go_version.end(), env.begin(), env.end());
  go_version.insert(go_version.end(), {"go", "version"});
  parts.toolchain = trim(capture(ctx, go_version));

  const std::string key = sha256_hex(engine_key_text(parts));
  const fs::path result = cache / ("engine-" + key.substr(0, 16)) / kEngineFile;
  if (fs::is_regular_file(result)) {
    ctx.info("multicall engine " + key.substr(0, 16) + " (cached)");
  } else {
    ctx.info("unpacking " + versions.docker.name + " and " + versions.containerd.name +
             " with Debian's and Berth's patches");
    unpack_docker_source(ctx, apt, docker_layout, docker);
    unpack_docker_source(ctx, apt, containerd_layout, containerd);
    for (const auto& patch : docker_patches) sdk::apply_patch(ctx, docker, patch);
    for (const auto& patch : containerd_patches) sdk::apply_patch(ctx, containerd, patch);
    ctx.info("building the multicall engine " + key.substr(0, 16) + " (" + parts.toolchain +
             ", one core)");
    lay_gopath(ctx, chroot, docker, containerd, main_sources, gocode_patches);
    fs::create_directories(chroot / "build" / "out");
    std::vector<std::string> build = {"nice", "-n", "19", "chroot", chroot.string(), "env", "-i"};
    build.insert(build.end(), env.begin(), env.end());
    const auto go = go_build_argv(std::string("/build/out/") + kEngineFile, versions, settings.pie);
    build.insert(build.end(), go.begin(), go.end());
    ctx.run(build);
    const fs::path built = chroot / "build" / "out" / kEngineFile;
    check_names(ctx, chroot, built);
    fs::create_directories(result.parent_path());
    const fs::path partial = result.string() + ".partial";
    fs::copy_file(built, partial, fs::copy_options::overwrite_existing);
    write_file(result.parent_path() / "key.txt", engine_key_text(parts));
    fs::rename(partial, result);
  }
  fs::remove_all(docker);
  fs::remove_all(containerd);

  // One file in the rootfs, a hard link per name: the shim re-executes os.Executable(),
  // which would resolve a symbolic link to the file's own name.
  const fs::path root = ctx.rootfs();
  const auto names = multicall_names(settings.userland_proxy);
  const fs::path first = sdk::place_in_root(root, names.front().path, sdk::LastLink::keep);
  fs::remove(first);
  fs::copy_file(result, first);
  fs::permissions(first, fs::perms(0755));
  for (auto it = names.begin() + 1; it != names.end(); ++it) {
    const fs::path link = sdk::place_in_root(root, it->path, sdk::LastLink::keep);
    fs::remove(link);
    fs::create_directories(link.parent_path());
    fs::create_hard_link(first, link);
  }
  record_owners(ctx, names);
  ctx.report_size("engine-docker: multicall engine", fs::file_size(first));
  ctx.info("multicall engine: " + std::to_string(names.size()) + " names, " +
           sdk::mebibytes(fs::file_size(first)));
}

}  // namespace berth::engine_docker
