#include "alternatives.hpp"

namespace berth::engine_docker {

std::vector<Alternative> iptables_alternatives() {
  std::vector<Alternative> out;
  // dockerd calls iptables and ip6tables (and their -save/-restore); the bridge
  // tools are there for completeness, as on a Debian system.
  const struct {
    const char* master;
    bool required;
  } groups[] = {{"iptables", true}, {"ip6tables", true}, {"arptables", false}, {"ebtables", false}};
  for (const auto& group : groups) {
    const std::string master = group.master;
    for (const std::string suffix : {"", "-restore", "-save"}) {
      out.push_back({master + suffix, "/usr/sbin/" + master + suffix,
                     "/usr/sbin/" + master + "-nft" + suffix, group.required});
    }
  }
  return out;
}

}  // namespace berth::engine_docker
