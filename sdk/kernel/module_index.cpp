#include "berth/sdk/kernel/module_index.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "berth/sdk/error.hpp"

namespace berth::sdk::kernel {
namespace {

constexpr std::array<std::string_view, 4> kCompressionSuffixes = {".xz", ".zst", ".gz", ".bz2"};

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream stream{std::string(text)};
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sdk::Error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename Fn>
void for_each_line(const std::string& text, Fn&& fn) {
  std::istringstream stream(text);
  std::size_t number = 0;
  for (std::string line; std::getline(stream, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    fn(line, number);
  }
}

}  // namespace

std::string normalize_module_name(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::string strip_compression(std::string_view path) {
  for (std::string_view suffix : kCompressionSuffixes) {
    if (path.ends_with(suffix) && path.substr(0, path.size() - suffix.size()).ends_with(".ko")) {
      return std::string(path.substr(0, path.size() - suffix.size()));
    }
  }
  return std::string(path);
}

std::string module_name_of(std::string_view path) {
  std::string plain = strip_compression(path);
  if (!std::string_view(plain).ends_with(".ko")) return "";
  auto slash = plain.rfind('/');
  std::string base = plain.substr(slash == std::string::npos ? 0 : slash + 1);
  return normalize_module_name(base.substr(0, base.size() - 3));
}

std::vector<Module> parse_modules_dep(const std::string& text, const std::string& source) {
  std::vector<Module> modules;
  for_each_line(text, [&](const std::string& line, std::size_t number) {
    auto colon = line.find(':');
    std::string path = line.substr(0, colon);
    std::string name = module_name_of(path);
    if (colon == std::string::npos || name.empty()) {
      throw sdk::Error(source + ":" + std::to_string(number) +
                       ": not a modules.dep line (expected 'path.ko: deps...')");
    }
    Module module{name, path, {}};
    for (const auto& dep : split_words(std::string_view(line).substr(colon + 1))) {
      std::string dep_name = module_name_of(dep);
      if (dep_name.empty()) {
        throw sdk::Error(source + ":" + std::to_string(number) + ": dependency '" + dep + "' of " +
                         path + " is not a module path");
      }
      module.deps.push_back(dep_name);
    }
    modules.push_back(std::move(module));
  });
  return modules;
}

std::map<std::string, std::vector<std::string>> parse_modules_softdep(const std::string& text) {
  // "softdep <module> pre: a b post: c" -- and older depmods write "softdep mod a b"
  // without pre:/post:. Both directions mean "ship it too" for us.
  std::map<std::string, std::vector<std::string>> softdeps;
  for_each_line(text, [&](const std::string& line, std::size_t) {
    auto words = split_words(line);
    if (words.size() < 3 || words[0] != "softdep") return;
    auto& targets = softdeps[normalize_module_name(words[1])];
    for (std::size_t i = 2; i < words.size(); ++i) {
      if (words[i] == "pre:" || words[i] == "post:") continue;
      targets.push_back(words[i]);
    }
  });
  return softdeps;
}

std::map<std::string, std::vector<std::string>> parse_modules_alias(const std::string& text) {
  std::map<std::string, std::vector<std::string>> aliases;
  for_each_line(text, [&](const std::string& line, std::size_t) {
    auto words = split_words(line);
    if (words.size() != 3 || words[0] != "alias") return;
    aliases[words[1]].push_back(normalize_module_name(words[2]));
  });
  return aliases;
}

std::map<std::string, std::string> parse_modules_builtin(const std::string& text) {
  std::map<std::string, std::string> builtin;
  for_each_line(text, [&](const std::string& line, std::size_t) {
    auto words = split_words(line);
    if (words.size() != 1) return;
    std::string name = module_name_of(words[0]);
    if (!name.empty()) builtin.emplace(name, words[0]);
  });
  return builtin;
}

ModuleIndex load_module_index(const std::filesystem::path& modules_dir) {
  ModuleIndex index;
  const auto dep_file = modules_dir / "modules.dep";
  if (!std::filesystem::exists(dep_file)) {
    throw sdk::Error(dep_file.string() + " is missing (depmod did not run?)");
  }
  for (auto& module : parse_modules_dep(read_file(dep_file), dep_file.string())) {
    std::string name = module.name;
    index.modules.insert_or_assign(name, std::move(module));
  }
  auto optional_text = [&](const char* file) {
    auto path = modules_dir / file;
    return std::filesystem::exists(path) ? read_file(path) : std::string();
  };
  index.softdeps = parse_modules_softdep(optional_text("modules.softdep"));
  index.aliases = parse_modules_alias(optional_text("modules.alias"));
  index.builtin = parse_modules_builtin(optional_text("modules.builtin"));
  return index;
}

std::vector<std::string> resolve_soft_dependency(const ModuleIndex& index,
                                                 const std::string& entry) {
  std::string name = normalize_module_name(entry);
  if (index.modules.count(name) != 0) return {name};
  std::vector<std::string> out;
  if (auto it = index.aliases.find(entry); it != index.aliases.end()) {
    for (const auto& target : it->second) {
      if (index.modules.count(target) != 0) out.push_back(target);
    }
  }
  return out;
}

}  // namespace berth::sdk::kernel
