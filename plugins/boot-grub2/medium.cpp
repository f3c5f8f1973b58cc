#include "medium.hpp"

#include <fstream>

#include "berth/sdk/error.hpp"
#include "commands.hpp"
#include "disk_boot_files.hpp"
#include "esp_image.hpp"
#include "grub_config.hpp"
#include "grub_modules.hpp"
#include "grub_tree.hpp"
#include "kernel_cmdline.hpp"
#include "medium_id.hpp"

namespace berth::boot_grub2 {

namespace {

namespace fs = std::filesystem;

// The bytes of the MBR that GRUB's boot_hybrid.img fills: the boot code before the
// partition table.
constexpr std::uint64_t kMbrCodeBytes = 446;

// The kernel or initrd an earlier stage made: the published fact, else the file the
// contract puts in the output directory.
fs::path boot_input(const sdk::BuildContext& ctx, const char* fact, const char* file_name) {
  const fs::path path = ctx.lookup(fact).value_or((ctx.output_dir() / file_name).string());
  if (!fs::is_regular_file(path)) {
    throw sdk::Error("boot-grub2: no " + std::string(file_name) + " at " + path.string() +
                     " (fact " + fact + "): did the kernel and initramfs stages run?");
  }
  return path;
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw sdk::Error(file.string() + ": cannot write");
}

// Only this build's id file may be on the medium, even if the ISO tree is reused.
void remove_stale_ids(const fs::path& boot_dir, const fs::path& keep) {
  for (const auto& entry : fs::directory_iterator(boot_dir)) {
    if (entry.path().extension() == ".id" && entry.path() != keep) fs::remove(entry.path());
  }
}

}  // namespace

void build_medium(sdk::BuildContext& ctx, const Settings& settings) {
  const fs::path kernel = boot_input(ctx, sdk::facts::kKernelImage, "vmlinuz");
  const fs::path initrd = boot_input(ctx, sdk::facts::kInitrd, "initrd.img");

  const GrubTree grub = GrubTree::prepare(ctx);
  ctx.record_packages(grub.medium_packages());
  const ModuleChoice modules =
      choose_modules(settings.serial, settings.modules, grub.available_modules(Platform::bios),
                     grub.available_modules(Platform::efi));
  if (!modules.unknown.empty()) {
    ctx.config().fail("modules", "no GRUB module '" + modules.unknown.front() + "' in " +
                                     "grub-pc-bin or grub-efi-amd64-bin " + grub.version());
  }
  ctx.info("GRUB " + grub.version() + "; BIOS modules: " + join_cmdline(modules.bios) +
           "; UEFI modules: " + join_cmdline(modules.efi));

  // The ISO tree: kernel, initrd, the menu and the id file under /berth/boot/.
  const fs::path iso = ctx.iso_root();
  const fs::path boot_dir = iso / fs::path(kBootDir).relative_path();
  const fs::path grub_dir = iso / fs::path(kGrubDir).relative_path();
  fs::create_directories(grub_dir);
  const auto overwrite = fs::copy_options::overwrite_existing;
  fs::copy_file(kernel, iso / fs::path(kKernelPath).relative_path(), overwrite);
  fs::copy_file(initrd, iso / fs::path(kInitrdPath).relative_path(), overwrite);

  const std::vector<std::string> params = kernel_params(settings.serial, settings.cmdline);
  const fs::path grub_cfg_file = grub_dir / "grub.cfg";
  write_file(grub_cfg_file, grub_cfg({settings.timeout, params, menu_entries()}));
  // The same menu for GRUB booting the ISO file from a disk (berth.iso=).
  const fs::path loopback_file = iso / fs::path(kLoopbackCfgPath).relative_path();
  fs::create_directories(loopback_file.parent_path());
  write_file(loopback_file, loopback_cfg({settings.timeout, params, menu_entries()}));

  const std::string id =
      medium_id(settings.volume_id, ctx.source_date_epoch(), {kernel, initrd, grub_cfg_file});
  const fs::path id_file = iso / fs::path(medium_id_file(id)).relative_path();
  write_file(id_file,
             "This file tells GRUB and the system it boots which medium they "
             "booted from: Berth " +
                 ctx.berth_version() + ", volume " + settings.volume_id + ".\n");
  remove_stale_ids(boot_dir, id_file);

  // The two GRUB images, each with the modules and the early config built in: no module
  // directory on the medium.
  const fs::path work = ctx.work_dir();
  const fs::path early_cfg = work / "early.cfg";
  write_file(early_cfg, early_config(id, settings.serial));
  const fs::path bios_image = grub_dir / "bios.img";
  const fs::path efi_binary = work / "BOOTX64.EFI";
  ctx.run(mkimage_args(grub.launcher(), {grub.mkimage(), grub.platform_dir(Platform::bios),
                                         Platform::bios, early_cfg, bios_image, modules.bios}));
  ctx.run(mkimage_args(grub.launcher(), {grub.mkimage(), grub.platform_dir(Platform::efi),
                                         Platform::efi, early_cfg, efi_binary, modules.efi}));
  const fs::path esp = work / "esp.img";
  const std::uint64_t esp_bytes = write_esp_image(ctx, efi_binary, esp, id.substr(0, 8));

  // What `berth install` writes to a disk: GRUB for the disk, the menu's parameters.
  const std::uint64_t disk_bytes =
      write_disk_boot_files(ctx, grub, {settings.serial, settings.modules, params});

  const fs::path iso_file = ctx.output_dir() / "berth.iso";
  fs::remove(iso_file);
  IsoJob job;
  job.tree = iso;
  job.output = iso_file;
  job.volume_id = settings.volume_id;
  job.preparer = "Berth " + ctx.berth_version();
  job.epoch = ctx.source_date_epoch();
  job.mbr_image = grub.boot_hybrid();  // from the same GRUB as the core it loads
  job.bios_image = std::string(kGrubDir) + "/bios.img";
  job.catalog = std::string(kGrubDir) + "/boot.cat";
  job.esp_image = esp;
  ctx.run(xorriso_args(job));

  const std::uint64_t grub_bytes = fs::file_size(bios_image) + kMbrCodeBytes + esp_bytes +
                                   fs::file_size(grub_cfg_file) + fs::file_size(id_file);
  ctx.report_size("grub", grub_bytes);
  ctx.report_size("grub-disk", disk_bytes);
  ctx.publish(sdk::facts::kKernelCmdline, join_cmdline(params));
  ctx.publish("boot.medium_id", id);
  ctx.info("berth.iso: " + std::to_string(fs::file_size(iso_file)) + " bytes, GRUB " +
           std::to_string(grub_bytes) + " (BIOS core " + std::to_string(fs::file_size(bios_image)) +
           ", ESP " + std::to_string(esp_bytes) + "); medium id " + id);
}

}  // namespace berth::boot_grub2
