// Typed reads from a parsed TOML file whose every error names the file, the line and the
// key ("xpra.toml:4: [image] tag: must be a string, not an integer").
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

namespace berth::image_build {

// A value with the node it came from, so a later check can point at its line.
template <typename T>
struct Located {
  T value;
  const toml::node* node = nullptr;
};

class TomlReader {
 public:
  // Parses `file`; a syntax error is a ConfigError naming file and line.
  explicit TomlReader(std::filesystem::path file);

  const toml::table& document() const { return document_; }
  const std::filesystem::path& file() const { return file_; }

  // "file:line" of a node (the file alone when the node has no position).
  std::string where(const toml::node& node) const;

  // Throws ConfigError "<where(node)>: <label>: <message>"; label is e.g. "[image] name".
  [[noreturn]] void fail(const toml::node& node, const std::string& label,
                         const std::string& message) const;

  // A top-level [name] table, or nullptr when absent and not required.
  const toml::table* section(const std::string& name, bool required) const;
  // Tables other than `allowed` at the top level are errors.
  void only_sections(std::initializer_list<const char*> allowed) const;
  // Keys other than `allowed` in `table` (named `label`, e.g. "[debian] sources[0]") are errors.
  void only_keys(const toml::table& table, const std::string& label,
                 std::initializer_list<const char*> allowed) const;

  // Typed reads of `key` in `table`; `label` names the table in errors. A missing
  // required key is an error; a missing optional one gives `fallback` (node nullptr).
  Located<std::string> string(const toml::table& table, const std::string& label,
                              const std::string& key, bool required,
                              const std::string& fallback = "") const;
  Located<std::int64_t> integer(const toml::table& table, const std::string& label,
                                const std::string& key, bool required) const;
  std::vector<Located<std::string>> strings(const toml::table& table, const std::string& label,
                                            const std::string& key, bool required) const;
  std::vector<Located<const toml::table*>> tables(const toml::table& table,
                                                  const std::string& label, const std::string& key,
                                                  bool required) const;
  const toml::table* inline_table(const toml::table& table, const std::string& label,
                                  const std::string& key) const;

 private:
  const toml::node* lookup(const toml::table& table, const std::string& label,
                           const std::string& key, bool required) const;

  std::filesystem::path file_;
  toml::table document_;
};

// "a string", "an integer", ...: what a node holds, for "must be X, not Y".
std::string toml_type_name(const toml::node& node);

}  // namespace berth::image_build
