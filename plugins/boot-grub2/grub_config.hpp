// The two GRUB configurations: the early one built into both GRUB images, which finds
// this medium, and the menu (grub.cfg) on the medium.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::boot_grub2 {

// Where things live on the medium (DESIGN.md section 3: boot files under /berth/boot/).
inline constexpr std::string_view kBootDir = "/berth/boot";
inline constexpr std::string_view kGrubDir = "/berth/boot/grub";  // GRUB's $prefix
inline constexpr std::string_view kKernelPath = "/berth/boot/vmlinuz";
inline constexpr std::string_view kInitrdPath = "/berth/boot/initrd.img";

// The GRUB variable the early config sets to the medium id, and the kernel parameter
// every menu entry passes it on as, so the system can find the medium again
// (rc.d/12-medium). grub.cfg holds only the variable, never the id: the id is a hash
// over grub.cfg, among others.
inline constexpr std::string_view kMediumVariable = "berth_medium";
inline constexpr std::string_view kMediumParam = "berth.medium";

// /berth/boot/<id>.id: the file that marks the medium with this id.
std::string medium_id_file(std::string_view id);

struct MenuEntry {
  std::string title;
  std::string id;                   // GRUB's --id, what `set default` names
  std::vector<std::string> params;  // added after the default parameters
};

// The three entries of DESIGN.md section 3; the first is the default.
std::vector<MenuEntry> menu_entries();

struct MenuConfig {
  std::int64_t timeout = 5;
  std::vector<std::string> params;  // kernel parameters of the default entry, kernel syntax
  std::vector<MenuEntry> entries;
};

// grub.cfg: the menu, read with the full GRUB script parser. Each linux line starts with
// berth.medium=${berth_medium}, left for GRUB to expand, then the parameters (so a
// berth.medium= of the user's comes later and wins). Throws sdk::Error for a parameter
// GRUB cannot pass on (see grub_linux_arg).
std::string grub_cfg(const MenuConfig& menu);

// Where GRUB loopback tools (and a hand-written `loopback loop FILE; set root=(loop);
// configfile /boot/grub/loopback.cfg`) look for an ISO's own menu.
inline constexpr std::string_view kLoopbackCfgPath = "/boot/grub/loopback.cfg";
// The kernel parameter that tells the initramfs where the ISO file is.
inline constexpr std::string_view kIsoParam = "berth.iso";

// loopback.cfg: the menu of grub_cfg() for booting the ISO *file*. By convention it is
// read after `loopback loop FILE` with $root set to (loop) and $iso_path (exported) the
// file's path on its filesystem. It looks up that filesystem's UUID (search --file,
// probe --fs-uuid) so each linux line passes berth.iso=UUID=<uuid>:${iso_path}, or
// berth.iso=${iso_path} alone (every disk is searched) when GRUB cannot tell the UUID,
// instead of berth.medium. Throws sdk::Error as grub_cfg() does.
std::string loopback_cfg(const MenuConfig& menu);

// The config built into the GRUB images. It runs before the menu, under GRUB's rescue
// parser (no if/else: one command per line, variables expanded). It looks for the file
// medium_id_file(id), which no other medium has, rather than a name every Berth medium
// (or GRUB's own memdisk) shares, so GRUB reads the menu and the kernel from the medium
// it booted from even with a second Berth stick plugged in. It sets $berth_medium to
// `id` for the menu.
std::string early_config(std::string_view id, bool serial);

// GRUB's console and serial terminal (ttyS0, 115200 baud) together: what both early
// configs start with when the medium has a serial console.
std::string serial_terminal_config();

// One word of GRUB script: as it is when it holds only safe characters, otherwise in
// single quotes (GRUB would expand $, split at blanks, and treat ; { } # specially).
std::string grub_word(std::string_view word);

}  // namespace berth::boot_grub2
