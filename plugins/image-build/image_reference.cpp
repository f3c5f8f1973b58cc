#include "image_reference.hpp"

#include <vector>

namespace berth::image_build {
namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::vector<std::string> split_path(const std::string& repository) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  while (true) {
    const auto slash = repository.find('/', start);
    parts.push_back(repository.substr(start, slash - start));
    if (slash == std::string::npos) return parts;
    start = slash + 1;
  }
}

// A component is alphanumeric runs; between two runs one '.', one '_', two '_' or any
// number of '-'.
bool valid_component(const std::string& part) {
  if (part.empty() || !lower_alnum(part.front()) || !lower_alnum(part.back())) return false;
  std::string separator;
  for (char c : part) {
    if (lower_alnum(c)) {
      const bool dashes = separator.find_first_not_of('-') == std::string::npos;
      if (!separator.empty() && !dashes && separator != "." && separator != "_" &&
          separator != "__") {
        return false;
      }
      separator.clear();
    } else if (c == '.' || c == '_' || c == '-') {
      separator += c;
    } else {
      return false;
    }
  }
  return true;
}

bool names_registry(const std::string& first) {
  return first.find_first_of(".:") != std::string::npos || first == "localhost";
}

// host[:port], host made of letters, digits, '.' and '-'.
bool valid_registry(const std::string& first) {
  const auto colon = first.find(':');
  const std::string host = first.substr(0, colon);
  if (host.empty()) return false;
  for (char c : host) {
    const bool ok = lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
    if (!ok) return false;
  }
  if (colon == std::string::npos) return true;
  const std::string port = first.substr(colon + 1);
  return !port.empty() && port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::optional<std::string> repository_problem(const std::string& repository) {
  if (repository.empty()) return "an empty name";
  if (repository.size() > 255) return "longer than 255 characters";
  const auto parts = split_path(repository);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i == 0 && parts.size() > 1 && names_registry(parts[0])) {
      if (!valid_registry(parts[0])) return "'" + parts[0] + "' is not a registry host[:port]";
      continue;
    }
    if (!valid_component(parts[i])) {
      return "'" + parts[i] +
             "' is not a name component (lower-case letters and digits, joined by '.', '_', "
             "'__' or '-')";
    }
  }
  return std::nullopt;
}

std::optional<std::string> tag_problem(const std::string& tag) {
  if (tag.empty()) return "an empty tag";
  if (tag.size() > 128) return "longer than 128 characters";
  if (tag.front() == '.' || tag.front() == '-') return "starts with '" + tag.substr(0, 1) + "'";
  for (char c : tag) {
    const bool ok = lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '-';
    if (!ok) return "holds '" + std::string(1, c) + "' (allowed: A-Z a-z 0-9 _ . -)";
  }
  return std::nullopt;
}

std::string full_reference(const std::string& repository, const std::string& tag) {
  const auto parts = split_path(repository);
  const std::string reference = repository + ":" + tag;
  if (parts.size() > 1 && names_registry(parts[0])) return reference;
  return std::string("docker.io/") + (parts.size() == 1 ? "library/" : "") + reference;
}

std::string last_component(const std::string& repository) {
  const auto slash = repository.rfind('/');
  return slash == std::string::npos ? repository : repository.substr(slash + 1);
}

std::string dashed(const std::string& repository) {
  std::string out = repository;
  for (char& c : out) {
    if (c == '/' || c == ':') c = '-';
  }
  return out;
}

}  // namespace berth::image_build
