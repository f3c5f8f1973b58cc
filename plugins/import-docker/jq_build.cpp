#include "jq_build.hpp"

#include <string>
#include <vector>

#include "berth/sdk/build_chroot.hpp"
#include "berth/sdk/error.hpp"
#include "berth/sdk/file_lock.hpp"
#include "berth/sdk/files.hpp"
#include "berth/sdk/source_apt.hpp"
#include "berth/sdk/source_tree.hpp"
#include "jq_recipe.hpp"
#include "sha256.hpp"

namespace berth::import_docker {

namespace {

namespace fs = std::filesystem;
using image_build::sha256_hex;
using sdk::in_chroot;
using sdk::niced;
using sdk::detail::capture;
using sdk::detail::trim;

constexpr const char* kProgram = "/build/dest/usr/bin/jq";

// A command's standard output and exit status, whatever the status (the regex check
// expects a failure).
sdk::RunResult run_unchecked(sdk::BuildContext& ctx, const std::vector<std::string>& argv) {
  sdk::RunOptions options;
  options.capture = true;
  options.check = false;
  return ctx.run(argv, options);
}

// The checks, in the chroot, of what `make install` put in /build/dest: the version, the
// libraries, a regex filter refused with jq's message, and the importer's labels.jq at work.
void check_build(sdk::BuildContext& ctx, const fs::path& chroot, const BuiltJq& built) {
  const std::string version = capture(ctx, in_chroot(chroot, "/", {}, {kProgram, "--version"}));
  if (!jq_reports_version(version, built.source.version)) {
    throw sdk::Error("the built jq --version answered '" + trim(version).substr(0, 200) +
                     "', not jq-" + sdk::upstream_version(built.source.version));
  }
  ctx.info("jq --version: " + trim(version));
  // The chroot's readelf (buildd has binutils; the build host need not).
  const std::string dynamic = capture(ctx, in_chroot(chroot, "/", {}, {"readelf", "-d", kProgram}));
  const auto unwanted = jq_unwanted_libraries(dynamic);
  if (!unwanted.empty()) throw sdk::Error("the built jq links " + unwanted.front());

  // jq's own answer to a regex filter; its error goes to standard error, so through sh.
  const auto regex = run_unchecked(
      ctx, in_chroot(chroot, "/", {},
                     {"sh", "-c", std::string(kProgram) + " -n '\"berth\" | test(\"b\")' 2>&1"}));
  if (regex.exit_code == 0 || regex.output.find(kNoRegexMessage) == std::string::npos) {
    throw sdk::Error("the built jq did not refuse a regex filter (test): '" +
                     trim(regex.output).substr(0, 200) + "'");
  }

  const fs::path check = chroot / "build" / "check";
  fs::create_directories(check);
  fs::copy_file(ctx.data_dir() / "rootfs/usr/lib/berth/labels.jq", check / "labels.jq",
                fs::copy_options::overwrite_existing);
  sdk::detail::write_file(check / "labels.json", kSampleLabels);
  const std::string labels = capture(
      ctx, in_chroot(chroot, "/", {},
                     {kProgram, "-r", "-f", "/build/check/labels.jq", "/build/check/labels.json"}));
  if (labels != kSampleLabelsOutput) {
    throw sdk::Error("the built jq read sample labels with labels.jq as '" + labels.substr(0, 300) +
                     "', not '" + kSampleLabelsOutput + "'");
  }
  ctx.info("jq: a regex filter is refused ('" + std::string(kNoRegexMessage) +
           "'), labels.jq reads sample labels");
}

// The version script, autoreconf, configure, make, make install and strip (as dh_strip:
// no .comment or .note sections), in the chroot's /build.
void compile(sdk::BuildContext& ctx, const fs::path& chroot, const BuiltJq& built,
             const std::vector<std::string>& flags) {
  const fs::path version = chroot / "build/src/scripts/version";
  sdk::detail::write_file(version, jq_version_script(built.source.version));
  fs::permissions(version, fs::perms(0755));
  ctx.run(niced(in_chroot(chroot, "/build/src", {}, {"autoreconf", "--force", "--install"})));
  std::vector<std::string> configure = {"./configure"};
  for (const auto& arg : jq_configure_args()) configure.push_back(arg);
  ctx.run(niced(in_chroot(chroot, "/build/src", flags, configure)));
  // The static library and the program (`make jq` alone would miss the generated sources
  // make's all target makes first); --disable-docs leaves the manual as shipped.
  ctx.run(niced(in_chroot(chroot, "/build/src", {}, {"make", "-j2"})));
  ctx.run(
      in_chroot(chroot, "/build/src", {}, {"make", "install-binPROGRAMS", "DESTDIR=/build/dest"}));
  ctx.run(sdk::strip_in_chroot(chroot, kProgram));
}

}  // namespace

BuiltJq build_jq(sdk::BuildContext& ctx) {
  const fs::path cache = ctx.cache_dir() / "import-docker";
  const fs::path work = ctx.work_dir() / "jq";
  fs::create_directories(cache);
  fs::create_directories(work);

  BuiltJq built;
  built.source = sdk::source_of_binary(ctx, kJqPackage);
  ctx.info("jq from source: " + built.source.name + " " + built.source.version +
           ", without regular expressions");
  sdk::SourceApt apt(ctx, cache / "apt");
  const fs::path debian = work / "debian-only";
  const auto layout = sdk::unpack_debian(ctx, apt, built.source, debian);
  const auto packages = jq_chroot_packages(sdk::read_text(debian / "debian" / "control"));
  fs::remove_all(debian);

  // One build at a time per cache: builds share the chroot's /build.
  const sdk::ExclusiveLock lock(cache / "lock");
  const auto recipe = sdk::chroot_recipe(ctx.debian(), packages);
  const fs::path chroot = sdk::build_chroot(
      ctx, recipe, cache / ("chroot-" + sha256_hex(sdk::chroot_key_text(recipe)).substr(0, 16)));

  JqKeyParts parts;
  parts.source = built.source;
  parts.flags = sdk::debian_buildflags(ctx, chroot, jq_buildflags_env());
  parts.chroot_packages = sdk::chroot_installed(chroot);
  const std::string key_text = jq_key_text(parts);
  const std::string key = sha256_hex(key_text).substr(0, 16);
  built.root = cache / ("jq-" + key);
  if (fs::is_regular_file(built.root / "key.txt")) {
    ctx.info("jq " + key + " (cached)");
    return built;
  }
  ctx.info("building jq " + key + " without regular expressions");
  fs::remove_all(chroot / "build");
  sdk::unpack_source(ctx, apt, layout, chroot / "build" / "src");
  compile(ctx, chroot, built, parts.flags);
  check_build(ctx, chroot, built);
  sdk::store_programs({{chroot / "build/dest/usr/bin/jq", "usr/bin/jq"}}, built.root, key_text);
  fs::remove_all(chroot / "build");
  return built;
}

}  // namespace berth::import_docker
