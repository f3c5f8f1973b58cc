// Sizes as people read them in log lines and the build report (binary units, one decimal).
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

namespace berth::sdk {

// "812 B", "4.0 KiB", "12.3 MiB", "1.5 GiB": the unit that suits the size.
inline std::string human_size(std::uint64_t bytes) {
  constexpr std::array<const char*, 4> kUnits = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f %s", value, kUnits[unit]);
  return text.data();
}

// "0.3 MiB", "12.3 MiB", "2048.0 MiB": always MiB, so sizes in one list compare at a glance.
inline std::string mebibytes(std::uint64_t bytes) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f MiB", static_cast<double>(bytes) / 1048576.0);
  return text.data();
}

}  // namespace berth::sdk
