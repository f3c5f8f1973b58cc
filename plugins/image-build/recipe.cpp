#include "recipe.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "image_reference.hpp"
#include "toml_reader.hpp"

namespace berth::image_build {
namespace {

bool has_space_or_control(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= ' ' || byte == 0x7f;
  });
}

std::string item_label(const std::string& label, const std::string& key, std::size_t index) {
  return label + " " + key + "[" + std::to_string(index) + "]";
}

// A word that goes into an apt or mmdebstrap argument as it is: not empty, no blank.
void check_word(const TomlReader& toml, const Located<std::string>& value, const std::string& label,
                const std::string& what) {
  if (value.value.empty()) toml.fail(*value.node, label, "an empty " + what);
  if (has_space_or_control(value.value)) {
    toml.fail(*value.node, label, "'" + value.value + "' holds a space or a control character");
  }
}

// scheme://rest, as apt needs: a relative URI would mean nothing to mmdebstrap.
void check_uri(const TomlReader& toml, const Located<std::string>& uri, const std::string& label) {
  check_word(toml, uri, label, "URI");
  const auto colon = uri.value.find("://");
  const std::string scheme = uri.value.substr(0, colon);
  const bool scheme_ok =
      colon != std::string::npos && !scheme.empty() &&
      std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
      });
  if (!scheme_ok || colon + 3 >= uri.value.size()) {
    toml.fail(*uri.node, label,
              "'" + uri.value +
                  "' is not an absolute URI (scheme://..., e.g. http://deb.debian.org/debian)");
  }
}

void read_image(const TomlReader& toml, ImageRecipe& recipe) {
  const toml::table& image = *toml.section("image", true);
  toml.only_keys(image, "[image]", {"name", "tag"});
  const auto name = toml.string(image, "[image]", "name", true);
  if (auto problem = repository_problem(name.value)) {
    toml.fail(*name.node, "[image] name", "'" + name.value + "': " + *problem);
  }
  const auto tag = toml.string(image, "[image]", "tag", false, "latest");
  if (auto problem = tag_problem(tag.value)) {
    toml.fail(*tag.node, "[image] tag", "'" + tag.value + "': " + *problem);
  }
  recipe.name = name.value;
  recipe.tag = tag.value;
}

void read_sources(const TomlReader& toml, const toml::table& debian, ImageRecipe& recipe) {
  const auto sources = toml.tables(debian, "[debian]", "sources", true);
  if (sources.empty()) {
    toml.fail(*debian.get("sources"), "[debian] sources", "empty; a recipe needs a source");
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const toml::table& source = *sources[i].value;
    const std::string label = "[debian] sources[" + std::to_string(i) + "]";
    toml.only_keys(source, label, {"uri", "suites", "components"});
    const auto uri = toml.string(source, label, "uri", true);
    check_uri(toml, uri, label + " uri");
    const auto suites = toml.strings(source, label, "suites", true);
    if (suites.empty()) toml.fail(*source.get("suites"), label + " suites", "empty");
    std::vector<std::string> components;
    for (const auto& component : toml.strings(source, label, "components", false)) {
      check_word(toml, component, label + " components", "component");
      components.push_back(component.value);
    }
    if (components.empty()) components.push_back("main");
    for (const auto& suite : suites) {
      check_word(toml, suite, label + " suites", "suite");
      recipe.sources.push_back({uri.value, suite.value, components});
    }
  }
}

void read_pins(const TomlReader& toml, const toml::table& debian, ImageRecipe& recipe) {
  const auto pins = toml.tables(debian, "[debian]", "pins", false);
  for (std::size_t i = 0; i < pins.size(); ++i) {
    const toml::table& pin = *pins[i].value;
    const std::string label = "[debian] pins[" + std::to_string(i) + "]";
    toml.only_keys(pin, label, {"package", "release", "priority"});
    const auto package = toml.string(pin, label, "package", true);
    check_word(toml, package, label + " package", "package");
    const auto release = toml.string(pin, label, "release", true);
    check_word(toml, release, label + " release", "release");
    const auto priority = toml.integer(pin, label, "priority", true);
    if (priority.value < -32768 || priority.value > 32767) {
      toml.fail(*priority.node, label + " priority",
                std::to_string(priority.value) + " is out of range (-32768..32767)");
    }
    recipe.pins.push_back({package.value, release.value, static_cast<int>(priority.value)});
  }
}

void read_debian(const TomlReader& toml, ImageRecipe& recipe) {
  const toml::table& debian = *toml.section("debian", true);
  toml.only_keys(debian, "[debian]", {"suite", "sources", "pins"});
  const auto suite = toml.string(debian, "[debian]", "suite", true);
  check_word(toml, suite, "[debian] suite", "suite");
  // It also names the package cache's directory: no way out of it.
  const bool plain =
      std::isalnum(static_cast<unsigned char>(suite.value.front())) &&
      std::all_of(suite.value.begin(), suite.value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      });
  if (!plain) {
    toml.fail(*suite.node, "[debian] suite",
              "'" + suite.value + "' is not a suite name (letters, digits, '.', '_', '-')");
  }
  recipe.suite = suite.value;
  read_sources(toml, debian, recipe);
  read_pins(toml, debian, recipe);
}

// dpkg path globs: absolute, one word (they become path-exclude=GLOB lines).
std::vector<std::string> read_globs(const TomlReader& toml, const toml::table& packages,
                                    const std::string& key) {
  std::vector<std::string> out;
  const auto globs = toml.strings(packages, "[packages]", key, false);
  for (std::size_t i = 0; i < globs.size(); ++i) {
    const std::string label = item_label("[packages]", key, i);
    check_word(toml, globs[i], label, "path");
    if (globs[i].value.front() != '/') {
      toml.fail(*globs[i].node, label, "'" + globs[i].value + "' must start with '/'");
    }
    out.push_back(globs[i].value);
  }
  return out;
}

void read_packages(const TomlReader& toml, ImageRecipe& recipe) {
  const toml::table& packages = *toml.section("packages", true);
  toml.only_keys(packages, "[packages]", {"include", "exclude", "keep"});
  const auto include = toml.strings(packages, "[packages]", "include", true);
  if (include.empty()) {
    toml.fail(*packages.get("include"), "[packages] include", "empty; name a package");
  }
  for (std::size_t i = 0; i < include.size(); ++i) {
    const std::string label = item_label("[packages]", "include", i);
    check_word(toml, include[i], label, "package");
    // mmdebstrap splits --include at commas.
    if (include[i].value.find(',') != std::string::npos) {
      toml.fail(*include[i].node, label, "'" + include[i].value + "' holds a comma");
    }
    recipe.include.push_back(include[i].value);
  }
  recipe.exclude = read_globs(toml, packages, "exclude");
  recipe.keep = read_globs(toml, packages, "keep");
}

void read_files(const TomlReader& toml, ImageRecipe& recipe) {
  const toml::table* files = toml.section("files", false);
  if (!files) return;
  toml.only_keys(*files, "[files]", {"rootfs"});
  const auto rootfs = toml.string(*files, "[files]", "rootfs", false);
  if (!rootfs.node) return;
  if (rootfs.value.empty()) toml.fail(*rootfs.node, "[files] rootfs", "an empty path");
  fs::path dir = rootfs.value;
  if (dir.is_relative()) dir = toml.file().parent_path() / dir;
  dir = dir.lexically_normal();
  if (!fs::is_directory(dir)) {
    toml.fail(*rootfs.node, "[files] rootfs", dir.string() + " is not a directory");
  }
  recipe.rootfs = dir;
}

bool valid_env_name(const std::string& name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string> read_env(const TomlReader& toml, const toml::table& config) {
  std::vector<std::string> env;
  std::set<std::string> names;
  const auto entries = toml.strings(config, "[config]", "env", false);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i].value;
    const auto equals = entry.find('=');
    const std::string name = entry.substr(0, equals);
    const std::string label = item_label("[config]", "env", i);
    if (equals == std::string::npos || !valid_env_name(name)) {
      toml.fail(*entries[i].node, label, "'" + entry + "' is not NAME=VALUE");
    }
    if (!names.insert(name).second) toml.fail(*entries[i].node, label, name + " set twice");
    env.push_back(entry);
  }
  // Docker runs the entrypoint with the image's PATH only: never leave it out.
  if (!names.count("PATH")) env.insert(env.begin(), kDefaultPath);
  return env;
}

// "14500/tcp"; a bare port number means tcp, as with docker run -p.
std::vector<std::string> read_ports(const TomlReader& toml, const toml::table& config) {
  std::vector<std::string> ports;
  const auto entries = toml.strings(config, "[config]", "exposed_ports", false);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i].value;
    const auto slash = entry.find('/');
    const std::string number = entry.substr(0, slash);
    const std::string protocol = slash == std::string::npos ? "tcp" : entry.substr(slash + 1);
    const bool digits = !number.empty() && number.size() <= 5 &&
                        number.find_first_not_of("0123456789") == std::string::npos;
    const long port = digits ? std::stol(number) : 0;
    const bool known = protocol == "tcp" || protocol == "udp" || protocol == "sctp";
    const std::string label = item_label("[config]", "exposed_ports", i);
    if (port < 1 || port > 65535 || !known) {
      toml.fail(*entries[i].node, label,
                "'" + entry + "' is not PORT[/tcp|udp|sctp] with PORT 1..65535");
    }
    const std::string normal = std::to_string(port) + "/" + protocol;
    if (std::find(ports.begin(), ports.end(), normal) != ports.end()) {
      toml.fail(*entries[i].node, label, normal + " listed twice");
    }
    ports.push_back(normal);
  }
  return ports;
}

std::map<std::string, std::string> read_labels(const TomlReader& toml, const toml::table& config) {
  std::map<std::string, std::string> labels;
  const toml::table* table = toml.inline_table(config, "[config]", "labels");
  if (!table) return labels;
  for (const auto& [key, node] : *table) {
    const std::string name(key.str());
    const std::string label = "[config] labels." + name;
    const auto* text = node.as_string();
    if (!text) toml.fail(node, label, "must be a string, not " + toml_type_name(node));
    if (name.empty()) toml.fail(node, "[config] labels", "a label with an empty name");
    labels[name] = text->get();
  }
  return labels;
}

std::vector<std::string> plain_strings(const std::vector<Located<std::string>>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.value);
  return out;
}

void read_config(const TomlReader& toml, ImageRecipe& recipe) {
  ImageConfig& out = recipe.config;
  const toml::table* config = toml.section("config", false);
  if (!config) {
    out.env = {kDefaultPath};
    return;
  }
  toml.only_keys(*config, "[config]",
                 {"entrypoint", "cmd", "env", "workdir", "user", "exposed_ports", "labels"});
  out.entrypoint = plain_strings(toml.strings(*config, "[config]", "entrypoint", false));
  out.cmd = plain_strings(toml.strings(*config, "[config]", "cmd", false));
  out.env = read_env(toml, *config);
  const auto workdir = toml.string(*config, "[config]", "workdir", false);
  if (!workdir.value.empty() && workdir.value.front() != '/') {
    toml.fail(*workdir.node, "[config] workdir", "'" + workdir.value + "' is not an absolute path");
  }
  out.workdir = workdir.value;
  const auto user = toml.string(*config, "[config]", "user", false);
  if (has_space_or_control(user.value)) {
    toml.fail(*user.node, "[config] user",
              "'" + user.value + "' holds a space or a control character");
  }
  out.user = user.value;
  out.exposed_ports = read_ports(toml, *config);
  out.labels = read_labels(toml, *config);
}

}  // namespace

ImageRecipe read_recipe(const fs::path& file) {
  const TomlReader toml(file);
  toml.only_sections({"image", "debian", "packages", "files", "config"});
  ImageRecipe recipe;
  recipe.file = file;
  read_image(toml, recipe);
  read_debian(toml, recipe);
  read_packages(toml, recipe);
  read_files(toml, recipe);
  read_config(toml, recipe);
  return recipe;
}

}  // namespace berth::image_build
