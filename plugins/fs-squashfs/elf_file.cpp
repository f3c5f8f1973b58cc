#include "elf_file.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "berth/sdk/error.hpp"

namespace berth::fs_squashfs {
namespace {

constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint32_t kPtDynamic = 2;
constexpr std::uint32_t kPtInterp = 3;
constexpr std::uint64_t kDtNull = 0;
constexpr std::uint64_t kDtNeeded = 1;
constexpr std::uint64_t kDtStrtab = 5;
constexpr std::uint64_t kDtRpath = 15;
constexpr std::uint64_t kDtRunpath = 29;
// A library name or search path longer than this is a broken file, not a real name.
constexpr std::uint64_t kMaxString = 4096;

struct Segment {
  std::uint32_t type;
  std::uint64_t offset;
  std::uint64_t vaddr;
  std::uint64_t filesz;
};

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

  // A NUL-terminated string at `offset`, at most kMaxString bytes long.
  std::string c_string(std::uint64_t offset) const {
    need(offset, 1);
    std::string out;
    for (std::uint64_t i = offset; i < bytes_.size() && bytes_[i] != 0; ++i) {
      if (out.size() == kMaxString) throw sdk::Error(file_.string() + ": string too long");
      out.push_back(static_cast<char>(bytes_[i]));
    }
    return out;
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

// The segment's file offset of a virtual address (DT_STRTAB holds one).
std::uint64_t file_offset(const std::vector<Segment>& segments, std::uint64_t vaddr,
                          const std::filesystem::path& file) {
  for (const auto& segment : segments) {
    if (segment.type == kPtLoad && vaddr >= segment.vaddr &&
        vaddr - segment.vaddr < segment.filesz) {
      return segment.offset + (vaddr - segment.vaddr);
    }
  }
  throw sdk::Error(file.string() + ": dynamic string table outside the file's segments");
}

void split_path_list(const std::string& list, std::vector<std::string>& out) {
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t colon = std::min(list.find(':', start), list.size());
    if (colon > start) out.push_back(list.substr(start, colon - start));
    start = colon + 1;
  }
}

void read_dynamic(const Reader& elf, const Segment& dynamic, const std::vector<Segment>& segments,
                  unsigned word, ElfFacts& facts, const std::filesystem::path& file) {
  std::vector<std::uint64_t> needed, rpath, runpath;
  std::optional<std::uint64_t> strtab;
  // Bounded by the segment's size: a missing DT_NULL cannot run off the end.
  for (std::uint64_t at = dynamic.offset; at + 2 * word <= dynamic.offset + dynamic.filesz;
       at += 2 * word) {
    const std::uint64_t tag = elf.number(at, word);
    const std::uint64_t value = elf.number(at + word, word);
    if (tag == kDtNull) break;
    if (tag == kDtNeeded) needed.push_back(value);
    if (tag == kDtRpath) rpath.push_back(value);
    if (tag == kDtRunpath) runpath.push_back(value);
    if (tag == kDtStrtab) strtab = value;
  }
  if (needed.empty() && rpath.empty() && runpath.empty()) return;
  if (!strtab) throw sdk::Error(file.string() + ": dynamic section without a string table");
  const std::uint64_t strings = file_offset(segments, *strtab, file);
  for (auto index : needed) facts.needed.push_back(elf.c_string(strings + index));
  for (auto index : rpath) split_path_list(elf.c_string(strings + index), facts.library_path);
  for (auto index : runpath) split_path_list(elf.c_string(strings + index), facts.library_path);
}

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
  // p_offset, p_vaddr and p_filesz in a program header, for each class.
  const std::uint64_t phoff = elf.number(is64 ? 0x20 : 0x1c, is64 ? 8 : 4);
  const std::uint64_t phentsize = elf.number(is64 ? 0x36 : 0x2a, 2);
  const std::uint64_t phnum = elf.number(is64 ? 0x38 : 0x2c, 2);
  const unsigned word = is64 ? 8 : 4;
  std::vector<Segment> segments;
  for (std::uint64_t i = 0; i < phnum; ++i) {
    const std::uint64_t header = phoff + i * phentsize;
    segments.push_back({static_cast<std::uint32_t>(elf.number(header, 4)),
                        elf.number(header + (is64 ? 0x08 : 0x04), word),
                        elf.number(header + (is64 ? 0x10 : 0x08), word),
                        elf.number(header + (is64 ? 0x20 : 0x10), word)});
  }
  for (const auto& segment : segments) {
    if (segment.type != kPtInterp) continue;
    facts.interpreter = elf.text(segment.offset, segment.filesz);
    if (facts.interpreter.empty()) facts.interpreter = "(empty PT_INTERP)";
  }
  for (const auto& segment : segments) {
    if (segment.type == kPtDynamic) read_dynamic(elf, segment, segments, word, facts, file);
  }
  return facts;
}

}  // namespace berth::fs_squashfs
