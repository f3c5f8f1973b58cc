#include "group_file.hpp"

#include <charconv>
#include <set>

#include "berth/sdk/error.hpp"

namespace berth::engine_docker {

namespace {

// Calls visit(name, gid field) for each line of an /etc/group text.
template <typename Visit>
void for_each_group(std::string_view text, Visit visit) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto first = line.find(':');
    if (first == std::string_view::npos) continue;
    const auto second = line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const auto third = line.find(':', second + 1);
    visit(line.substr(0, first),
          line.substr(second + 1, third == std::string_view::npos ? std::string_view::npos
                                                                  : third - second - 1));
  }
}

std::optional<unsigned> parse_id(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<unsigned> find_group(std::string_view group_text, std::string_view name) {
  std::optional<unsigned> found;
  for_each_group(group_text, [&](std::string_view group, std::string_view gid) {
    if (found || group != name) return;
    found = parse_id(gid);
    if (!found)
      throw sdk::Error("/etc/group: group '" + std::string(name) + "' has no numeric gid");
  });
  return found;
}

unsigned free_system_gid(std::string_view group_text) {
  std::set<unsigned> used;
  for_each_group(group_text, [&](std::string_view, std::string_view gid) {
    if (const auto id = parse_id(gid)) used.insert(*id);
  });
  for (unsigned gid = 100; gid <= 999; ++gid) {
    if (!used.count(gid)) return gid;
  }
  throw sdk::Error("/etc/group: no free system gid left in 100..999");
}

std::string append_group(std::string group_text, const std::string& name,
                         const std::string& password, unsigned gid) {
  if (!group_text.empty() && group_text.back() != '\n') group_text += '\n';
  group_text += name + ":" + password + ":" + std::to_string(gid) + ":\n";
  return group_text;
}

}  // namespace berth::engine_docker
