#include "elf_file.hpp"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::fs_squashfs {
namespace {

constexpr std::uint32_t kPtInterp = 3;

class Reader {
 public:
  Reader(const std::filesystem::path& file, std::vector<unsigned char> bytes)
      : file_(file), bytes_(std::move(bytes)) {}

  void set_big_endian(bool big) { big_endian_ = big; }

  std::uint64_t number(std::uint64_t offset, unsigned size) const {
    need(offset, size);
    std::uint64_t value = 0;
    for (unsigned i = 0; i < size; ++i) {
      const unsigned byte = big_endian_ ? i : size - 1 - i;
      value = (value << 8) | bytes_[offset + byte];
    }
    return value;
  }

  std::string text(std::uint64_t offset, std::uint64_t size) const {
    need(offset, size);
    std::string out(bytes_.begin() + static_cast<std::ptrdiff_t>(offset),
                    bytes_.begin() + static_cast<std::ptrdiff_t>(offset + size));
    return out.substr(0, out.find('\0'));
  }

  std::size_t size() const { return bytes_.size(); }
  unsigned char at(std::size_t offset) const { return bytes_.at(offset); }

 private:
  void need(std::uint64_t offset, std::uint64_t size) const {
    if (offset > bytes_.size() || size > bytes_.size() - offset) {
      throw sdk::Error(file_.string() + ": truncated ELF file");
    }
  }

  std::filesystem::path file_;
  std::vector<unsigned char> bytes_;
  bool big_endian_ = false;
};

}  // namespace

ElfFacts read_elf_facts(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error("cannot read " + file.string());
  Reader elf(file, {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
  if (in.bad()) throw sdk::Error("cannot read " + file.string());

  ElfFacts facts;
  if (elf.size() < 16 || elf.at(0) != 0x7f || elf.at(1) != 'E' || elf.at(2) != 'L' ||
      elf.at(3) != 'F') {
    return facts;
  }
  facts.is_elf = true;
  const bool is64 = elf.at(4) == 2;    // EI_CLASS: 1 = 32 bit, 2 = 64 bit
  elf.set_big_endian(elf.at(5) == 2);  // EI_DATA: 1 = little, 2 = big endian

  // Offsets of e_phoff, e_phentsize and e_phnum in the ELF header, and of p_type,
  // p_offset and p_filesz in a program header, for each class.
  const std::uint64_t phoff = elf.number(is64 ? 0x20 : 0x1c, is64 ? 8 : 4);
  const std::uint64_t phentsize = elf.number(is64 ? 0x36 : 0x2a, 2);
  const std::uint64_t phnum = elf.number(is64 ? 0x38 : 0x2c, 2);
  for (std::uint64_t i = 0; i < phnum; ++i) {
    const std::uint64_t header = phoff + i * phentsize;
    if (elf.number(header, 4) != kPtInterp) continue;
    const std::uint64_t offset = elf.number(header + (is64 ? 0x08 : 0x04), is64 ? 8 : 4);
    const std::uint64_t size = elf.number(header + (is64 ? 0x20 : 0x10), is64 ? 8 : 4);
    facts.interpreter = elf.text(offset, size);
    if (facts.interpreter.empty()) facts.interpreter = "(empty PT_INTERP)";
  }
  return facts;
}

}  // namespace berth::fs_squashfs
