#include "apt_preferences.hpp"

#include "berth/sdk/error.hpp"

namespace berth::bootstrap {
namespace {

void check_field(const std::string& value, const std::string& field, std::size_t index) {
  const bool blank = value.find_first_not_of(" \t") == std::string::npos;
  if (blank || value.find_first_of("\r\n") != std::string::npos) {
    throw sdk::Error("[debian] pins[" + std::to_string(index) + "] " + field + " '" + value +
                     "' cannot go into apt_preferences");
  }
}

}  // namespace

std::string render_apt_preferences(const std::vector<sdk::AptPin>& pins) {
  std::string text;
  for (std::size_t i = 0; i < pins.size(); ++i) {
    const auto& pin = pins[i];
    check_field(pin.package, "package", i);
    check_field(pin.release, "release", i);
    const bool explicit_match = pin.release.find('=') != std::string::npos;
    if (!text.empty()) text += "\n";
    text += "Package: " + pin.package + "\n";
    text += "Pin: release " + (explicit_match ? pin.release : "n=" + pin.release) + "\n";
    text += "Pin-Priority: " + std::to_string(pin.priority) + "\n";
  }
  return text;
}

}  // namespace berth::bootstrap
