#include "bootstrap.hpp"

#include <unistd.h>

#include <algorithm>
#include <optional>

#include "apt_preferences.hpp"
#include "berth/sdk/sizes.hpp"
#include "deb_file.hpp"
#include "fs_util.hpp"
#include "inputs.hpp"
#include "package_cache.hpp"
#include "package_list.hpp"
#include "reuse_stamp.hpp"
#include "rootfs_layout.hpp"
#include "trust_store.hpp"

namespace berth::bootstrap {
namespace {

void check_request(const Tool& tool, const sdk::DebianSources& debian) {
  if (::geteuid() != 0) {
    throw sdk::Error(tool.name() + " must run as root: the rootfs keeps the packages' file owners");
  }
  if (debian.sources.empty()) throw sdk::Error("[debian] has no sources");
  if (debian.architecture.empty()) throw sdk::Error("[debian] architecture is empty");
  if (!fs::is_regular_file(debian.keyring)) {
    throw sdk::Error("keyring " + debian.keyring.string() + " not found ([debian] keyring)");
  }
}

std::string stamp_request(const Tool& tool, const fs::path& rootfs, const std::string& inputs) {
  // "finish": what finish_rootfs and make_trust_store add; a new one makes the rootfs again.
  return "tool " + tool.name() + "\nrootfs " + rootfs.string() + "\nfinish 2 (trust store)\n" +
         inputs;
}

// The stamp's packages when the rootfs is exactly as the last bootstrap left it.
std::optional<std::vector<sdk::FetchedPackage>> reusable(const fs::path& stamp_file,
                                                         const std::string& request,
                                                         const fs::path& rootfs) {
  if (!fs::is_regular_file(stamp_file)) return std::nullopt;
  const auto stamp = parse_stamp(read_file(stamp_file));
  if (!stamp || stamp->request != request) return std::nullopt;
  for (const auto& package : stamp->packages) {
    if (!fs::is_regular_file(package.deb)) return std::nullopt;  // cache cleaned meanwhile
  }
  if (tree_fingerprint(rootfs) != stamp->fingerprint) return std::nullopt;
  return stamp->packages;
}

// Written with the rootfs and kept with it: a reused rootfs reuses the file too.
const char* const kFileOwners = "file-owners.txt";

void publish_packages(sdk::BuildContext& ctx, const std::vector<sdk::FetchedPackage>& packages) {
  ctx.record_packages(packages);
  write_file_atomic(ctx.work_dir() / "packages.txt", packages_txt(packages));
  // For fs-squashfs's contents report: which package each file of the image came from.
  if (fs::is_regular_file(ctx.work_dir() / kFileOwners)) {
    ctx.publish(sdk::facts::kFileOwners, (ctx.work_dir() / kFileOwners).string());
  }
}

std::vector<fs::path> extract_with_seed(sdk::BuildContext& ctx, Tool& tool, ToolRun& run,
                                        const PackageCache& cache, const std::string& seed_key) {
  const fs::path archives = apt_archives(run.rootfs);
  run.seeded = cache.seed(cache.remembered(seed_key), archives);
  if (!run.seeded.empty()) {
    ctx.info(std::to_string(run.seeded.size()) + " packages linked from the download cache");
  }
  try {
    return tool.extract(ctx, run);
  } catch (const SeedMismatch& mismatch) {
    if (run.seeded.empty()) throw;
    ctx.warn(std::string(mismatch.what()) + "; extracting again with apt's selection only");
    for (const auto& deb : deb_files(archives)) cache.keep(deb);  // keep what was downloaded
    clear_directory(run.rootfs);
    run.seeded = cache.seed(mismatch.wanted(), archives);
    return tool.extract(ctx, run);  // a second mismatch is an error
  }
}

// What each .deb holds: from the cache when known, else read (in parallel) and cached.
std::vector<DebContents> contents_of(const std::vector<fs::path>& debs, const PackageCache& cache) {
  std::vector<DebContents> contents(debs.size());
  std::vector<fs::path> unread;
  std::vector<std::size_t> unread_index;
  for (std::size_t i = 0; i < debs.size(); ++i) {
    if (auto known = cache.contents(debs[i].filename().string())) {
      contents[i] = std::move(*known);
    } else {
      unread.push_back(debs[i]);
      unread_index.push_back(i);
    }
  }
  auto read = read_debs(unread);
  for (std::size_t j = 0; j < read.size(); ++j) {
    cache.remember_contents(unread[j].filename().string(), read[j]);
    contents[unread_index[j]] = std::move(read[j]);
  }
  return contents;
}

}  // namespace

fs::path apt_archives(const fs::path& rootfs) {
  return rootfs / "var" / "cache" / "apt" / "archives";
}

std::vector<fs::path> deb_files(const fs::path& dir) {
  std::vector<fs::path> debs;
  if (!fs::is_directory(dir)) return debs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".deb" && fs::is_regular_file(entry.symlink_status())) {
      debs.push_back(entry.path());
    }
  }
  std::sort(debs.begin(), debs.end());
  return debs;
}

void run_bootstrap(sdk::BuildContext& ctx, Tool& tool) {
  ToolRun run;
  run.rootfs = ctx.rootfs();
  run.work_dir = ctx.work_dir();
  run.packages = read_package_list(ctx.config());
  run.debian = ctx.debian();
  check_request(tool, run.debian);
  tool.require_available();

  const std::string inputs = describe_inputs(run.packages, run.debian);
  const std::string request = stamp_request(tool, run.rootfs, inputs);
  const fs::path stamp_file = run.work_dir / "bootstrap.stamp";
  if (const auto packages = reusable(stamp_file, request, run.rootfs)) {
    ctx.info("rootfs unchanged since the last bootstrap with the same inputs; reusing it (" +
             std::to_string(packages->size()) + " packages)");
    publish_packages(ctx, *packages);
    return;
  }
  fs::remove(stamp_file);  // from here on the rootfs is in flux
  fs::remove(run.work_dir / kFileOwners);

  ctx.info("bootstrapping " + std::to_string(run.packages.size()) + " packages and their " +
           "dependencies with " + tool.name() + " into " + run.rootfs.string());
  clear_directory(run.rootfs);
  run.preferences = run.work_dir / "apt-preferences";
  write_file_atomic(run.preferences, render_apt_preferences(run.debian.pins));

  const PackageCache cache(ctx.cache_dir() / "bootstrap");
  const std::string seed_key = digest_hex(inputs);
  const auto debs = extract_with_seed(ctx, tool, run, cache, seed_key);
  if (debs.empty()) throw sdk::Error(tool.name() + " extracted no packages");

  const auto contents = contents_of(debs, cache);
  std::vector<sdk::FetchedPackage> packages;
  std::vector<std::string> file_names;
  for (std::size_t i = 0; i < debs.size(); ++i) {
    packages.push_back({contents[i].package, contents[i].version, cache.keep(debs[i])});
    file_names.push_back(debs[i].filename().string());
  }
  std::sort(file_names.begin(), file_names.end());
  cache.remember(seed_key, file_names);

  finish_rootfs(run.rootfs, packaged_paths(contents));
  if (const auto certificates = make_trust_store(run.rootfs); certificates > 0) {
    ctx.info("trust store: " + std::to_string(certificates) +
             " CA certificates in /etc/ssl/certs/ca-certificates.crt");
  }
  write_file_atomic(run.work_dir / kFileOwners, file_owners(contents));
  std::sort(packages.begin(), packages.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  publish_packages(ctx, packages);
  const auto bytes = tree_size(run.rootfs);
  ctx.report_size("rootfs after bootstrap", bytes);
  ctx.info(std::to_string(packages.size()) + " packages extracted, " + sdk::mebibytes(bytes));

  write_file_atomic(stamp_file, render_stamp({request, tree_fingerprint(run.rootfs), packages}));
}

}  // namespace berth::bootstrap
