#include "init_log.hpp"

#include <charconv>
#include <map>
#include <regex>

namespace berth::bench {
namespace {

bool source_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// "[12.34] rc: start 10-devices" -> event; nullopt for any other shape.
std::optional<LogEvent> parse_line(std::string_view line) {
  if (line.size() > 1000 || line.size() < 2 || line[0] != '[') return std::nullopt;
  const std::size_t close = line.find(']');
  if (close == std::string_view::npos || close < 2) return std::nullopt;
  const std::string_view number = line.substr(1, close - 1);
  // Digits with at most one dot, as /proc/uptime writes them: no signs, exponents or "inf".
  if (number.find_first_not_of("0123456789.") != std::string_view::npos ||
      number.find('.') != number.rfind('.') || number.front() == '.') {
    return std::nullopt;
  }
  LogEvent event;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(),
                                            event.uptime, std::chars_format::fixed);
  if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
  if (line.substr(close + 1, 1) != " ") return std::nullopt;
  const std::string_view rest = line.substr(close + 2);
  const std::size_t colon = rest.find(": ");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  for (const char c : rest.substr(0, colon)) {
    if (!source_char(c)) return std::nullopt;
  }
  const std::string_view text = rest.substr(colon + 2);
  if (text.empty() || text.front() == ' ') return std::nullopt;
  event.source = std::string(rest.substr(0, colon));
  for (const char c : text) {
    event.event += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return event;
}

// "start 10-devices" -> true; "start finished, 0 failed" -> false.
bool service_begin(const LogEvent& e) {
  static const std::regex begin("(start|stop) [^ ]+");
  return e.source == "rc" && std::regex_match(e.event, begin);
}

// "10-devices start done" -> "start 10-devices", the begin line it ends.
std::optional<std::string> service_end(const LogEvent& e) {
  static const std::regex end("([^ ]+) (start|stop) (done|failed.*)");
  std::smatch m;
  if (e.source != "rc" || !std::regex_match(e.event, m, end)) return std::nullopt;
  return m[2].str() + " " + m[1].str();
}

std::string without_pid(std::string name) {
  static const std::regex pid(" \\(pid [0-9]+\\)");
  return std::regex_replace(name, pid, "");
}

}  // namespace

InitLog parse_init_log(std::string_view text) {
  InitLog log;
  if (text.size() > kMaxLogBytes) {
    text = text.substr(0, kMaxLogBytes);
    log.truncated = true;
  }
  std::size_t lines = 0;
  while (!text.empty()) {
    if (lines == kMaxLogLines) {
      log.truncated = true;
      break;
    }
    ++lines;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto event = parse_line(line)) {
      log.events.push_back(std::move(*event));
    } else {
      ++log.malformed;
    }
  }
  return log;
}

std::vector<Step> guest_steps(const InitLog& log) {
  const auto& events = log.events;
  const std::size_t n = events.size();
  std::vector<std::optional<double>> duration(n);
  std::vector<bool> hidden(n, false);
  std::vector<bool> failed(n, false);
  // Backwards, so that each line knows the lines after it.
  std::map<std::string, std::size_t> end_of;   // "start NAME" -> its end line
  std::map<std::string, std::size_t> next_of;  // source -> its next line
  std::optional<std::size_t> next_main;        // the next init or rc line
  for (std::size_t k = n; k-- > 0;) {
    const LogEvent& e = events[k];
    if (const auto begun = service_end(e)) {
      end_of[*begun] = k;
    } else if (service_begin(e)) {
      if (const auto found = end_of.find(e.event); found != end_of.end()) {
        duration[k] = events[found->second].uptime - e.uptime;
        hidden[found->second] = true;
        failed[k] = events[found->second].event.find(" failed") != std::string::npos;
        end_of.erase(found);
      }
    } else if (e.source == "init") {
      if (next_main) duration[k] = events[*next_main].uptime - e.uptime;
    } else if (e.source != "rc") {
      if (const auto next = next_of.find(e.source); next != next_of.end()) {
        duration[k] = events[next->second].uptime - e.uptime;
      }
    }
    if (e.source == "init" || e.source == "rc") next_main = k;
    next_of[e.source] = k;
  }

  std::vector<Step> steps;
  if (n > 0) steps.push_back({"kernel: start, unpacking the initramfs", 0, events.front().uptime});
  std::map<std::string, int> seen;
  for (std::size_t k = 0; k < n; ++k) {
    if (hidden[k]) continue;
    std::string name = without_pid(events[k].source + ": " + events[k].event);
    if (failed[k]) name += " (failed)";
    // A step that comes again (dockerd started a second time) gets a row of its own.
    if (const int times = ++seen[name]; times > 1) name += " #" + std::to_string(times);
    // A clock that went backwards gives no duration rather than a negative one.
    std::optional<double> d = duration[k];
    if (d && *d < 0) d.reset();
    steps.push_back({std::move(name), events[k].uptime, d});
  }
  return steps;
}

}  // namespace berth::bench
