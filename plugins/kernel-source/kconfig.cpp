#include "kconfig.hpp"

#include <cctype>
#include <set>
#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::kernel_source {
namespace {

constexpr std::size_t kMaxFragmentBytes = 1 << 20;
constexpr std::string_view kPrefix = "CONFIG_";
constexpr std::string_view kNotSet = " is not set";

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    if (!(std::isupper(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

bool valid_number(const std::string& value) {
  std::size_t start = value.starts_with("-") ? 1 : 0;
  if (value.substr(start).starts_with("0x")) {
    start += 2;
    if (start == value.size()) return false;
    for (std::size_t i = start; i < value.size(); ++i) {
      if (!std::isxdigit(static_cast<unsigned char>(value[i]))) return false;
    }
    return true;
  }
  if (start == value.size()) return false;
  for (std::size_t i = start; i < value.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(value[i]))) return false;
  }
  return true;
}

// A quoted Kconfig string: "...", with \" and \\ escapes and no bare quote inside.
bool valid_string(const std::string& value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\') {
      ++i;
      if (i + 1 >= value.size()) return false;
    } else if (value[i] == '"' || value[i] == '\n') {
      return false;
    }
  }
  return true;
}

bool valid_value(const std::string& value) {
  return value == "y" || value == "m" || value == "n" || valid_number(value) || valid_string(value);
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// "# CONFIG_X is not set" -> "X"; empty for any other comment.
std::string not_set_option(const std::string& line) {
  if (!line.starts_with("# CONFIG_") || !line.ends_with(kNotSet)) return "";
  const std::string name =
      line.substr(2 + kPrefix.size(), line.size() - 2 - kPrefix.size() - kNotSet.size());
  return valid_name(name) ? name : "";
}

// The option a .config line sets, or empty.
std::string option_of_line(const std::string& line) {
  if (auto name = not_set_option(line); !name.empty()) return name;
  if (!line.starts_with(kPrefix)) return "";
  const auto equals = line.find('=');
  if (equals == std::string::npos) return "";
  return line.substr(kPrefix.size(), equals - kPrefix.size());
}

std::string render(const Request& request) {
  if (request.value == "n") return "# CONFIG_" + request.option + " is not set";
  return "CONFIG_" + request.option + "=" + request.value;
}

}  // namespace

Request make_request(const std::string& option, const std::string& value,
                     const std::string& origin) {
  std::string name = option.starts_with(kPrefix) ? option.substr(kPrefix.size()) : option;
  if (!valid_name(name)) {
    throw sdk::Error(origin + ": '" + option + "' is not a kernel option name (A-Z, 0-9, _)");
  }
  if (!valid_value(value)) {
    throw sdk::Error(origin + ": CONFIG_" + name + ": '" + value +
                     "' is not y, m, n, a number or a quoted string");
  }
  return {name, value, origin};
}

std::vector<Request> parse_fragment(const std::string& text, const std::string& origin) {
  if (text.size() > kMaxFragmentBytes) {
    throw sdk::Error(origin + ": larger than 1 MiB; not a config fragment");
  }
  std::vector<Request> requests;
  std::istringstream lines(text);
  int number = 0;
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    const std::string where = origin + ":" + std::to_string(number);
    const std::string line = trim(raw);
    if (line.empty()) continue;
    if (line.front() == '#') {
      if (auto name = not_set_option(line); !name.empty()) requests.push_back({name, "n", where});
      continue;
    }
    const auto equals = line.find('=');
    if (!line.starts_with(kPrefix) || equals == std::string::npos) {
      throw sdk::Error(where + ": expected CONFIG_NAME=value or '# CONFIG_NAME is not set'");
    }
    requests.push_back(make_request(line.substr(0, equals), line.substr(equals + 1), where));
  }
  return requests;
}

std::map<std::string, std::string> parse_config(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (auto name = not_set_option(line); !name.empty()) {
      values[name] = "n";
    } else if (line.starts_with(kPrefix)) {
      const auto equals = line.find('=');
      if (equals == std::string::npos) continue;
      values[line.substr(kPrefix.size(), equals - kPrefix.size())] = line.substr(equals + 1);
    }
  }
  return values;
}

std::string apply_requests(const std::string& config_text, const std::vector<Request>& requests) {
  std::map<std::string, const Request*> last;
  for (const auto& request : requests) last[request.option] = &request;

  std::ostringstream out;
  std::set<std::string> written;
  std::istringstream lines(config_text);
  for (std::string line; std::getline(lines, line);) {
    const std::string option = option_of_line(line);
    auto request = last.find(option);
    if (option.empty() || request == last.end()) {
      out << line << '\n';
    } else if (written.insert(option).second) {
      out << render(*request->second) << '\n';
    }
  }
  for (const auto& request : requests) {
    if (last.at(request.option) == &request && written.insert(request.option).second) {
      out << render(request) << '\n';
    }
  }
  return out.str();
}

std::vector<std::string> unhonoured_requests(const std::map<std::string, std::string>& final_config,
                                             const std::vector<Request>& requests) {
  std::map<std::string, const Request*> last;
  std::vector<std::string> order;
  for (const auto& request : requests) {
    if (last.count(request.option) == 0) order.push_back(request.option);
    last[request.option] = &request;
  }
  std::vector<std::string> problems;
  for (const auto& option : order) {
    const Request& request = *last.at(option);
    auto found = final_config.find(option);
    const std::string got = found == final_config.end() ? "n" : found->second;
    // A module asked for and built in is there all the same.
    if (got == request.value || (request.value == "m" && got == "y")) continue;
    const std::string shown =
        found == final_config.end() ? "gone (its dependencies are missing)" : got;
    problems.push_back("CONFIG_" + option + "=" + request.value + " (asked by " + request.origin +
                       ") did not stick: the final config has " + shown);
  }
  return problems;
}

}  // namespace berth::kernel_source
