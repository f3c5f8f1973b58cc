#include "boot_timeline.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace berth::bench {
namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// A cell of the markdown table: '|' would end it.
std::string cell_text(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '|' ? '/' : c;
  return out;
}

}  // namespace

BootTimeline compose_timeline(std::string mode, const HostMarks& host, const InitLog& log,
                              std::optional<std::pair<double, double>> docker_run) {
  BootTimeline boot;
  boot.mode = std::move(mode);
  boot.kernel_start = host.kernel_start;
  boot.malformed_lines = log.malformed;
  boot.log_truncated = log.truncated;
  auto& steps = boot.steps;
  const double kernel = host.kernel_start;
  if (!host.boot_loader) {
    steps.push_back({"qemu: loading kernel and initrd (direct boot)", 0, kernel});
  } else if (!host.grub_menu) {
    steps.push_back({"firmware and GRUB", 0, kernel});
  } else {
    steps.push_back({"firmware: to GRUB's menu", 0, *host.grub_menu});
    if (host.grub_booting) {
      steps.push_back(
          {"GRUB: menu, until its timeout", *host.grub_menu, *host.grub_booting - *host.grub_menu});
      steps.push_back(
          {"GRUB: loading kernel and initrd", *host.grub_booting, kernel - *host.grub_booting});
    } else {
      steps.push_back({"GRUB: menu and loading", *host.grub_menu, kernel - *host.grub_menu});
    }
  }
  for (Step step : guest_steps(log)) {
    step.start += kernel;
    if (step.name.starts_with("docker: API answering") && !boot.docker_answered) {
      boot.docker_answered = step.start;
    }
    steps.push_back(std::move(step));
  }
  if (docker_run) {
    steps.push_back(
        {kDockerRunStep, kernel + docker_run->first, docker_run->second - docker_run->first});
  }
  return boot;
}

std::vector<std::string> merged_step_names(const std::vector<BootTimeline>& boots) {
  std::vector<std::string> rows;
  for (const auto& boot : boots) {
    std::size_t after = 0;
    for (const auto& step : boot.steps) {
      const auto found = std::find(rows.begin(), rows.end(), step.name);
      if (found != rows.end()) {
        after = static_cast<std::size_t>(found - rows.begin()) + 1;
      } else {
        rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(after), step.name);
        ++after;
      }
    }
  }
  return rows;
}

std::string timeline_table(const std::vector<BootTimeline>& boots) {
  const std::vector<std::string> rows = merged_step_names(boots);
  std::string md = "| step |";
  std::string rule = "|---|";
  for (const auto& boot : boots) {
    md += " " + cell_text(boot.mode) + " |";
    rule += "---:|";
  }
  md += "\n" + rule + "\n";
  for (const auto& row : rows) {
    md += "| " + cell_text(row) + " |";
    for (const auto& boot : boots) {
      std::string cell;
      for (const auto& step : boot.steps) {
        if (step.name != row) continue;
        cell = step.duration ? fixed(*step.duration, 2) + " (at " + fixed(step.start, 1) + ")"
                             : "at " + fixed(step.start, 1);
        break;
      }
      md += " " + cell + " |";
    }
    md += "\n";
  }
  md += "| **Docker answering: from qemu's start / from the kernel's** |";
  for (const auto& boot : boots) {
    md += boot.docker_answered ? " **" + fixed(*boot.docker_answered, 1) + " / " +
                                     fixed(*boot.docker_answered - boot.kernel_start, 1) + "** |"
                               : " never |";
  }
  md += "\n";
  return md;
}

std::vector<Step> longest_steps(const BootTimeline& boot, std::size_t count) {
  std::vector<Step> steps;
  for (const auto& step : boot.steps) {
    if (step.duration) steps.push_back(step);
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return *a.duration > *b.duration; });
  if (steps.size() > count) steps.resize(count);
  return steps;
}

}  // namespace berth::bench
