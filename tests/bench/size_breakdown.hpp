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

}  // namespace berth::bench
