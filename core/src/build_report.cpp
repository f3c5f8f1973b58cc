#include "build_report.hpp"

#include <cstdio>
#include <sstream>

#include "berth/sdk/sizes.hpp"

namespace berth::core {

void BuildReport::add_timing(const std::string& stage, const std::string& hook, double seconds) {
  timings_.push_back({stage, hook, seconds});
}

void BuildReport::add_size(const std::string& component, std::uint64_t bytes) {
  for (auto& [name, size] : sizes_) {
    if (name == component) {
      size = bytes;
      return;
    }
  }
  sizes_.emplace_back(component, bytes);
}

void BuildReport::add_removed(const std::string& rule, std::uint64_t files, std::uint64_t bytes) {
  auto& entry = removed_[rule];
  entry.files += files;
  entry.bytes += bytes;
}

void BuildReport::add_packages(const std::vector<sdk::FetchedPackage>& packages) {
  for (const auto& package : packages) packages_[package.name] = package.version;
}

std::string BuildReport::manifest() const {
  std::ostringstream out;
  for (const auto& [name, version] : packages_) out << name << " " << version << "\n";
  return out.str();
}

std::string BuildReport::text(const std::map<std::string, std::uint64_t>& output_files) const {
  std::ostringstream out;
  out << "# Berth build report. Records are tab-separated:\n"
      << "#   stage <stage> <seconds>      hook <stage> <plugin/hook> <seconds>\n"
      << "#   size <component> <bytes>     removed <rule> <files> <bytes>\n"
      << "#   output <file> <bytes>        packages <count>\n";
  std::map<std::string, double> per_stage;
  std::vector<std::string> stage_order;
  for (const auto& timing : timings_) {
    if (!per_stage.count(timing.stage)) stage_order.push_back(timing.stage);
    per_stage[timing.stage] += timing.seconds;
  }
  char seconds[32];
  for (const auto& stage : stage_order) {
    std::snprintf(seconds, sizeof seconds, "%.1f", per_stage[stage]);
    out << "stage\t" << stage << "\t" << seconds << "\n";
  }
  for (const auto& timing : timings_) {
    std::snprintf(seconds, sizeof seconds, "%.1f", timing.seconds);
    out << "hook\t" << timing.stage << "\t" << timing.hook << "\t" << seconds << "\n";
  }
  for (const auto& [component, bytes] : sizes_)
    out << "size\t" << component << "\t" << bytes << "\n";
  for (const auto& [rule, removed] : removed_) {
    out << "removed\t" << rule << "\t" << removed.files << "\t" << removed.bytes << "\n";
  }
  for (const auto& [file, bytes] : output_files) out << "output\t" << file << "\t" << bytes << "\n";
  out << "packages\t" << packages_.size() << "\n";
  return out.str();
}

std::vector<std::string> BuildReport::summary() const {
  std::vector<std::string> lines;
  char line[160];
  for (const auto& [component, bytes] : sizes_) {
    std::snprintf(line, sizeof line, "%-24s %12s", component.c_str(),
                  sdk::mebibytes(bytes).c_str());
    lines.emplace_back(line);
  }
  std::uint64_t removed_bytes = 0;
  for (const auto& [rule, removed] : removed_) removed_bytes += removed.bytes;
  if (removed_bytes > 0) {
    std::snprintf(line, sizeof line, "%-24s %12s", "stripped",
                  sdk::mebibytes(removed_bytes).c_str());
    lines.emplace_back(line);
  }
  return lines;
}

}  // namespace berth::core
