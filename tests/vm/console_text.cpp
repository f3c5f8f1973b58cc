#include "console_text.hpp"

#include <cctype>
#include <cstdio>

namespace berth::vm {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Length of a kernel message starting at `pos` ("[" spaces digits "." 6 digits "] " ... "\n"),
// or 0 when there is none (or it is not complete yet).
std::size_t kernel_message_length(std::string_view s, std::size_t pos) {
  std::size_t i = pos;
  if (i >= s.size() || s[i] != '[') return 0;
  ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  const std::size_t int_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == int_start || i >= s.size() || s[i] != '.') return 0;
  ++i;
  for (int d = 0; d < 6; ++d, ++i) {
    if (i >= s.size() || !is_digit(s[i])) return 0;
  }
  if (i + 1 >= s.size() || s[i] != ']' || s[i + 1] != ' ') return 0;
  const std::size_t newline = s.find('\n', i);
  if (newline == std::string_view::npos) return 0;
  return newline + 1 - pos;
}

// Length of an escape sequence at `pos` (CSI "ESC [ params final", OSC "ESC ] ... BEL|ESC \",
// or a two-byte ESC x), 0 when there is none.
std::size_t escape_length(std::string_view s, std::size_t pos) {
  if (s[pos] != '\x1b') return 0;
  if (pos + 1 >= s.size()) return 1;
  const char kind = s[pos + 1];
  std::size_t i = pos + 2;
  if (kind == '[') {
    while (i < s.size() &&
           (static_cast<unsigned char>(s[i]) < 0x40 || static_cast<unsigned char>(s[i]) > 0x7e)) {
      ++i;
    }
    return i < s.size() ? i + 1 - pos : s.size() - pos;
  }
  if (kind == ']') {
    while (i < s.size() && s[i] != '\a' && s[i] != '\x1b') ++i;
    if (i < s.size() && s[i] == '\x1b') ++i;  // the ST is ESC backslash
    return (i < s.size() ? i + 1 : s.size()) - pos;
  }
  return 2;
}

std::string remove_escapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\r') {
      ++i;
    } else if (const std::size_t n = escape_length(s, i); n > 0) {
      i += n;
    } else {
      out += s[i++];
    }
  }
  return out;
}

}  // namespace

std::string clean_console(std::string_view raw, bool strip_kernel) {
  const std::string text = remove_escapes(raw);
  if (!strip_kernel) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t n = kernel_message_length(text, i); n > 0) {
      i += n;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string wrap_command(std::string_view command, std::string_view tag) {
  const std::string t(tag);
  return "echo __B\"\"_" + t + "__; { " + std::string(command) + "\n} </dev/null; echo __E\"\"_" +
         t + "__ $?\n";
}

std::optional<CommandOutput> find_command_output(std::string_view clean, std::string_view tag) {
  const std::string begin = "__B_" + std::string(tag) + "__\n";
  const std::string end = "__E_" + std::string(tag) + "__ ";
  const std::size_t b = clean.find(begin);
  if (b == std::string_view::npos) return std::nullopt;
  const std::size_t out_start = b + begin.size();
  const std::size_t e = clean.find(end, out_start);
  if (e == std::string_view::npos) return std::nullopt;
  std::size_t i = e + end.size();
  const std::size_t digits = i;
  while (i < clean.size() && is_digit(clean[i])) ++i;
  // The status is complete only once its line has ended.
  if (i == digits || i >= clean.size() || clean[i] != '\n') return std::nullopt;
  return CommandOutput{std::string(clean.substr(out_start, e - out_start)),
                       std::stoi(std::string(clean.substr(digits, i - digits)))};
}

std::string_view last_line(std::string_view clean) {
  const std::size_t nl = clean.rfind('\n');
  return nl == std::string_view::npos ? clean : clean.substr(nl + 1);
}

std::string printable_tail(std::string_view raw, std::size_t bytes) {
  if (raw.size() > bytes) raw = raw.substr(raw.size() - bytes);
  std::string out;
  for (const char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\t' || (u >= 0x20 && u != 0x7f)) {
      out += c;
    } else if (c != '\r') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    }
  }
  return out;
}

}  // namespace berth::vm
