// Just enough ELF reading to tell a static executable from a dynamic one, without
// running it (the rootfs may be for another architecture).
#pragma once

#include <filesystem>
#include <string>

namespace berth::fs_squashfs {

struct ElfFacts {
  bool is_elf = false;
  std::string interpreter;  // PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2; empty: static
};

// Reads the ELF header and program headers (32 or 64 bit, either byte order).
// Throws sdk::Error naming the file when it cannot be read or its headers are cut short.
ElfFacts read_elf_facts(const std::filesystem::path& file);

}  // namespace berth::fs_squashfs
