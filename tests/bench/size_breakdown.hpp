// Reading a build's numbers. Where the bytes of an ISO go: the build report's own size lines, and a
// breakdown of the base image by component from its file listing (`unsquashfs -lls`).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::bench {

// "size<TAB><component><TAB><bytes>" lines of out/build-report.txt (runs of spaces also
// separate fields), in file order; other lines are skipped.
std::vector<std::pair<std::string, std::uint64_t>> parse_report_sizes(std::string_view report);

// "stage<TAB><stage><TAB><seconds>" lines of the build report: how long each stage took.
std::vector<std::pair<std::string, double>> parse_report_stages(std::string_view report);

// The component a file of the base image belongs to: "kernel modules", "docker binaries" or
// "other userland". `path` is relative to the image root ("usr/sbin/dockerd").
std::string classify(std::string_view path);

// Uncompressed bytes of regular files per component, from `unsquashfs -lls` output (the first
// path component, the extraction directory, is dropped).
std::map<std::string, std::uint64_t> breakdown_from_listing(std::string_view listing);

// out/contents.txt (fs-squashfs): per-file sizes, with an xz estimate in xz builds.
struct ContentsEntry {
  std::string name;  // a path, or a package name
  std::uint64_t bytes = 0;
  std::uint64_t xz = 0;  // 0 when the build made no estimate ("-")
};
struct Contents {
  std::map<std::string, ContentsEntry> components;  // classify() of each path, summed
  std::vector<ContentsEntry> packages;              // in file order: biggest first
  std::vector<ContentsEntry> paths;                 // likewise
  bool estimated = false;                           // some record had an xz figure
};
Contents parse_contents(std::string_view text);

}  // namespace berth::bench
