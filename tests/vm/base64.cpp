#include "base64.hpp"

#include <berth/sdk/error.hpp>
#include <cctype>
#include <cstdint>

namespace berth::vm {
namespace {

// The 6-bit value of a base64 digit, or -1.
int digit_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t group = 0;
  int digits = 0;   // digits in the current group of four
  int padding = 0;  // '=' seen: only more '=' (and whitespace) may follow
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '=' && digits >= 2) {
      ++padding;
      ++digits;
    } else {
      const int value = digit_value(c);
      if (value < 0 || padding > 0) {
        throw sdk::Error("base64: unexpected character '" + std::string(1, c) + "' at offset " +
                         std::to_string(i));
      }
      group = (group << 6) | static_cast<std::uint32_t>(value);
      ++digits;
    }
    if (digits == 4) {
      group <<= 6 * padding;
      out += static_cast<char>((group >> 16) & 0xff);
      if (padding < 2) out += static_cast<char>((group >> 8) & 0xff);
      if (padding < 1) out += static_cast<char>(group & 0xff);
      group = 0;
      digits = 0;
    }
  }
  if (digits != 0) {
    throw sdk::Error("base64: the text ends inside a group (" + std::to_string(digits) +
                     " of 4 characters)");
  }
  return out;
}

}  // namespace berth::vm
