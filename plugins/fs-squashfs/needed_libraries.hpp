// Strip rules that would take a library something staying in the image still loads: such
// a library stays. A diet names libraries by what links them today ("what only PAM
// links"); a build that ships another program needing one (Debian's dockerd and
// libsystemd, a user's package) keeps it, with a line saying why, instead of failing the
// library check.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace berth::fs_squashfs {

struct KeptLibrary {
  std::string path;       // relative to the root: the name found, or a link on to the file
  std::string needed_by;  // relative path of a file that needs it
  std::string name;       // the DT_NEEDED name it answers
  std::string rule;       // the strip rule that would have removed it
};

// Of `removals` (planned_removals: relative path -> rule), the paths a remaining ELF file
// loads: the name the loader finds and every link from there to the file, then what those
// libraries need, until nothing changes. Sorted by path. Files that cannot be read as ELF
// are skipped (the library check reports them). `root` is the image root; links resolve
// inside it.
std::vector<KeptLibrary> libraries_still_needed(const std::filesystem::path& root,
                                                const std::string& architecture,
                                                const std::map<std::string, std::string>& removals);

}  // namespace berth::fs_squashfs
