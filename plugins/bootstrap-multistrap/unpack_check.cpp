#include "unpack_check.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace berth::bootstrap {

UnpackCheck check_unpacked(const std::vector<std::string>& selected,
                           const std::vector<std::string>& debs,
                           const std::vector<std::string>& unpacked,
                           const std::vector<std::string>& seeded) {
  std::map<std::string, std::vector<std::string>> debs_of;
  for (const auto& deb : debs) debs_of[package_of_deb_name(deb)].push_back(deb);
  const std::set<std::string> selected_set(selected.begin(), selected.end());
  const std::set<std::string> unpacked_set(unpacked.begin(), unpacked.end());
  const std::set<std::string> seeded_set(seeded.begin(), seeded.end());

  UnpackCheck check;
  for (const auto& name : selected_set) {
    const auto found = debs_of.find(name);
    if (found == debs_of.end()) {
      check.undownloaded.push_back(name);
      continue;
    }
    if (unpacked_set.count(name) == 0) check.not_unpacked.push_back(name);
    std::vector<std::string> fresh;
    for (const auto& deb : found->second) {
      if (found->second.size() == 1 || seeded_set.count(deb) == 0) fresh.push_back(deb);
    }
    for (const auto& deb : found->second) {
      const bool wanted = fresh.size() == 1 && fresh.front() == deb;
      (wanted ? check.wanted : check.unexpected).push_back(deb);
    }
  }
  for (const auto& [name, files] : debs_of) {
    if (selected_set.count(name) == 0)
      check.unexpected.insert(check.unexpected.end(), files.begin(), files.end());
  }
  std::sort(check.wanted.begin(), check.wanted.end());
  std::sort(check.unexpected.begin(), check.unexpected.end());
  return check;
}

std::vector<std::string> apt_new_packages(const std::string& output) {
  std::vector<std::string> names;
  std::istringstream lines(output);
  bool in_block = false;
  for (std::string line; std::getline(lines, line);) {
    if (!in_block) {
      in_block = line.rfind("The following NEW packages will be installed:", 0) == 0;
      continue;
    }
    if (line.empty() || line.front() != ' ') break;
    std::istringstream words(line);
    for (std::string name; words >> name;) names.push_back(name);
  }
  return names;
}

std::vector<std::string> status_packages(const std::string& status) {
  std::vector<std::string> names;
  std::istringstream lines(status);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Package:", 0) != 0) continue;
    std::istringstream rest(line.substr(8));
    std::string name;
    if (rest >> name) names.push_back(name);
  }
  return names;
}

std::string package_of_deb_name(const std::string& file_name) {
  return file_name.substr(0, file_name.find('_'));
}

}  // namespace berth::bootstrap
