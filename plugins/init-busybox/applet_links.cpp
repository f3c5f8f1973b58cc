#include "applet_links.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace berth::init_busybox {

namespace {

// Where busybox may put links: a merged-/usr system resolves bin and sbin into /usr.
constexpr std::array<std::string_view, 4> kLinkDirs = {"bin", "sbin", "usr/bin", "usr/sbin"};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

const std::vector<std::string>& command_dirs() {
  static const std::vector<std::string> dirs = {"usr/local/sbin", "usr/local/bin", "usr/sbin",
                                                "usr/bin",        "sbin",          "bin"};
  return dirs;
}

std::vector<std::string> parse_applet_list(std::string_view output) {
  std::vector<std::string> applets;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string_view::npos) end = output.size();
    const auto line = trim(output.substr(start, end - start));
    if (!line.empty()) applets.emplace_back(line);
    start = end + 1;
  }
  return applets;
}

std::vector<std::string> plan_applet_links(
    const std::vector<std::string>& applets,
    const std::function<bool(const std::string& name)>& provided) {
  std::vector<std::string> links;
  std::set<std::string> seen;
  for (const auto& applet : applets) {
    const auto slash = applet.rfind('/');
    if (slash == std::string::npos) continue;
    const std::string_view dir = std::string_view(applet).substr(0, slash);
    const std::string name = applet.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") continue;
    if (std::find(kLinkDirs.begin(), kLinkDirs.end(), dir) == kLinkDirs.end()) continue;
    if (!seen.insert(name).second) continue;
    if (provided(name)) continue;
    links.push_back(applet);
  }
  return links;
}

}  // namespace berth::init_busybox
