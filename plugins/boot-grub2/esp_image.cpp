#include "esp_image.hpp"

#include <chrono>

#include "commands.hpp"

namespace berth::boot_grub2 {

std::uint64_t write_esp_image(sdk::BuildContext& ctx, const std::filesystem::path& efi_binary,
                              const std::filesystem::path& image, const std::string& serial_hex) {
  namespace fs = std::filesystem;
  // mtools stamps the directories it makes with SOURCE_DATE_EPOCH and mcopy -m gives the
  // file the binary's own mtime: both the build's time stamp, so the image is reproducible.
  const std::chrono::sys_seconds epoch{std::chrono::seconds{ctx.source_date_epoch()}};
  fs::last_write_time(efi_binary, std::chrono::file_clock::from_sys(epoch));
  sdk::RunOptions options;
  options.env["SOURCE_DATE_EPOCH"] = std::to_string(ctx.source_date_epoch());

  fs::remove(image);
  ctx.run(mformat_args(image, esp_sectors(fs::file_size(efi_binary)), serial_hex), options);
  ctx.run(mmd_args(image, {"/EFI", "/EFI/BOOT"}), options);
  ctx.run(mcopy_args(image, efi_binary, "/EFI/BOOT/BOOTX64.EFI"), options);
  return fs::file_size(image);
}

}  // namespace berth::boot_grub2
