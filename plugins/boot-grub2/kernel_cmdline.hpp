// Kernel command lines: splitting the user's extra parameters the way the kernel does,
// and the parameters every menu entry gets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth::boot_grub2 {

// The serial console GRUB and the kernel use: the first port at 115200 baud, 8N1.
inline constexpr std::string_view kSerialConsole = "ttyS0,115200";

// Splits like the kernel's parser: at blanks outside double quotes, so foo="a b" stays one
// parameter. Throws sdk::Error on an unbalanced quote or a control character.
std::vector<std::string> split_kernel_cmdline(std::string_view text);

// The argument of GRUB's linux command that makes the kernel see `param`. GRUB builds the
// command line itself: it puts an argument holding a blank in double quotes and adds a
// backslash before every ", ' and \ (which the kernel keeps). So the kernel's own quotes
// ("a=b c" or a="b c") are dropped here and GRUB adds equivalent ones back. Throws
// sdk::Error for ' and \, and for quotes elsewhere, which no argument can carry through.
std::string grub_linux_arg(std::string_view param);

// The parameters of the default entry: the consoles (when `serial`), then the user's own,
// so a console= of the user's comes last and wins /dev/console.
std::vector<std::string> kernel_params(bool serial, const std::vector<std::string>& extra);

// Parameters joined with single blanks, as the kernel sees them.
std::string join_cmdline(const std::vector<std::string>& params);

}  // namespace berth::boot_grub2
