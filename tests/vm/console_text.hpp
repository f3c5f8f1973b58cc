// Reading a serial console as text: the shell's CRs, ECMA-48 escape sequences (line editing,
// terminal queries) and kernel messages are noise around what a command printed. These
// functions find the command's output between the markers that QemuGuest::run wraps it in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth::vm {

// Drops CRs and CSI/OSC escape sequences; with `strip_kernel`, also every complete kernel
// message ("[    1.234567] text\n"), even one that landed in the middle of a line.
std::string clean_console(std::string_view raw, bool strip_kernel);

// The line typed into the shell for `command` under `tag`. The markers are written with an
// empty quoted string inside ("__B""_tag__"), so the echo of the typed line never contains
// the marker the shell prints. stdin is /dev/null: a command that reads it cannot swallow
// what we type next.
std::string wrap_command(std::string_view command, std::string_view tag);

struct CommandOutput {
  std::string output;
  int status = -1;
};

// The output and exit status of the command under `tag`, once its end marker and status are
// complete in `clean` (the output of clean_console).
std::optional<CommandOutput> find_command_output(std::string_view clean, std::string_view tag);

// The last line of `clean`, escape sequences removed.
std::string_view last_line(std::string_view clean);

// The last `bytes` of the console with control characters other than newline made visible,
// for error messages.
std::string printable_tail(std::string_view raw, std::size_t bytes = 2048);

}  // namespace berth::vm
