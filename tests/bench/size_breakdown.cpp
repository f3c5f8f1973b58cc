#include "size_breakdown.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <sstream>

namespace berth::bench {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  return fields;
}

bool parse_u64(const std::string& text, std::uint64_t& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::vector<std::pair<std::string, std::uint64_t>> parse_report_sizes(std::string_view report) {
  std::vector<std::pair<std::string, std::uint64_t>> sizes;
  std::istringstream in{std::string(report)};
  for (std::string line; std::getline(in, line);) {
    const auto f = split_fields(line);
    std::uint64_t bytes = 0;
    if (f.size() == 3 && f[0] == "size" && parse_u64(f[2], bytes)) sizes.emplace_back(f[1], bytes);
  }
  return sizes;
}

std::vector<std::pair<std::string, double>> parse_report_stages(std::string_view report) {
  std::vector<std::pair<std::string, double>> stages;
  std::istringstream in{std::string(report)};
  for (std::string line; std::getline(in, line);) {
    const auto f = split_fields(line);
    if (f.size() != 3 || f[0] != "stage") continue;
    try {
      std::size_t used = 0;
      const double seconds = std::stod(f[2], &used);
      if (used == f[2].size()) stages.emplace_back(f[1], seconds);
    } catch (const std::exception&) {
      // not a number: not a stage record
    }
  }
  return stages;
}

std::string classify(std::string_view path) {
  if (path.starts_with("usr/lib/modules/") || path.starts_with("lib/modules/")) {
    return "kernel modules";
  }
  // Debian's docker.io, containerd, runc and tini packages: the Go binaries that dominate.
  static constexpr std::array<std::string_view, 12> kDocker = {"dockerd",
                                                               "docker",
                                                               "docker-proxy",
                                                               "docker-init",
                                                               "containerd",
                                                               "containerd-shim",
                                                               "containerd-shim-runc-v1",
                                                               "containerd-shim-runc-v2",
                                                               "ctr",
                                                               "runc",
                                                               "tini",
                                                               "tini-static"};
  const std::size_t slash = path.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash);
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const bool bin_dir = dir == "usr/bin" || dir == "usr/sbin" || dir == "bin" || dir == "sbin";
  if ((bin_dir && std::find(kDocker.begin(), kDocker.end(), name) != kDocker.end()) ||
      path.starts_with("usr/libexec/docker/")) {
    return "docker binaries";
  }
  return "other userland";
}

std::map<std::string, std::uint64_t> breakdown_from_listing(std::string_view listing) {
  std::map<std::string, std::uint64_t> totals;
  std::istringstream in{std::string(listing)};
  for (std::string line; std::getline(in, line);) {
    // -rwxr-xr-x root/root  94427160 2024-08-13 05:35 squashfs-root/usr/sbin/dockerd
    if (line.empty() || line[0] != '-') continue;
    const auto f = split_fields(line);
    std::uint64_t bytes = 0;
    if (f.size() < 6 || !parse_u64(f[2], bytes)) continue;
    std::string path = f[5];
    for (std::size_t i = 6; i < f.size(); ++i) path += " " + f[i];
    const std::size_t slash = path.find('/');
    if (slash == std::string::npos) continue;
    totals[classify(std::string_view(path).substr(slash + 1))] += bytes;
  }
  return totals;
}

Contents parse_contents(std::string_view text) {
  Contents contents;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    // Tab-separated: paths may hold spaces.
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      f.push_back(line.substr(start, tab - start));
    }
    f.push_back(line.substr(start));
    ContentsEntry entry;
    if (f.size() != 5 || !parse_u64(f[3], entry.bytes)) continue;
    if (f[4] != "-" && !parse_u64(f[4], entry.xz)) continue;
    contents.estimated = contents.estimated || f[4] != "-";
    entry.name = f[1];
    if (f[0] == "package") {
      contents.packages.push_back(entry);
    } else if (f[0] == "path") {
      contents.paths.push_back(entry);
      auto& component = contents.components[classify(entry.name)];
      component.name = classify(entry.name);
      component.bytes += entry.bytes;
      component.xz += entry.xz;
    }
  }
  return contents;
}

}  // namespace berth::bench
