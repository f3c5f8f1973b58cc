#include "grub_config.hpp"

#include <algorithm>

#include "kernel_cmdline.hpp"

namespace berth::boot_grub2 {

namespace {

bool safe_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("_.,:/=+@%-").find(c) != std::string_view::npos;
}

void append_line(std::string& out, std::string_view indent, const std::vector<std::string>& words) {
  out += indent;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i != 0) out += ' ';
    out += grub_word(words[i]);
  }
  out += '\n';
}

// The default, the timeout and the entries of `menu`. Each linux line starts with
// `locator`, GRUB script as it is (it tells the system where it booted from), then the
// parameters, quoted for GRUB.
std::string menu_entries_text(const MenuConfig& menu, const std::string& locator) {
  std::string out;
  if (!menu.entries.empty()) out += "set default=" + grub_word(menu.entries.front().id) + "\n";
  out += "set timeout=" + std::to_string(menu.timeout) + "\n";
  for (const auto& entry : menu.entries) {
    out += "\nmenuentry " + grub_word(entry.title) + " --id " + grub_word(entry.id) + " {\n";
    out += "  linux " + grub_word(kKernelPath) + " " + locator;
    for (const auto* params : {&menu.params, &entry.params}) {
      for (const auto& param : *params) out += " " + grub_word(grub_linux_arg(param));
    }
    out += '\n';
    append_line(out, "  ", {"initrd", std::string(kInitrdPath)});
    out += "}\n";
  }
  return out;
}

}  // namespace

std::vector<MenuEntry> menu_entries() {
  return {
      {"Berth", "berth", {}},
      {"Berth (no persistence)", "berth-nodata", {"berth.data=none"}},
      {"Berth (debug)", "berth-debug", {"berth.debug"}},
  };
}

std::string grub_word(std::string_view word) {
  if (!word.empty() && std::all_of(word.begin(), word.end(), safe_char)) return std::string(word);
  // Inside single quotes nothing is special but the closing quote; a quote in the word
  // closes the string, adds an escaped quote and opens a new string, as in sh.
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string medium_id_file(std::string_view id) {
  return std::string(kBootDir) + "/" + std::string(id) + ".id";
}

std::string grub_cfg(const MenuConfig& menu) {
  std::string out =
      "# The boot menu of this Berth medium, written by the boot-grub2 plugin. GRUB found\n"
      "# the medium by its /berth/boot/*.id file, set $root to it and $berth_medium to\n"
      "# its id, which the kernel gets as berth.medium.\n";
  // The medium word goes in unquoted, unlike every other: GRUB is to expand it.
  return out + menu_entries_text(
                   menu, std::string(kMediumParam) + "=${" + std::string(kMediumVariable) + "}");
}

std::string loopback_cfg(const MenuConfig& menu) {
  std::string out =
      "# The boot menu of this Berth ISO when GRUB boots the ISO file itself (loopback):\n"
      "# read after `loopback loop FILE` with $root at (loop) and $iso_path, exported, the\n"
      "# file's path on its filesystem. Written by the boot-grub2 plugin.\n"
      "set berth_iso_spec=\n"
      "if [ -z \"${iso_path}\" ]; then\n"
      "  echo \"Berth: iso_path is not set; the system will not find its ISO file\"\n"
      "elif search --no-floppy --set=berth_iso_dev --file \"${iso_path}\"; then\n"
      "  if probe --set=berth_iso_uuid --fs-uuid \"${berth_iso_dev}\"; then\n"
      "    set berth_iso_spec=\"UUID=${berth_iso_uuid}:\"\n"
      "  fi\n"
      "fi\n"
      "# Menu entries run in a new context that keeps only exported variables.\n"
      "export berth_iso_spec\n"
      "export iso_path\n";
  // Double quotes: GRUB expands the variables and keeps a path with blanks one word.
  return out +
         menu_entries_text(menu, "\"" + std::string(kIsoParam) + "=${berth_iso_spec}${iso_path}\"");
}

std::string serial_terminal_config() {
  return "serial --unit=0 --speed=115200\n"
         "terminal_input console serial\n"
         "terminal_output console serial\n";
}

std::string early_config(std::string_view id, bool serial) {
  std::string out;
  if (serial) {
    // First, so that an error from the search below shows on the serial port too.
    out += serial_terminal_config();
  }
  // On failure search prints "no such device: <id file>" and leaves $root at the boot
  // device: the right medium when booted by BIOS, the ESP under UEFI, where GRUB then
  // stops at its prompt instead of booting another medium's kernel.
  out += "search --no-floppy --set=root --file " + grub_word(medium_id_file(id)) + "\n";
  out += "set prefix=($root)" + std::string(kGrubDir) + "\n";
  // For the menu's linux lines. Normal mode runs grub.cfg in this same environment;
  // exported, the variable also reaches any config loaded with `configfile`. `export`
  // comes with the normal module, which both images have built in.
  const std::string variable(kMediumVariable);
  out += "set " + variable + "=" + grub_word(id) + "\n";
  out += "export " + variable + "\n";
  return out;
}

}  // namespace berth::boot_grub2
