#include "stages.hpp"

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "contents_report.hpp"
#include "fast_image.hpp"
#include "initramfs_tree.hpp"
#include "initrd_file.hpp"
#include "library_check.hpp"
#include "mksquashfs_command.hpp"
#include "needed_libraries.hpp"
#include "strip_tree.hpp"

namespace berth::fs_squashfs {
namespace fs = std::filesystem;
namespace {

// What /init loads before it mounts the root: a loop device over the squashfs file,
// squashfs itself, and overlayfs for the writable layer.
const std::vector<std::string> kRootModules = {"loop", "squashfs", "overlay"};

// In the work dir and in the initrd's berth/ (/init looks for it there).
constexpr const char* kFastImageName = "fast.squashfs";

constexpr auto kExecutable = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec;

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

std::uint64_t size_of(const fs::path& file) {
  std::error_code error;
  const auto size = fs::file_size(file, error);
  if (error) throw sdk::Error("cannot stat " + file.string() + ": " + error.message());
  return size;
}

void check_root_modules(sdk::BuildContext& ctx) {
  const auto version = ctx.lookup(sdk::facts::kKernelVersion);
  if (!version) {
    ctx.warn("no kernel plugin published " + std::string(sdk::facts::kKernelVersion) +
             ": cannot check that /init will find the modules loop, squashfs and overlay");
    return;
  }
  const fs::path module_dir = ctx.initramfs_root() / "usr/lib/modules" / *version;
  if (!fs::exists(module_dir / "modules.dep")) {
    throw sdk::Error("kernel " + *version + ": no modules in the initramfs (" +
                     module_dir.string() + "/modules.dep); /init needs loop, squashfs and " +
                     "overlay, as modules or built in");
  }
  const auto missing = missing_modules(module_dir, kRootModules);
  if (!missing.empty()) {
    std::string names;
    for (const auto& name : missing) names += (names.empty() ? "" : ", ") + name;
    throw sdk::Error("kernel " + *version + ": the initramfs lacks " + names +
                     " (neither built in nor among the early modules), which /init needs " +
                     "to mount the root; add them to [kernel] early_modules");
  }
}

}  // namespace

void strip_rootfs(sdk::BuildContext& ctx, const Settings& settings) {
  auto rules = default_strip_rules();
  const auto custom = custom_strip_rules(settings.strip);
  rules.insert(rules.end(), custom.begin(), custom.end());
  auto keep = default_keep_patterns();
  keep.insert(keep.end(), settings.keep.begin(), settings.keep.end());

  // A library a staying program still loads stays, whatever rule names it.
  std::set<std::string> needed;
  for (const auto& library : libraries_still_needed(ctx.rootfs(), ctx.debian().architecture,
                                                    planned_removals(ctx.rootfs(), rules, keep))) {
    ctx.info("kept " + library.path + " (strip rule '" + library.rule + "'): " + library.needed_by +
             " needs " + library.name);
    needed.insert(library.path);
  }

  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  for (const auto& result : strip_tree(ctx.rootfs(), rules, keep, needed)) {
    if (result.skipped) {
      ctx.info("strip rule '" + result.rule + "' skipped: the rootfs uses what it removes");
    } else if (result.files == 0) {
      ctx.debug("strip rule '" + result.rule + "' matched nothing");
    } else {
      ctx.report_removed(result.rule, result.files, result.bytes);
      files += result.files;
      bytes += result.bytes;
    }
  }
  ctx.info("stripped " + std::to_string(files) + " files, " + megabytes(bytes));
}

void check_libraries(sdk::BuildContext& ctx) {
  const auto problems = unresolved_libraries(ctx.rootfs(), ctx.debian().architecture);
  if (problems.empty()) return;
  // Each on its own log line, so a diet that went too far shows all it broke at once.
  for (const auto& problem : problems) ctx.warn(problem);
  throw sdk::Error(std::to_string(problems.size()) + " files in the rootfs need a library or " +
                   "interpreter the image lacks (first: " + problems.front() +
                   "); a strip rule or the package list removed what they use");
}

void report_contents(sdk::BuildContext& ctx, const Settings& settings) {
  std::map<std::string, std::string> owners;
  if (const auto files = ctx.lookup(sdk::facts::kFileOwners)) {
    std::istringstream list(*files);
    for (std::string file; std::getline(list, file);) {
      if (file.empty()) continue;
      std::ifstream in(file);
      if (!in) throw sdk::Error("cannot read " + file + " (" + sdk::facts::kFileOwners + ")");
      std::ostringstream text;
      text << in.rdbuf();
      for (auto& [path, package] : parse_owners(text.str())) owners[path] = std::move(package);
    }
  } else {
    ctx.info("no " + std::string(sdk::facts::kFileOwners) + " from the bootstrap: contents.txt " +
             "names no packages");
  }
  MeasureOptions options;
  options.estimate = settings.size_estimate;
  options.block_size = settings.block_size;
  options.x86_filter =
      settings.compression == "xz" && !xz_bcj_filter(ctx.debian().architecture).empty();
  if (options.estimate && settings.compression != "xz") {
    ctx.warn("size_estimate: the estimate is xz's, the image is " + settings.compression);
  }
  const auto files = measure_contents(ctx.rootfs(), owners, options);
  const fs::path report = ctx.output_dir() / "contents.txt";
  std::ofstream(report) << render_contents(files);
  std::uint64_t estimated = 0;
  for (const auto& file : files) estimated += file.compressed.value_or(0);
  if (options.estimate) ctx.report_size("base image, xz estimate", estimated);
  ctx.info("contents.txt: " + std::to_string(files.size()) + " files" +
           (options.estimate ? ", " + megabytes(estimated) + " compressed (estimate)" : ""));
}

namespace {

// The files other plugins named for a quick start, packed apart (fast_image.hpp). Returns
// the paths the base image leaves out (none when nothing was named).
std::vector<fs::path> build_fast_image(sdk::BuildContext& ctx, const Settings& settings,
                                       const SquashfsOptions& base_options) {
  const auto named = ctx.lookup(sdk::facts::kFastPaths);
  if (!named || settings.fast_compression == "none") return {};
  const auto files = fast_image_files(ctx.rootfs(), parse_fast_paths(*named));
  if (files.empty()) return {};
  const fs::path tree = ctx.work_dir() / "fast-root";
  fs::remove_all(tree);
  lay_fast_tree(ctx.rootfs(), tree, files);
  SquashfsOptions options = base_options;
  options.compression = settings.fast_compression;
  options.block_size = settings.fast_block_size;
  // zstd -19 against its default (15): measured in BENCHMARKS.md, same decoding speed.
  if (options.compression == "zstd") options.level = 19;
  options.no_fragments = true;  // a few large files: no fragment cache in the guest's RAM
  const fs::path image = ctx.work_dir() / kFastImageName;
  ctx.run(mksquashfs_command(tree, image, options));
  fs::remove_all(tree);
  const auto size = size_of(image);
  ctx.report_size("fast.squashfs", size);
  ctx.info("fast.squashfs: " + megabytes(size) + " (" + options.compression + ", " +
           std::to_string(files.size()) + " names: " + files.front().string() +
           (files.size() > 1 ? " ..." : "") + ")");
  return files;
}

}  // namespace

void build_base_image(sdk::BuildContext& ctx, const Settings& settings) {
  const fs::path image = ctx.work_dir() / "base.squashfs";
  fs::remove(ctx.work_dir() / kFastImageName);  // from an older build
  SquashfsOptions options;
  options.compression = settings.compression;
  options.block_size = settings.block_size;
  options.architecture = ctx.debian().architecture;
  options.timestamp = ctx.source_date_epoch();
  const auto fast_files = build_fast_image(ctx, settings, options);
  if (!fast_files.empty()) {
    options.exclude_file = ctx.work_dir() / "base-exclude.txt";
    std::ofstream exclude(options.exclude_file, std::ios::binary);
    exclude << exclude_list(fast_files);
    exclude.close();
    if (!exclude) throw sdk::Error("cannot write " + options.exclude_file.string());
  }
  ctx.run(mksquashfs_command(ctx.rootfs(), image, options));

  const auto size = size_of(image);
  ctx.publish(sdk::facts::kBaseImage, image.string());
  ctx.report_size("base.squashfs", size);
  ctx.info("base.squashfs: " + megabytes(size) + " (" + settings.compression + ", " +
           std::to_string(settings.block_size / 1024) + " KiB blocks)");
}

void prepare_initramfs(sdk::BuildContext& ctx) {
  const fs::path& root = ctx.initramfs_root();
  const fs::path busybox = find_static_busybox(ctx.rootfs());
  make_initramfs_skeleton(root);
  install_busybox(busybox, root);
}

void write_initramfs(sdk::BuildContext& ctx, const Settings& settings) {
  const auto base_image = ctx.lookup(sdk::facts::kBaseImage);
  if (!base_image) {
    throw sdk::Error("no base image: nothing published " + std::string(sdk::facts::kBaseImage) +
                     " in the filesystem stage");
  }
  check_root_modules(ctx);

  // Part one, the base image alone and uncompressed: it is a squashfs, compressed
  // already. It goes first because a compressed archive has to be last: lz4's legacy
  // format, the one the kernel reads, has no end marker.
  const fs::path image_tree = ctx.work_dir() / "initrd-image";
  fs::remove_all(image_tree);
  fs::create_directories(image_tree / "berth");
  // A link where the work dir and the initramfs share a file system: no second ~60 MB.
  sdk::link_or_copy(*base_image, image_tree / "berth/base.squashfs");
  fs::remove(ctx.initramfs_root() / "berth/base.squashfs");  // from an older build
  // Beside it, the fast image when there is one (/init lays it over the base image).
  const fs::path fast_image = ctx.work_dir() / kFastImageName;
  if (fs::exists(fast_image)) sdk::link_or_copy(fast_image, image_tree / "berth" / kFastImageName);
  const fs::path image_part = ctx.work_dir() / "initrd-image.cpio";
  ctx.write_cpio(image_tree, image_part, sdk::Compression::none);

  // Part two, everything else: busybox, /init, early modules and hooks.
  const fs::path rest_part = ctx.work_dir() / "initrd-rest.cpio";
  ctx.write_cpio(ctx.initramfs_root(), rest_part, settings.initrd_compression);

  const fs::path initrd = ctx.output_dir() / "initrd.img";
  concatenate_archives({image_part, rest_part}, initrd);
  const auto size = size_of(initrd);
  ctx.publish(sdk::facts::kInitrd, initrd.string());
  ctx.report_size("initrd.img", size);
  ctx.info("initrd.img: " + megabytes(size) + " (base image " + megabytes(size_of(image_part)) +
           ", the rest " + megabytes(size_of(rest_part)) + ")");
}

}  // namespace berth::fs_squashfs
