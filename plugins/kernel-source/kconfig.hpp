// Kconfig text: the .config a kernel build writes and the fragments people give
// ("CONFIG_X=y", "# CONFIG_X is not set"), merged in order and checked after
// `make olddefconfig`, which silently drops a request whose dependencies are missing.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace berth::kernel_source {

// One "set option to value" line and where it was asked for ("docker.config:12").
// `value` is as Kconfig writes it: y, m, n (for "is not set"), a number, or a quoted string.
struct Request {
  std::string option;  // without the CONFIG_ prefix
  std::string value;
  std::string origin;
};

// Reads a fragment; `origin` names it in messages. Comments and blank lines are skipped;
// anything else that is not an assignment throws sdk::Error naming origin:line.
// Bounded: a fragment over 1 MiB is refused.
std::vector<Request> parse_fragment(const std::string& text, const std::string& origin);

// An option name and a value from the TOML ([kernel] options), checked like a line.
Request make_request(const std::string& option, const std::string& value,
                     const std::string& origin);

// Option -> value of a .config; "# CONFIG_X is not set" reads as n.
std::map<std::string, std::string> parse_config(const std::string& text);

// The .config text with `requests` applied in order (the last word on an option wins):
// replaced where the option is, appended where it is not, for olddefconfig to settle.
std::string apply_requests(const std::string& config_text, const std::vector<Request>& requests);

// The requests the final config does not honour, with the last request per option
// deciding (a later fragment may override an earlier one). An n request is honoured by
// an absent option, m by y (built in); y is not honoured by m. One line per problem, naming the
// option, what was asked, what came out and who asked.
std::vector<std::string> unhonoured_requests(const std::map<std::string, std::string>& final_config,
                                             const std::vector<Request>& requests);

}  // namespace berth::kernel_source
