#include "library_check.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"
#include "elf_file.hpp"
#include "path_glob.hpp"

namespace berth::fs_squashfs {
namespace fs = std::filesystem;
namespace {

// ld.so.conf includes nest; deeper than this is a loop or a hostile file.
constexpr int kMaxIncludeDepth = 8;

// `path` in the image as the dynamic loader would find it; a link loop is nothing there for
// the loader (ELOOP) either, so it is reported as a missing file, not as a failed build.
std::optional<fs::path> resolve_in_root(const fs::path& root, const std::string& path) {
  try {
    return sdk::resolve_in_root(root, path);
  } catch (const sdk::Error&) {
    return std::nullopt;
  }
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

void read_ld_so_conf(const fs::path& root, const std::string& file, int depth,
                     std::vector<std::string>& dirs) {
  if (depth > kMaxIncludeDepth) return;
  const auto resolved = resolve_in_root(root, file);
  if (!resolved || !fs::is_regular_file(*resolved)) return;
  std::ifstream in(*resolved);
  for (std::string line; std::getline(in, line);) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (line.rfind("include", 0) == 0 && line.size() > 7 && (line[7] == ' ' || line[7] == '\t')) {
      // "include /etc/ld.so.conf.d/*.conf": a glob in the last component only, which is
      // all Debian and the packages use.
      const fs::path pattern = trim(line.substr(8));
      const auto dir = resolve_in_root(root, pattern.parent_path().string());
      if (!dir || !fs::is_directory(*dir)) continue;
      std::vector<std::string> names;
      std::error_code error;
      for (fs::directory_iterator it(*dir, error); !error && it != fs::directory_iterator();
           it.increment(error)) {
        names.push_back(it->path().filename().string());
      }
      std::sort(names.begin(), names.end());
      std::optional<PathGlob> glob;
      try {
        glob.emplace(pattern.filename().string());
      } catch (const std::invalid_argument&) {
        continue;  // not a pattern ld.so would match anything with either
      }
      for (const auto& name : names) {
        if (glob->matches(std::string_view(name))) {
          read_ld_so_conf(root, (pattern.parent_path() / name).string(), depth + 1, dirs);
        }
      }
    } else if (line[0] == '/') {
      dirs.push_back(line);
    }
  }
}

class Checker {
 public:
  Checker(const fs::path& root, const std::string& architecture)
      : root_(root), resolver_(root, architecture) {}

  void check(const fs::path& file, const std::string& relative) {
    ElfFacts facts;
    try {
      facts = read_elf_facts(file);
    } catch (const sdk::Error& error) {
      problems_.push_back(relative + ": " + error.what());
      return;
    }
    if (!facts.is_elf) return;
    if (!facts.interpreter.empty() && !resolve_in_root(root_, facts.interpreter)) {
      problems_.push_back(relative + ": interpreter " + facts.interpreter + " is not in the image");
    }
    const std::string origin = "/" + fs::path(relative).parent_path().string();
    for (const auto& name : facts.needed) {
      if (!resolver_.find(name, facts.library_path, origin)) {
        problems_.push_back(relative + ": needs " + name + ", not in the image");
      }
    }
  }

  std::vector<std::string> problems() && { return std::move(problems_); }

 private:
  fs::path root_;
  LibraryResolver resolver_;
  std::vector<std::string> problems_;
};

}  // namespace

std::string multiarch_triplet(const std::string& architecture) {
  static const std::map<std::string, std::string> triplets = {
      {"amd64", "x86_64-linux-gnu"},        {"arm64", "aarch64-linux-gnu"},
      {"armel", "arm-linux-gnueabi"},       {"armhf", "arm-linux-gnueabihf"},
      {"i386", "i386-linux-gnu"},           {"ppc64el", "powerpc64le-linux-gnu"},
      {"riscv64", "riscv64-linux-gnu"},     {"s390x", "s390x-linux-gnu"},
      {"loong64", "loongarch64-linux-gnu"}, {"mips64el", "mips64el-linux-gnuabi64"},
  };
  const auto it = triplets.find(architecture);
  return it == triplets.end() ? "" : it->second;
}

std::vector<std::string> library_search_dirs(const fs::path& root,
                                             const std::string& architecture) {
  std::vector<std::string> dirs;
  const auto cache = resolve_in_root(root, "/etc/ld.so.cache");
  if (cache && fs::is_regular_file(*cache)) read_ld_so_conf(root, "/etc/ld.so.conf", 0, dirs);
  if (const auto triplet = multiarch_triplet(architecture); !triplet.empty()) {
    dirs.push_back("/lib/" + triplet);
    dirs.push_back("/usr/lib/" + triplet);
  }
  for (const char* dir : {"/lib", "/usr/lib", "/lib64", "/usr/lib64"}) dirs.emplace_back(dir);
  return dirs;
}

LibraryResolver::LibraryResolver(const fs::path& root, const std::string& architecture)
    : root_(root), search_(library_search_dirs(root, architecture)) {}

std::optional<std::string> LibraryResolver::find(const std::string& name,
                                                 const std::vector<std::string>& own_path,
                                                 const std::string& origin) {
  // A name with a slash is a path (relative ones are relative to the working directory,
  // which no one can know here: taken from the root).
  if (name.find('/') != std::string::npos) {
    if (!resolve_in_root(root_, name)) return std::nullopt;
    return name.front() == '/' ? name : "/" + name;
  }
  for (auto dir : own_path) {
    for (const std::string token : {"$ORIGIN", "${ORIGIN}"}) {
      for (auto at = dir.find(token); at != std::string::npos; at = dir.find(token)) {
        dir.replace(at, token.size(), origin);
      }
    }
    if (exists(dir + "/" + name)) return dir + "/" + name;
  }
  for (const auto& dir : search_) {
    if (exists(dir + "/" + name)) return dir + "/" + name;
  }
  return std::nullopt;
}

bool LibraryResolver::exists(const std::string& path) {
  auto [it, inserted] = known_.try_emplace(path, false);
  if (inserted) {
    const auto resolved = resolve_in_root(root_, path);
    it->second = resolved && fs::is_regular_file(*resolved);
  }
  return it->second;
}

std::vector<std::string> loadable_files(const fs::path& root) {
  std::vector<std::string> files;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const fs::path relative = it->path().lexically_relative(root);
    const auto type = it->symlink_status(error).type();
    if (error) break;
    if (type == fs::file_type::directory &&
        (relative == "usr/lib/modules" || relative == "lib/modules" || relative == "proc" ||
         relative == "sys" || relative == "dev")) {
      it.disable_recursion_pending();  // kernel modules are ELF, but not the loader's
      continue;
    }
    if (type == fs::file_type::regular) files.push_back(relative.string());
  }
  if (error) throw sdk::Error("cannot read " + root.string() + ": " + error.message());
  return files;
}

std::vector<std::string> unresolved_libraries(const fs::path& root,
                                              const std::string& architecture) {
  Checker checker(root, architecture);
  for (const auto& relative : loadable_files(root)) checker.check(root / relative, relative);
  auto problems = std::move(checker).problems();
  std::sort(problems.begin(), problems.end());
  return problems;
}

}  // namespace berth::fs_squashfs
