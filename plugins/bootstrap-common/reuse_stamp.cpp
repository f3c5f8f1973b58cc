#include "reuse_stamp.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "berth/sdk/error.hpp"
#include "berth/sdk/files.hpp"
#include "inputs.hpp"

namespace berth::bootstrap {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMagic = "berth-bootstrap-stamp 1";

std::string describe_entry(const fs::path& path, const std::string& name) {
  const struct stat st = sdk::lstat_of(path);
  std::ostringstream line;
  line << name << '\t' << st.st_mode << ' ' << st.st_uid << ':' << st.st_gid << ' ' << st.st_size
       << ' ' << st.st_ino << ' ' << st.st_mtim.tv_sec << '.' << st.st_mtim.tv_nsec << ' '
       << st.st_ctim.tv_sec << '.' << st.st_ctim.tv_nsec;
  return line.str();
}

bool take(std::string& line, const std::string& prefix) {
  if (line.compare(0, prefix.size(), prefix) != 0) return false;
  line.erase(0, prefix.size());
  return true;
}

}  // namespace

std::string tree_fingerprint(const fs::path& root) {
  std::vector<std::string> entries = {describe_entry(root, ".")};
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    entries.push_back(
        describe_entry(entry.path(), entry.path().lexically_relative(root).generic_string()));
  }
  std::sort(entries.begin(), entries.end());
  std::string all;
  for (const auto& entry : entries) all += entry + "\n";
  return digest_hex(all) + "-" + std::to_string(entries.size());
}

std::string render_stamp(const Stamp& stamp) {
  std::ostringstream out;
  out << kMagic << "\n";
  std::istringstream request(stamp.request);
  for (std::string line; std::getline(request, line);) out << "request " << line << "\n";
  for (const auto& package : stamp.packages) {
    out << "package " << package.name << " " << package.version << " " << package.deb.string()
        << "\n";
  }
  out << "tree " << stamp.fingerprint << "\n";
  out << "end\n";
  return out.str();
}

std::optional<Stamp> parse_stamp(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) return std::nullopt;
  Stamp stamp;
  bool complete = false;
  while (std::getline(in, line)) {
    if (line == "end") {
      complete = true;
      break;
    }
    if (take(line, "request ")) {
      stamp.request += line + "\n";
    } else if (take(line, "package ")) {
      const auto first = line.find(' ');
      const auto second = first == std::string::npos ? first : line.find(' ', first + 1);
      if (second == std::string::npos) return std::nullopt;
      stamp.packages.push_back({line.substr(0, first), line.substr(first + 1, second - first - 1),
                                line.substr(second + 1)});
    } else if (take(line, "tree ")) {
      stamp.fingerprint = line;
    } else {
      return std::nullopt;
    }
  }
  if (!complete || stamp.fingerprint.empty() || stamp.packages.empty()) return std::nullopt;
  return stamp;
}

}  // namespace berth::bootstrap
