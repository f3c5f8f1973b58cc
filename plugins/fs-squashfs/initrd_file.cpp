#include "initrd_file.hpp"

#include <fstream>

#include "berth/sdk/error.hpp"

namespace berth::fs_squashfs {

void concatenate_archives(const std::vector<std::filesystem::path>& parts,
                          const std::filesystem::path& initrd) {
  std::ofstream out(initrd, std::ios::binary | std::ios::trunc);
  if (!out) throw sdk::Error("cannot write " + initrd.string());
  for (const auto& part : parts) {
    std::ifstream in(part, std::ios::binary);
    if (!in) throw sdk::Error("cannot read " + part.string());
    out << in.rdbuf();
    if (in.bad()) throw sdk::Error("cannot read " + part.string());
    const auto length = static_cast<std::streamoff>(out.tellp());
    for (auto pad = (4 - length % 4) % 4; pad > 0; --pad) out.put('\0');
  }
  out.flush();
  if (!out) throw sdk::Error("cannot write " + initrd.string());
}

}  // namespace berth::fs_squashfs
