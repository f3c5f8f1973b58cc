// Every dynamic executable and library in the image finds its interpreter and the shared
// libraries it names (DT_NEEDED) inside the image. A strip rule or a diet that removes a
// library something still needs fails the build here, not on the target at run time.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::fs_squashfs {

// Debian's multiarch triplet for an architecture ("amd64" -> "x86_64-linux-gnu"); empty
// for one this list does not know.
std::string multiarch_triplet(const std::string& architecture);

// The directories the image's dynamic loader searches after a file's own RPATH/RUNPATH.
// The loader reads etc/ld.so.cache, which ldconfig makes from etc/ld.so.conf: so when the
// image has a cache, the directories ld.so.conf names (with its `include` globs of file
// names in one directory, such as /etc/ld.so.conf.d/*.conf); then always glibc's built-in
// ones, Debian's multiarch pair first. Without libc-bin (Berth's image) there is no cache
// and only the built-in directories count. Absolute, as on the target.
std::vector<std::string> library_search_dirs(const std::filesystem::path& root,
                                             const std::string& architecture);

// Where the image's dynamic loader finds a library a file names (DT_NEEDED): the file's
// own RPATH/RUNPATH ($ORIGIN being `origin`, the file's directory in the image), then
// library_search_dirs. Returns the path as found there (absolute in the image, its last
// component possibly a symlink), or nothing. Remembers what it looked at: for one state
// of the tree.
class LibraryResolver {
 public:
  LibraryResolver(const std::filesystem::path& root, const std::string& architecture);
  std::optional<std::string> find(const std::string& name, const std::vector<std::string>& own_path,
                                  const std::string& origin);

 private:
  bool exists(const std::string& path);

  std::filesystem::path root_;
  std::vector<std::string> search_;
  std::map<std::string, bool> known_;
};

// Every regular file under `root` the dynamic loader may map, relative to `root`, without
// following symlinks: kernel modules (ELF, but not the loader's) and proc/sys/dev are
// left out. Throws sdk::Error when the tree cannot be read.
std::vector<std::string> loadable_files(const std::filesystem::path& root);

// One line per problem, "usr/bin/ip: needs libbpf.so.1, not in the image", sorted by
// path. Reads the files as ELF without running them; kernel modules are skipped. `root`
// is the image root: absolute paths and symlinks are resolved inside it, never outside.
std::vector<std::string> unresolved_libraries(const std::filesystem::path& root,
                                              const std::string& architecture);

}  // namespace berth::fs_squashfs
