#include "disk_boot_files.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "berth/sdk/error.hpp"
#include "commands.hpp"
#include "disk_boot.hpp"
#include "grub_config.hpp"
#include "kernel_cmdline.hpp"

namespace berth::boot_grub2 {

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sdk::Error(file.string() + ": cannot read");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out.flush()) throw sdk::Error(file.string() + ": cannot write");
}

std::vector<std::string> with_extra(std::vector<std::string> modules,
                                    const std::vector<std::string>& extra,
                                    const std::set<std::string>& available) {
  for (const auto& name : extra) {
    if (available.count(name) != 0 &&
        std::find(modules.begin(), modules.end(), name) == modules.end()) {
      modules.push_back(name);
    }
  }
  return modules;
}

}  // namespace

std::uint64_t write_disk_boot_files(sdk::BuildContext& ctx, const GrubTree& grub,
                                    const DiskBootJob& job) {
  const fs::path dir = ctx.iso_root() / fs::path(kDiskDir).relative_path();
  fs::create_directories(dir);
  const fs::path work = ctx.work_dir();
  const fs::path early_cfg = work / "disk-early.cfg";
  write_bytes(early_cfg, disk_early_config(job.serial));

  // BIOS: the core, then its pointers patched for the BIOS boot partition.
  const fs::path core = work / "disk-core.img";
  MkimageJob bios{grub.mkimage(),
                  grub.platform_dir(Platform::bios),
                  Platform::bios,
                  early_cfg,
                  core,
                  with_extra(disk_modules(Platform::bios, job.serial), job.extra_modules,
                             grub.available_modules(Platform::bios)),
                  std::string(kDiskBiosPrefix),
                  "i386-pc"};
  // grub-mkimage's i386-pc format is diskboot.img followed by the core.
  ctx.run(mkimage_args(grub.launcher(), bios));
  write_bytes(dir / "bios-core.img", bios_core_at(read_bytes(core), kBiosCoreLba));
  write_bytes(
      dir / "bios-boot.img",
      bios_boot_code(read_bytes(grub.platform_dir(Platform::bios) / "boot.img"), kBiosCoreLba));

  MkimageJob efi{grub.mkimage(),
                 grub.platform_dir(Platform::efi),
                 Platform::efi,
                 early_cfg,
                 dir / "bootx64.efi",
                 with_extra(disk_modules(Platform::efi, job.serial), job.extra_modules,
                            grub.available_modules(Platform::efi)),
                 std::string(kDiskEfiPrefix)};
  ctx.run(mkimage_args(grub.launcher(), efi));

  std::string params;
  for (const auto& param : job.linux_params) {
    params += (params.empty() ? "" : " ") + grub_word(grub_linux_arg(param));
  }
  write_bytes(dir / "linux-params", params + "\n");

  std::uint64_t total = 0;
  for (const char* name : {"bios-boot.img", "bios-core.img", "bootx64.efi", "linux-params"}) {
    total += fs::file_size(dir / name);
  }
  return total;
}

}  // namespace berth::boot_grub2
