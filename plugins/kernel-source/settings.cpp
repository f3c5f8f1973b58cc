#include "settings.hpp"

#include <cctype>

#include "berth/sdk/error.hpp"

namespace berth::kernel_source {
namespace {

using sdk::ValueType;

bool is_sha256(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<std::string> default_modules() {
  return {"kernel/"};
}

std::vector<sdk::ConfigKey> config_keys() {
  std::vector<sdk::ConfigKey> keys = {
      {"package", ValueType::string,
       "Debian package holding the kernel source (default linux-source, which brings the "
       "suite's linux-source-X.Y)"},
      {"source", ValueType::string,
       "a kernel source tarball or directory to build instead of the Debian package "
       "(relative to this config file)"},
      {"sha256", ValueType::string, "the sha256 the source tarball must have"},
      {"base", ValueType::string,
       "the config the fragments go on: defconfig (default), tinyconfig, source (the .config "
       "in the source tree) or a config file"},
      {"size", ValueType::boolean,
       "apply the plugin's size fragment: xz-compressed, built for size, no debugging aids "
       "(default true)"},
      {"fragments", ValueType::string_array,
       "config fragments applied after the plugin's Docker and hardware fragments"},
      {"patches", ValueType::string_array, "patches applied to the source (patch -p1), in order"},
      {"options", ValueType::table,
       "single options applied last, e.g. DRM_I915 = \"m\", LOCALVERSION = \"-kali\""},
      {"jobs", ValueType::integer, "parallel compile jobs (default: one per processor)"},
  };
  auto modules = sdk::kernel::module_config_keys();
  keys.insert(keys.end(), modules.begin(), modules.end());
  return keys;
}

std::string kconfig_value(const sdk::ConfigValue& value) {
  if (const auto* flag = std::get_if<bool>(&value.data)) return *flag ? "y" : "n";
  if (const auto* number = std::get_if<std::int64_t>(&value.data)) return std::to_string(*number);
  if (const auto* text = std::get_if<std::string>(&value.data)) {
    if (*text == "y" || *text == "m" || *text == "n") return *text;
    return quoted(*text);
  }
  return "";
}

Settings read_settings(const sdk::ConfigTable& config) {
  Settings settings;
  settings.package = config.get_string("package", "linux-source");
  settings.source = config.get_string("source", "");
  settings.sha256 = config.get_string("sha256", "");
  settings.base = config.get_string("base", "defconfig");
  settings.size = config.get_bool("size", true);
  settings.fragments = config.get_strings("fragments");
  settings.patches = config.get_strings("patches");
  settings.jobs = static_cast<int>(config.get_int("jobs", 0));

  if (config.has("package") && settings.package.empty())
    config.fail("package", "must name a package");
  if (config.has("source") && settings.source.empty()) {
    config.fail("source", "must name a tarball or a directory");
  }
  if (config.has("package") && config.has("source")) {
    config.fail("source", "give either package or source, not both");
  }
  if (!settings.sha256.empty() && !is_sha256(settings.sha256)) {
    config.fail("sha256", "must be 64 lower-case hex digits");
  }
  if (!settings.sha256.empty() && settings.source.empty()) {
    config.fail("sha256", "checks a source tarball; name it in source");
  }
  if (settings.base.empty()) config.fail("base", "must be defconfig, tinyconfig, source or a file");
  if (settings.base == "source" && settings.source.empty()) {
    config.fail("base", "\"source\" takes the .config of a source tree or tarball named in source");
  }
  if (settings.jobs < 0 || settings.jobs > 1024) config.fail("jobs", "must be 0 to 1024");
  for (const char* key : {"fragments", "patches"}) {
    for (const auto& path : config.get_strings(key)) {
      if (path.empty()) config.fail(key, "holds an empty path");
    }
  }

  const auto options = config.get_table("options");
  for (const auto& [name, value] : options->values()) {
    const std::string text = kconfig_value(value);
    if (text.empty()) {
      config.fail("options", name + " must be a string, an integer or true/false");
    }
    try {
      settings.options.push_back(
          make_request(name, text, "[kernel] options (" + value.where + ")"));
    } catch (const sdk::Error& error) {
      config.fail("options", error.what());
    }
  }

  settings.modules = sdk::kernel::read_module_options(config, default_modules(), {});
  return settings;
}

}  // namespace berth::kernel_source
