#include "kernel_cmdline.hpp"

#include "berth/sdk/error.hpp"

namespace berth::boot_grub2 {

std::vector<std::string> split_kernel_cmdline(std::string_view text) {
  std::vector<std::string> params;
  std::string current;
  bool in_word = false;
  bool quoted = false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool blank = c == ' ' || c == '\t' || c == '\n';
    if (!blank && (byte < 0x20 || byte == 0x7f)) {
      throw sdk::Error("control character in kernel parameters");
    }
    if (blank && !quoted) {
      if (in_word) params.push_back(current);
      current.clear();
      in_word = false;
      continue;
    }
    // A line break inside quotes would end the GRUB command; the kernel never needs one.
    if (c == '\n') throw sdk::Error("line break inside a quoted kernel parameter");
    if (c == '"') quoted = !quoted;
    current += c;
    in_word = true;
  }
  if (quoted) throw sdk::Error("unbalanced '\"' in kernel parameters");
  if (in_word) params.push_back(current);
  return params;
}

std::string grub_linux_arg(std::string_view param) {
  if (param.find_first_of("'\\") != std::string_view::npos) {
    throw sdk::Error("GRUB would pass ' and \\ in '" + std::string(param) +
                     "' to the kernel with a backslash added");
  }
  const std::size_t first = param.find('"');
  if (first == std::string_view::npos) return std::string(param);
  // The kernel takes quotes around the whole parameter or around its value, and only
  // there; they just keep blanks inside.
  const std::size_t equals = param.find('=');
  const bool whole = first == 0;
  const bool value = equals != std::string_view::npos && first == equals + 1;
  const bool closed = param.size() > first + 1 && param.back() == '"' &&
                      param.find('"', first + 1) == param.size() - 1;
  if (!(whole || value) || !closed) {
    throw sdk::Error("'" + std::string(param) +
                     "': quotes may only enclose a whole kernel parameter or its value");
  }
  std::string arg(param.substr(0, first));
  arg += param.substr(first + 1, param.size() - first - 2);
  return arg;
}

std::vector<std::string> kernel_params(bool serial, const std::vector<std::string>& extra) {
  std::vector<std::string> params;
  if (serial) {
    // The last console= becomes /dev/console, which /init and the rc scripts write to;
    // ttyS0 goes last so their output reaches the serial port that tests read.
    params.emplace_back("console=tty0");
    params.push_back("console=" + std::string(kSerialConsole));
  }
  params.insert(params.end(), extra.begin(), extra.end());
  return params;
}

std::string join_cmdline(const std::vector<std::string>& params) {
  std::string line;
  for (const auto& param : params) {
    if (!line.empty()) line += ' ';
    line += param;
  }
  return line;
}

}  // namespace berth::boot_grub2
