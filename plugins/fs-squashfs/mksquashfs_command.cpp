#include "mksquashfs_command.hpp"

#include <initializer_list>
#include <limits>

#include "berth/sdk/error.hpp"

namespace berth::fs_squashfs {

std::string xz_bcj_filter(const std::string& architecture) {
  // The filter turns relative call/jump targets into absolute ones, which repeat more
  // and so compress better: 3.3 MB (3.9%) off the default trixie image (84.0 -> 80.7 MB,
  // 1 MiB blocks). Only x86 is mapped: for the other Debian architectures xz either has
  // no filter or squashfs-tools 4.5 cannot select it.
  if (architecture == "amd64" || architecture == "i386") return "x86";
  return "";
}

std::vector<std::string> mksquashfs_command(const std::filesystem::path& tree,
                                            const std::filesystem::path& image,
                                            const SquashfsOptions& options) {
  if (options.timestamp < 0 || options.timestamp > std::numeric_limits<std::uint32_t>::max()) {
    throw sdk::Error("SOURCE_DATE_EPOCH " + std::to_string(options.timestamp) +
                     " does not fit squashfs's timestamps (0 to 4294967295)");
  }
  const std::string time = std::to_string(options.timestamp);
  // mksquashfs refuses -mkfs-time and -all-time while SOURCE_DATE_EPOCH is set ("can't
  // be used at the same time"), and the environment may carry it.
  std::vector<std::string> argv = {"env",        "-u",          "SOURCE_DATE_EPOCH",
                                   "mksquashfs", tree.string(), image.string()};
  auto add = [&argv](std::initializer_list<std::string> words) { argv.insert(argv.end(), words); };
  add({"-noappend"});  // a fresh image, never added to an old one
  add({"-comp", options.compression});
  if (options.compression == "xz") {
    if (auto filter = xz_bcj_filter(options.architecture); !filter.empty()) {
      add({"-Xbcj", filter});
    }
  }
  if (options.level != 0) add({"-Xcompression-level", std::to_string(options.level)});
  add({"-b", std::to_string(options.block_size)});
  if (!options.exclude_file.empty()) add({"-ef", options.exclude_file.string()});
  if (options.no_fragments) add({"-no-fragments"});
  // Reproducible: one time for the superblock and every inode (mksquashfs's output has
  // been reproducible otherwise since 4.4, with any number of processors).
  add({"-mkfs-time", time, "-all-time", time});
  // Owners and modes stay as extracted (as root, from the packages). Extended
  // attributes do not: the extract-only bootstrap sets none the system needs, and the
  // build host's (SELinux labels, say) must not leak into the image.
  add({"-no-xattrs"});
  add({"-no-exports"});     // no NFS export table: nobody exports the root over NFS
  add({"-exit-on-error"});  // an unreadable file fails the build, not a hole in the image
  add({"-quiet", "-no-progress"});
  return argv;
}

}  // namespace berth::fs_squashfs
