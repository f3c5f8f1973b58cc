#include "inputs.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace berth::bootstrap {

std::string digest_hex(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

std::string file_digest(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "missing";
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return digest_hex(bytes.str());
}

std::string describe_inputs(const std::vector<std::string>& packages,
                            const sdk::DebianSources& debian) {
  std::ostringstream out;
  out << "layout " << kLayoutVersion << "\n";
  out << "architecture " << debian.architecture << "\n";
  out << "suite " << debian.suite << "\n";
  out << "keyring " << debian.keyring.string() << " " << file_digest(debian.keyring) << "\n";
  for (const auto& source : debian.sources) {
    out << "source " << source.uri << " " << source.suite;
    for (const auto& component : source.components) out << " " << component;
    out << "\n";
  }
  for (const auto& pin : debian.pins) {
    out << "pin " << pin.package << " " << pin.release << " " << pin.priority << "\n";
  }
  for (const auto& package : packages) out << "package " << package << "\n";
  return out.str();
}

}  // namespace berth::bootstrap
