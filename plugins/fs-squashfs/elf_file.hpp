// Just enough ELF reading to tell a static executable from a dynamic one, and to list the
// shared libraries a dynamic one needs, without running it (the rootfs may be for another
// architecture, and ldd would run the file's own interpreter).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace berth::fs_squashfs {

struct ElfFacts {
  bool is_elf = false;
  std::string interpreter;          // PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2; empty: static
  std::vector<std::string> needed;  // DT_NEEDED, in order: "libc.so.6"
  std::vector<std::string> library_path;  // DT_RPATH then DT_RUNPATH entries, split on ':'
};

// Reads the ELF header, program headers and dynamic section (32 or 64 bit, either byte
// order).
// Throws sdk::Error naming the file when it cannot be read or its headers are cut short.
ElfFacts read_elf_facts(const std::filesystem::path& file);

}  // namespace berth::fs_squashfs
