#include "needed_libraries.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <set>
#include <system_error>

#include "berth/sdk/error.hpp"
#include "berth/sdk/root_paths.hpp"
#include "elf_file.hpp"
#include "library_check.hpp"

namespace berth::fs_squashfs {
namespace fs = std::filesystem;
namespace {

// A chain of links longer than the kernel follows is no library the loader would load.
constexpr int kMaxLinks = 40;

class Finder {
 public:
  Finder(const fs::path& root, const std::string& architecture,
         const std::map<std::string, std::string>& removals)
      : root_(root), resolver_(root, architecture), removals_(removals) {}

  // Every regular file the strip leaves, looked at once.
  void scan_survivors() {
    for (const auto& relative : loadable_files(root_)) {
      if (removals_.count(relative) == 0) pending_.push_back(relative);
    }
    while (!pending_.empty()) {
      const std::string file = pending_.front();
      pending_.pop_front();
      look_at(file);
    }
  }

  std::vector<KeptLibrary> kept() && {
    std::sort(kept_.begin(), kept_.end(),
              [](const KeptLibrary& a, const KeptLibrary& b) { return a.path < b.path; });
    return std::move(kept_);
  }

 private:
  void look_at(const std::string& relative) {
    ElfFacts facts;
    try {
      facts = read_elf_facts(root_ / relative);
    } catch (const sdk::Error&) {
      return;
    }
    if (!facts.is_elf) return;
    const std::string origin = "/" + fs::path(relative).parent_path().string();
    for (const auto& name : facts.needed) {
      if (const auto found = resolver_.find(name, facts.library_path, origin)) {
        keep_chain(*found, relative, name);
      }
    }
  }

  // Each step from the name as found to the file: a step about to be removed stays, and
  // the file at the end is looked at for what it needs in turn.
  void keep_chain(const std::string& found, const std::string& needed_by, const std::string& name) {
    std::string current = found;
    for (int step = 0; step < kMaxLinks; ++step) {
      std::optional<fs::path> entry;
      try {
        entry = sdk::resolve_in_root(root_, current, {.last = sdk::LastLink::keep});
      } catch (const sdk::Error&) {
        return;
      }
      if (!entry) return;
      const std::string relative = entry->lexically_relative(root_).string();
      std::error_code error;
      const bool link = fs::is_symlink(fs::symlink_status(*entry, error));
      if (const auto removal = removals_.find(relative);
          removal != removals_.end() && kept_paths_.insert(relative).second) {
        kept_.push_back({relative, needed_by, name, removal->second});
        if (!link) pending_.push_back(relative);
      }
      if (!link) return;
      const fs::path target = fs::read_symlink(*entry, error);
      if (error) return;
      current = target.is_absolute()
                    ? target.string()
                    : ("/" / fs::path(relative).parent_path() / target).lexically_normal().string();
    }
  }

  fs::path root_;
  LibraryResolver resolver_;
  const std::map<std::string, std::string>& removals_;
  std::deque<std::string> pending_;
  std::set<std::string> kept_paths_;
  std::vector<KeptLibrary> kept_;
};

}  // namespace

std::vector<KeptLibrary> libraries_still_needed(
    const fs::path& root, const std::string& architecture,
    const std::map<std::string, std::string>& removals) {
  if (removals.empty()) return {};
  Finder finder(root, architecture, removals);
  finder.scan_survivors();
  return std::move(finder).kept();
}

}  // namespace berth::fs_squashfs
