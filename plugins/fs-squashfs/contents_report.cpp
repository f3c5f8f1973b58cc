#include "contents_report.hpp"

#include <lzma.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"

namespace berth::fs_squashfs {
namespace fs = std::filesystem;
namespace {

std::uint64_t compressed_block(const std::vector<std::uint8_t>& block, std::uint32_t dictionary,
                               bool x86_filter, std::vector<std::uint8_t>& out) {
  lzma_options_lzma lzma{};
  if (lzma_lzma_preset(&lzma, LZMA_PRESET_DEFAULT)) throw sdk::Error("xz: no default preset");
  lzma.dict_size = std::max<std::uint32_t>(dictionary, LZMA_DICT_SIZE_MIN);
  lzma_filter filters[3];
  std::size_t n = 0;
  if (x86_filter) filters[n++] = {LZMA_FILTER_X86, nullptr};
  filters[n++] = {LZMA_FILTER_LZMA2, &lzma};
  filters[n] = {LZMA_VLI_UNKNOWN, nullptr};
  out.resize(block.size() + block.size() / 2 + 4096);  // room for incompressible data
  std::size_t written = 0;
  const lzma_ret ret = lzma_raw_buffer_encode(filters, nullptr, block.data(), block.size(),
                                              out.data(), &written, out.size());
  if (ret != LZMA_OK)
    throw sdk::Error("xz: cannot compress a block (liblzma error " +
                     std::to_string(static_cast<int>(ret)) + ")");
  // mksquashfs stores a block uncompressed when compressing does not make it smaller.
  return std::min<std::uint64_t>(written, block.size());
}

bool is_elf(const std::vector<std::uint8_t>& head) {
  return head.size() >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
}

std::string field(const std::optional<std::uint64_t>& value) {
  return value ? std::to_string(*value) : "-";
}

}  // namespace

std::uint64_t xz_estimate(const fs::path& file, std::uint32_t block_size, bool x86_filter) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error("cannot read " + file.string());
  std::vector<std::uint8_t> block(block_size);
  std::vector<std::uint8_t> out;
  std::uint64_t total = 0;
  bool first = true;
  bool filter = false;
  while (in) {
    in.read(reinterpret_cast<char*>(block.data()), block_size);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    block.resize(got);
    if (first) filter = x86_filter && is_elf(block);
    first = false;
    total += compressed_block(block, block_size, filter, out);
    block.resize(block_size);
  }
  if (in.bad()) throw sdk::Error("cannot read " + file.string());
  return total;
}

namespace {

// One file at a time per CPU: compressing is what takes the time (about 2 MB/s a core).
void estimate_all(std::vector<FileShare>& files, const std::vector<fs::path>& paths,
                  const MeasureOptions& options) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      try {
        files[i].compressed = xz_estimate(paths[i], options.block_size, options.x86_filter);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = files.size();
      }
    }
  };
  std::vector<std::thread> workers;
  const unsigned count = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 1; i < count; ++i) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::map<std::string, std::string> parse_owners(const std::string& text) {
  std::map<std::string, std::string> owners;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size()) continue;
    owners[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return owners;
}

std::vector<FileShare> measure_contents(const fs::path& root,
                                        const std::map<std::string, std::string>& owners,
                                        const MeasureOptions& options) {
  std::vector<std::pair<std::string, fs::path>> regular;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->symlink_status(error).type() == fs::file_type::regular) {
      regular.emplace_back(it->path().lexically_relative(root).string(), it->path());
    }
  }
  if (error) throw sdk::Error("cannot read " + root.string() + ": " + error.message());
  std::sort(regular.begin(), regular.end());

  std::vector<FileShare> files;
  std::vector<fs::path> paths;
  std::set<std::pair<std::uintmax_t, std::uintmax_t>> seen;  // (device, inode) of hard links
  for (const auto& [relative, path] : regular) {
    const struct stat st = sdk::lstat_of(path);
    if (st.st_nlink > 1 && !seen.insert({st.st_dev, st.st_ino}).second) continue;
    FileShare share{relative, "-", static_cast<std::uint64_t>(st.st_size), std::nullopt};
    if (const auto owner = owners.find(relative); owner != owners.end()) {
      share.package = owner->second;
    }
    files.push_back(std::move(share));
    paths.push_back(path);
  }
  if (options.estimate) estimate_all(files, paths, options);
  std::stable_sort(files.begin(), files.end(), [](const FileShare& a, const FileShare& b) {
    return a.compressed.value_or(a.bytes) > b.compressed.value_or(b.bytes);
  });
  return files;
}

std::string render_contents(const std::vector<FileShare>& files) {
  struct Total {
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    std::optional<std::uint64_t> compressed;
  };
  std::map<std::string, Total> packages;
  for (const auto& file : files) {
    auto& total = packages[file.package];
    ++total.files;
    total.bytes += file.bytes;
    if (file.compressed) total.compressed = total.compressed.value_or(0) + *file.compressed;
  }
  std::vector<std::pair<std::string, Total>> sorted(packages.begin(), packages.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.compressed.value_or(a.second.bytes) >
           b.second.compressed.value_or(b.second.bytes);
  });

  std::ostringstream out;
  out << "# What the base image holds, biggest first. Tab-separated records:\n"
      << "#   package <name> <files> <bytes> <xz>    path <path> <package> <bytes> <xz>\n"
      << "# bytes: unpacked; xz: estimated size in the squashfs (each file compressed alone\n"
      << "# as mksquashfs compresses a block, see docs/internals.md), '-' when not estimated.\n"
      << "# Package '-': files no package ships (Berth's own, the kernel plugin's); a plugin\n"
      << "# that builds a file itself may name it (engine-docker: berth-engine).\n";
  for (const auto& [name, total] : sorted) {
    out << "package\t" << name << "\t" << total.files << "\t" << total.bytes << "\t"
        << field(total.compressed) << "\n";
  }
  for (const auto& file : files) {
    out << "path\t" << file.path << "\t" << file.package << "\t" << file.bytes << "\t"
        << field(file.compressed) << "\n";
  }
  return out.str();
}

}  // namespace berth::fs_squashfs
