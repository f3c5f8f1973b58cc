#include "import_measure.hpp"

#include <berth/sdk/error.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "qemu_guest.hpp"

namespace berth::bench {

namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

void run_host(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw sdk::Error("failed: " + command);
}

fs::path images_disk(const fs::path& dir, const std::vector<fs::path>& archives) {
  const fs::path tree = dir / "import-tree";
  fs::remove_all(tree);
  fs::create_directories(tree / "berth/images");
  for (const auto& archive : archives) {
    fs::copy_file(archive, tree / "berth/images" / archive.filename());
  }
  const fs::path disk = dir / "import-disk.img";
  run_host("mkfs.ext4 -q -F -L IMAGES -d '" + tree.string() + "' '" + disk.string() + "' 256M");
  return disk;
}

std::string last_line(const std::string& text) {
  std::string line;
  std::istringstream lines(text);
  for (std::string next; std::getline(lines, next);) {
    if (next.find_first_not_of(" \r") != std::string::npos) line = next;
  }
  return line;
}

double seconds_of(vm::QemuGuest& guest, const std::string& command) {
  const std::string out = guest
                              .check("a=$(cut -d' ' -f1 /proc/uptime); " + command +
                                         " >/dev/null 2>&1; b=$(cut -d' ' -f1 /proc/uptime); "
                                         "awk -v a=$a -v b=$b 'BEGIN { print b - a }'",
                                     seconds(600))
                              .output;
  return std::stod(last_line(out));
}

}  // namespace

ImportSamples measure_import(const std::function<vm::GuestOptions(const std::string&)>& guest_for,
                             const std::vector<fs::path>& archives, const fs::path& scratch_dir,
                             int boots) {
  if (archives.empty()) throw sdk::Error("no archives to import");
  fs::create_directories(scratch_dir);
  const fs::path disk = images_disk(scratch_dir, archives);
  fs::path largest = archives.front();
  for (const auto& archive : archives) {
    if (fs::file_size(archive) > fs::file_size(largest)) largest = archive;
  }
  ImportSamples samples;
  samples.archive_mib = static_cast<double>(fs::file_size(largest)) / (1024.0 * 1024.0);
  for (int i = 1; i <= boots; ++i) {
    std::cerr << "berth-bench: import boot " << i << "/" << boots << "...\n";
    vm::GuestOptions options = guest_for("import-" + std::to_string(i));
    options.disks.push_back({disk, true, "bench-images"});
    vm::QemuGuest guest(options);
    guest.wait_for_shell();
    // In the guest: the uptime when the boot import's summary reaches the log.
    const std::string at =
        guest
            .check(
                "end=$(( $(cut -d. -f1 /proc/uptime) + 600 )); until grep -q "
                "'import: .* imported, .* unchanged, .* failed' /var/log/messages 2>/dev/null; do "
                "[ \"$(cut -d. -f1 /proc/uptime)\" -ge \"$end\" ] && break; sleep 0.2; done; "
                "cut -d' ' -f1 /proc/uptime",
                seconds(1200))
            .output;
    // The last line: the importer's own console lines may come before it.
    samples.imported_s.push_back(std::stod(last_line(at)));
    samples.images = std::stoi(last_line(guest.check("docker images -q | sort -u | wc -l").output));

    const std::string file = "/run/bench-" + largest.filename().string();
    guest.check(
        "d=$(for d in /sys/block/*; do [ \"$(cat $d/serial 2>/dev/null)\" = bench-images ] && "
        "echo ${d##*/}; done; true); mkdir -p /run/x && mount -o ro,noload /dev/$d /run/x && "
        "cp /run/x/berth/images/" +
            largest.filename().string() + " " + file + " && umount /run/x",
        seconds(300));
    const std::string remove_all =
        "docker rmi -f $(docker images -q) >/dev/null 2>&1; rm -rf /var/lib/berth/import";
    guest.check(remove_all, seconds(300));
    samples.docker_load_s.push_back(seconds_of(guest, "docker load -q -i " + file));
    guest.check(remove_all, seconds(300));
    samples.berth_import_s.push_back(seconds_of(guest, "berth import " + file));
    guest.poweroff(seconds(120));
  }
  fs::remove(disk);
  return samples;
}

}  // namespace berth::bench
