// The alternatives iptables' postinst would register (update-alternatives), which an
// extract-only bootstrap never runs: without /usr/sbin/iptables dockerd fails with
// "iptables not found".
#pragma once

#include <string>
#include <vector>

namespace berth::engine_docker {

// One link of an alternative group: link -> /etc/alternatives/name -> target.
struct Alternative {
  std::string name;    // e.g. "iptables-save"
  std::string link;    // e.g. "/usr/sbin/iptables-save"
  std::string target;  // e.g. "/usr/sbin/iptables-nft-save"
  bool required;       // dockerd cannot work without it
};

// What update-alternatives picks from iptables 1.8's postinst: the nft variants
// (priority 20, over legacy's 10) of iptables and ip6tables, and arptables and ebtables
// (nft only), each master with its -restore and -save slaves.
std::vector<Alternative> iptables_alternatives();

}  // namespace berth::engine_docker
