// berth-bench: measures a build's output and appends the numbers to BENCHMARKS.md.
//   berth-bench --out-dir out [--append BENCHMARKS.md] [--boots 3] [--memory 1024]
//               [--baseline-initrd build/vm-fixtures/harness-initrd.img] [--log-dir DIR]
//               [--image-archive build/vm-fixtures/busybox-image.tar] [--no-boot]
//               [--timeline-modes direct,bios-cd,uefi-cd,bios-usb] [--timeline-only]
//               [--no-timeline] [--chart-dir DIR]
// Sizes: the ISO and its parts, the base image by component, the build report's size lines.
// Boots (direct kernel, qemu TCG, 2 vCPUs): guest uptime and host wall clock until `docker info`
// first answers, memory in use at idle; the median of --boots boots. With a baseline initrd
// (the VM harness's busybox shell), the same kernel's boot to a shell is measured too, and the
// ratio against it is the number to compare across machines. With an image archive, the
// same boot with a data volume attached (empty, then holding ten images) is measured too.
// The boot timeline: one boot per boot mode, each step from qemu's start to Docker answering
// and the first `docker run` (the guest's /run/berth/init.log joined with what the host saw
// of firmware and GRUB), as a table and as an SVG chart in --chart-dir (default docs/bench
// next to the --append file), linked from the table.
// No pass/fail: it reports.
#include <unistd.h>

#include <berth/sdk/error.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "boot_measure.hpp"
#include "boot_timeline.hpp"
#include "import_measure.hpp"
#include "initrd_member.hpp"
#include "install_measure.hpp"
#include "persistence_measure.hpp"
#include "size_breakdown.hpp"
#include "timeline_measure.hpp"
#include "timeline_svg.hpp"

namespace {

namespace fs = std::filesystem;
using berth::sdk::Error;

// Where fs-squashfs puts its images in the initrd.
constexpr const char* kBaseImageMember = "berth/base.squashfs";
constexpr const char* kFastImageMember = "berth/fast.squashfs";

struct Options {
  fs::path out_dir;
  fs::path append;
  fs::path baseline_initrd;
  fs::path image_archive;
  std::vector<fs::path> import_archives;
  fs::path log_dir = "build/bench-logs";
  std::string squashfs_member = kBaseImageMember;
  int boots = 3;
  int memory_mib = 1024;
  bool boot = true;
  bool install = false;       // --install: berth install to a 4 GiB disk, plain and encrypted
  double ram_only_ready = 0;  // given: skip the RAM-only and baseline boots
  std::vector<std::string> timeline_modes = {"direct", "bios-cd", "uefi-cd", "bios-usb"};
  bool timeline_only = false;  // the sizes and the timeline; no other boots
  fs::path chart_dir;          // default: docs/bench next to `append`
};

// The boot modes of --timeline-modes: name on the command line, in the table, qemu's mode.
struct TimelineMode {
  const char* option;
  const char* title;
  berth::vm::BootMode mode;
};
constexpr TimelineMode kTimelineModes[] = {
    {"direct", "direct kernel", berth::vm::BootMode::DirectKernel},
    {"bios-cd", "BIOS CD", berth::vm::BootMode::SeabiosCd},
    {"uefi-cd", "UEFI CD", berth::vm::BootMode::OvmfCd},
    {"bios-usb", "BIOS USB", berth::vm::BootMode::SeabiosUsb},
    {"uefi-usb", "UEFI USB", berth::vm::BootMode::OvmfUsb},
};

const TimelineMode& timeline_mode(const std::string& option) {
  for (const auto& mode : kTimelineModes) {
    if (option == mode.option) return mode;
  }
  throw Error("--timeline-modes: unknown boot mode '" + option +
              "' (direct, bios-cd, uefi-cd, bios-usb, uefi-usb)");
}

constexpr const char* kUsage =
    "usage: berth-bench --out-dir DIR [--append FILE] [--boots N] [--memory MIB]\n"
    "                   [--baseline-initrd FILE] [--log-dir DIR] [--squashfs-member PATH]\n"
    "                   [--image-archive FILE] [--import-archive FILE]... [--no-boot]\n"
    "                   [--install]  (berth install from the ISO: plain, encrypted, unlock)\n"
    "                   [--ram-only-ready SECONDS]  (a docker-ready time measured before:\n"
    "                   skips the RAM-only boots, measures import and persistence only)\n"
    "                   [--timeline-modes direct,bios-cd,uefi-cd,bios-usb,uefi-usb]\n"
    "                   [--timeline-only | --no-timeline] [--chart-dir DIR]\n";

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--no-boot") {
      o.boot = false;
      continue;
    }
    if (arg == "--install") {
      o.install = true;
      continue;
    }
    if (arg == "--timeline-only" || arg == "--no-timeline") {
      o.timeline_only = arg == "--timeline-only";
      if (arg == "--no-timeline") o.timeline_modes.clear();
      continue;
    }
    if (i + 1 >= argc) throw Error("missing value for " + arg + "\n" + kUsage);
    const std::string value = argv[++i];
    if (arg == "--out-dir")
      o.out_dir = value;
    else if (arg == "--append")
      o.append = value;
    else if (arg == "--baseline-initrd")
      o.baseline_initrd = value;
    else if (arg == "--image-archive")
      o.image_archive = value;
    else if (arg == "--ram-only-ready")
      o.ram_only_ready = std::stod(value);
    else if (arg == "--import-archive")
      o.import_archives.push_back(value);
    else if (arg == "--log-dir")
      o.log_dir = value;
    else if (arg == "--squashfs-member")
      o.squashfs_member = value;
    else if (arg == "--boots")
      o.boots = std::stoi(value);
    else if (arg == "--memory")
      o.memory_mib = std::stoi(value);
    else if (arg == "--chart-dir")
      o.chart_dir = value;
    else if (arg == "--timeline-modes") {
      o.timeline_modes.clear();
      std::istringstream modes(value);
      for (std::string mode; std::getline(modes, mode, ',');) {
        timeline_mode(mode);
        o.timeline_modes.push_back(mode);
      }
    } else
      throw Error("unknown option " + arg + "\n" + kUsage);
  }
  if (o.out_dir.empty()) throw Error(std::string("--out-dir is required\n") + kUsage);
  if (o.boots < 1) throw Error("--boots must be at least 1");
  if (o.timeline_only && o.timeline_modes.empty())
    throw Error("--timeline-only with no timeline modes");
  if (o.chart_dir.empty()) {
    o.chart_dir = (o.append.empty() ? o.log_dir : o.append.parent_path()) / "docs/bench";
  }
  return o;
}

std::string command_output(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return {};
  std::string out;
  char buffer[4096];
  while (const size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, n);
  return out;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string cpu_model() {
  std::istringstream in(read_file("/proc/cpuinfo"));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("model name")) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

std::string mib(std::uint64_t bytes) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0);
  return s.str();
}

std::string fixed(double value, int decimals = 1) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(decimals) << value;
  return s.str();
}

std::string samples(const std::vector<double>& values, int decimals = 1) {
  std::string out;
  for (const double v : values) out += (out.empty() ? "" : ", ") + fixed(v, decimals);
  return out;
}

std::uint64_t size_of(const fs::path& path) {
  return fs::is_regular_file(path) ? fs::file_size(path) : 0;
}

// From out/contents.txt: each component's own compressed size (not pro rata), and the
// biggest packages and files, which is where a diet starts.
void contents_tables(const std::string& text, std::ostream& md) {
  const auto contents = berth::bench::parse_contents(text);
  // Hundredths: a package's share is often a fraction of a MiB.
  const auto mib2 = [](std::uint64_t bytes) {
    return fixed(static_cast<double>(bytes) / 1048576.0, 2);
  };
  if (contents.paths.empty()) return;
  const char* xz_head = contents.estimated ? "MiB xz (est.)" : "MiB xz (not estimated)";
  md << "\nBase image by component (contents.txt: each file compressed alone as mksquashfs "
        "does, so small files count a little high):\n\n"
     << "| component | MiB unpacked | " << xz_head << " |\n|---|---:|---:|\n";
  for (const auto& [name, c] : contents.components) {
    md << "| " << name << " | " << mib2(c.bytes) << " | " << mib2(c.xz) << " |\n";
  }
  constexpr std::size_t kTop = 15;
  const auto top = [&md, xz_head, &mib2](const std::string& what,
                                         const std::vector<berth::bench::ContentsEntry>& entries) {
    md << "\n"
       << what << ", biggest first:\n\n| " << what << " | MiB unpacked | " << xz_head
       << " |\n|---|---:|---:|\n";
    for (std::size_t i = 0; i < entries.size() && i < kTop; ++i) {
      md << "| " << entries[i].name << " | " << mib2(entries[i].bytes) << " | "
         << mib2(entries[i].xz) << " |\n";
    }
  };
  top("packages", contents.packages);
  top("paths", contents.paths);
}

void size_section(const Options& o, std::ostream& md) {
  const fs::path iso = o.out_dir / "berth.iso";
  const fs::path kernel = o.out_dir / "vmlinuz";
  const fs::path initrd = o.out_dir / "initrd.img";
  const std::uint64_t iso_b = size_of(iso), kernel_b = size_of(kernel), initrd_b = size_of(initrd);

  // The base image and, when the build packed one, the fast image (fs-squashfs: Docker's
  // engine in zstd) beside it in the initrd.
  std::uint64_t squash_b = 0;
  std::uint64_t fast_b = 0;
  std::map<std::string, std::uint64_t> parts;
  const auto measure = [&](const std::string& member) -> std::uint64_t {
    const fs::path image =
        fs::temp_directory_path() / ("berth-bench-" + std::to_string(::getpid()) + ".squashfs");
    if (initrd_b == 0 || !berth::bench::extract_initrd_member(initrd, member, image)) return 0;
    const std::uint64_t bytes = fs::file_size(image);
    for (const auto& [name, unpacked] : berth::bench::breakdown_from_listing(command_output(
             "unsquashfs -no-progress -lls -d root '" + image.string() + "' 2>/dev/null"))) {
      parts[name] += unpacked;
    }
    fs::remove(image);
    return bytes;
  };
  squash_b = measure(o.squashfs_member);
  if (o.squashfs_member == kBaseImageMember) fast_b = measure(kFastImageMember);

  // A missing file is shown as such, not as 0 bytes.
  const auto row = [&md](const std::string& what, const fs::path& file, std::uint64_t bytes) {
    if (fs::is_regular_file(file)) {
      md << "| " << what << " | " << mib(bytes) << " | " << bytes << " |\n";
    } else {
      md << "| " << what << " | missing | " << file.string() << " |\n";
    }
  };
  md << "| ISO | MiB | bytes |\n|---|---:|---:|\n";
  row("berth.iso", iso, iso_b);
  row("kernel (vmlinuz)", kernel, kernel_b);
  row("initrd.img", initrd, initrd_b);
  if (squash_b > 0) {
    md << "| - base image (" << o.squashfs_member << ") | " << mib(squash_b) << " | " << squash_b
       << " |\n";
    if (fast_b > 0) {
      md << "| - fast image (" << kFastImageMember << ": Docker's engine) | " << mib(fast_b)
         << " | " << fast_b << " |\n";
    }
    const std::uint64_t images = squash_b + fast_b;
    const std::uint64_t rest = initrd_b > images ? initrd_b - images : 0;
    md << "| - rest of the initramfs (busybox, /init, early modules) | " << mib(rest) << " | "
       << rest << " |\n";
  }
  if (iso_b > 0 && kernel_b > 0 && initrd_b > 0) {
    const std::uint64_t boot = kernel_b + initrd_b < iso_b ? iso_b - kernel_b - initrd_b : 0;
    md << "| GRUB, ESP and ISO 9660 overhead | " << mib(boot) << " | " << boot << " |\n";
  }

  // contents.txt's estimate, when the build made one, measures each component itself and
  // counts a hard-linked file once (the multicall engine answers to four names); the
  // listing cannot tell links apart, so its pro-rata table is only a fallback.
  const std::string contents = read_file(o.out_dir / "contents.txt");
  if (!parts.empty() && !berth::bench::parse_contents(contents).estimated) {
    std::uint64_t total = 0;
    for (const auto& [name, bytes] : parts) total += bytes;
    md << "\nBase image by component (files unpacked; the compressed share is estimated pro rata "
          "from the squashfs size):\n\n"
       << "| component | MiB unpacked | est. MiB in the ISO |\n|---|---:|---:|\n";
    for (const auto& [name, bytes] : parts) {
      const double share = total > 0 ? static_cast<double>(bytes) / static_cast<double>(total) : 0;
      md << "| " << name << " | " << mib(bytes) << " | "
         << mib(static_cast<std::uint64_t>(share * static_cast<double>(squash_b + fast_b)))
         << " |\n";
    }
  }

  contents_tables(contents, md);

  const std::string report = read_file(o.out_dir / "build-report.txt");
  const auto reported = berth::bench::parse_report_sizes(report);
  if (!reported.empty()) {
    md << "\nSizes from build-report.txt:\n\n| component | MiB | bytes |\n|---|---:|---:|\n";
    for (const auto& [name, bytes] : reported) {
      md << "| " << name << " | " << mib(bytes) << " | " << bytes << " |\n";
    }
  }
  const auto stages = berth::bench::parse_report_stages(report);
  if (!stages.empty()) {
    double total = 0;
    std::string per_stage;
    for (const auto& [stage, seconds] : stages) {
      total += seconds;
      per_stage += (per_stage.empty() ? "" : ", ") + stage + " " + fixed(seconds);
    }
    md << "\nBuild time (build-report.txt): " << fixed(total) << " s (" << per_stage << ")\n";
  }
}

berth::vm::GuestOptions guest(const Options& o, const fs::path& initrd, const std::string& name) {
  berth::vm::GuestOptions g;
  g.mode = berth::vm::BootMode::DirectKernel;
  g.kernel = o.out_dir / "vmlinuz";
  g.initrd = initrd;
  // The VM tests' debugging knobs work here too.
  const char* append = std::getenv("BERTH_VM_APPEND");
  g.append = append != nullptr ? append : berth::vm::kDirectBootAppend;
  if (const char* extra = std::getenv("BERTH_VM_QEMU_ARGS")) {
    std::istringstream args(extra);
    for (std::string arg; args >> arg;) g.extra_args.push_back(arg);
  }
  g.memory_mib = o.memory_mib;
  g.log_file = o.log_dir / (name + ".log");
  return g;
}

// Returns the median guest uptime at docker ready.
double boot_section(const Options& o, std::ostream& md) {
  std::vector<double> uptime, wall, used, engine_rss, engine_pss, base_wall, base_uptime;
  for (int i = 1; i <= o.boots; ++i) {
    std::cerr << "berth-bench: docker boot " << i << "/" << o.boots << "...\n";
    const auto s = berth::bench::measure_docker_boot(
        guest(o, o.out_dir / "initrd.img", "docker-boot-" + std::to_string(i)), 10);
    uptime.push_back(s.uptime_s);
    wall.push_back(s.wall_s);
    used.push_back(*s.used_mib);
    engine_rss.push_back(*s.engine_rss_mib);
    engine_pss.push_back(*s.engine_pss_mib);
    if (!o.baseline_initrd.empty()) {
      std::cerr << "berth-bench: baseline boot " << i << "/" << o.boots << "...\n";
      const auto b = berth::bench::measure_shell_boot(
          guest(o, o.baseline_initrd, "baseline-boot-" + std::to_string(i)));
      base_wall.push_back(b.wall_s);
      base_uptime.push_back(b.uptime_s);
    }
  }
  using berth::bench::median;
  md << "\nBoot, direct kernel (qemu TCG, 2 vCPUs, " << o.memory_mib << " MiB), median of "
     << o.boots << ":\n\n| measure | median | samples |\n|---|---:|---|\n";
  md << "| docker ready: guest uptime (s) | " << fixed(median(uptime)) << " | " << samples(uptime)
     << " |\n";
  md << "| docker ready: host wall clock from qemu start (s) | " << fixed(median(wall)) << " | "
     << samples(wall) << " |\n";
  md << "| memory in use at idle, `free -m` (MiB) | " << fixed(median(used), 0) << " | "
     << samples(used, 0) << " |\n";
  md << "| dockerd + containerd at idle, RSS (MiB) | " << fixed(median(engine_rss), 1) << " | "
     << samples(engine_rss, 1) << " |\n";
  md << "| dockerd + containerd at idle, PSS (MiB) | " << fixed(median(engine_pss), 1) << " | "
     << samples(engine_pss, 1) << " |\n";
  if (!base_wall.empty()) {
    md << "| baseline, same kernel + busybox shell initramfs: guest uptime (s) | "
       << fixed(median(base_uptime)) << " | " << samples(base_uptime) << " |\n";
    md << "| baseline: host wall clock (s) | " << fixed(median(base_wall)) << " | "
       << samples(base_wall) << " |\n";
    md << "| docker ready / baseline, wall clock | " << fixed(median(wall) / median(base_wall), 2)
       << " | |\n";
  }
  return median(uptime);
}

// One boot per mode; the table, the longest steps of each boot, and the chart.
void timeline_section(const Options& o, const std::string& stamp, std::ostream& md) {
  // TCG times grow with whatever else the host runs: the load says how busy it was.
  const std::string load_before = first_line(read_file("/proc/loadavg"));
  std::vector<berth::bench::BootTimeline> boots;
  for (const auto& option : o.timeline_modes) {
    const TimelineMode& mode = timeline_mode(option);
    std::cerr << "berth-bench: timeline boot, " << mode.title << "...\n";
    berth::vm::GuestOptions g = guest(o, o.out_dir / "initrd.img", "timeline-" + option);
    g.mode = mode.mode;
    g.iso = o.out_dir / "berth.iso";
    boots.push_back(berth::bench::measure_timeline(g, mode.title, o.image_archive));
  }

  // The numbers are worth more than the chart: a chart that cannot be written is said so.
  std::string chart_text;
  try {
    const fs::path chart = o.chart_dir / ("boot-timeline-" + stamp + ".svg");
    fs::create_directories(o.chart_dir);
    std::ofstream out(chart, std::ios::binary | std::ios::trunc);
    out << berth::bench::timeline_svg(
        boots, "Berth boot timeline, " + o.out_dir.filename().string() + " (" + stamp + ")");
    if (!out.flush()) throw Error(chart.string() + ": cannot write");
    const std::string link =
        berth::bench::chart_link(chart, o.append.empty() ? fs::path("BENCHMARKS.md") : o.append);
    chart_text = "Chart: [" + link + "](" + link + ").";
  } catch (const std::exception& e) {
    chart_text = std::string("No chart: ") + first_line(e.what()) + ".";
  }

  md << "\nBoot timeline, one boot per mode (qemu TCG, 2 vCPUs, " << o.memory_mib
     << " MiB): each step's duration in seconds (at: seconds since qemu started). " << chart_text
     << " Host load (/proc/loadavg) before: " << load_before
     << "; after: " << first_line(read_file("/proc/loadavg")) << ".\n\n"
     << berth::bench::timeline_table(boots);
  md << "\nLongest steps (docker's steps run beside the later services):\n\n";
  for (const auto& boot : boots) {
    md << "- " << boot.mode << ":";
    std::string separator = " ";
    for (const auto& step : berth::bench::longest_steps(boot, 6)) {
      md << separator << step.name << " " << fixed(*step.duration) << " s";
      separator = "; ";
    }
    md << "\n";
    if (boot.malformed_lines > 0 || boot.log_truncated) {
      md << "  (init.log: " << boot.malformed_lines << " malformed lines skipped"
         << (boot.log_truncated ? ", the rest of a long log not read" : "") << ")\n";
    }
  }
}

void import_section(const Options& o, double ram_only_ready, std::ostream& md) {
  using berth::bench::median;
  const auto measured = berth::bench::measure_import(
      [&o](const std::string& name) { return guest(o, o.out_dir / "initrd.img", name); },
      o.import_archives, o.log_dir / "scratch", o.boots);
  md << "\nImage import (" << o.import_archives.size() << " archives holding " << measured.images
     << " images in berth/images/ on an ext4 disk), median of " << o.boots
     << ":\n\n| measure | median | samples |\n|---|---:|---|\n";
  md << "| boot to every archive imported: guest uptime (s) | "
     << fixed(median(measured.imported_s)) << " | " << samples(measured.imported_s) << " |\n";
  md << "| ... after docker ready (s) | " << fixed(median(measured.imported_s) - ram_only_ready)
     << " | |\n";
  const double load = median(measured.docker_load_s);
  const double import = median(measured.berth_import_s);
  md << "| `docker load` of " << fixed(measured.archive_mib) << " MiB (s) | " << fixed(load, 2)
     << " | " << samples(measured.docker_load_s, 2) << " |\n";
  md << "| `berth import` of the same (s) | " << fixed(import, 2) << " | "
     << samples(measured.berth_import_s, 2) << " |\n";
  if (load > 0 && import > 0) {
    md << "| throughput: docker load / berth import (MiB/s) | "
       << fixed(measured.archive_mib / load, 2) << " / " << fixed(measured.archive_mib / import, 2)
       << " | |\n";
    md << "| berth import overhead | " << fixed((import / load - 1) * 100, 0) << " % | |\n";
  }
}

void persistence_section(const Options& o, double ram_only_ready, std::ostream& md) {
  using berth::bench::median;
  const auto measured = berth::bench::measure_persistence(
      [&o](const std::string& name) { return guest(o, o.out_dir / "initrd.img", name); },
      o.image_archive, o.log_dir / "scratch", o.boots);
  md << "\nWith a data volume (ext4 BERTH-DATA on a virtio disk), median of " << o.boots
     << ":\n\n| measure | median | samples |\n|---|---:|---|\n";
  md << "| docker ready, empty data volume: guest uptime (s) | "
     << fixed(median(measured.empty_volume_s)) << " | " << samples(measured.empty_volume_s)
     << " |\n";
  md << "| extra boot time with persistence (s, vs RAM only above) | "
     << fixed(median(measured.empty_volume_s) - ram_only_ready) << " | |\n";
  md << "| docker ready, 10 images on the data volume: guest uptime (s) | "
     << fixed(median(measured.ten_images_s)) << " | " << samples(measured.ten_images_s) << " |\n";
}

void install_section(const Options& o, std::ostream& md) {
  using berth::bench::median;
  const auto measured = berth::bench::measure_install(
      [&o](berth::vm::BootMode mode, const std::string& name) {
        berth::vm::GuestOptions g = guest(o, o.out_dir / "initrd.img", name);
        g.mode = mode;
        g.iso = o.out_dir / "berth.iso";
        return g;
      },
      o.log_dir / "scratch", o.boots);
  md << "\n`berth install` from the ISO (CD) to a blank 4 GiB virtio disk, median of " << o.boots
     << ":\n\n| measure | median | samples |\n|---|---:|---|\n";
  md << "| full install (s) | " << fixed(median(measured.plain_s)) << " | "
     << samples(measured.plain_s) << " |\n";
  md << "| full install, LUKS2 data volume (argon2id, key file) (s) | "
     << fixed(median(measured.encrypted_s)) << " | " << samples(measured.encrypted_s) << " |\n";
  md << "| unlock at boot: cryptsetup open, default cost (s) | "
     << fixed(median(measured.unlock_s), 2) << " | " << samples(measured.unlock_s, 2) << " |\n";
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (!fs::is_directory(o.out_dir)) throw Error(o.out_dir.string() + ": no such directory");

  std::ostringstream md;
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::ostringstream stamp;
  stamp << std::put_time(&tm, "%Y%m%d-%H%M");
  md << "\n## " << std::put_time(&tm, "%Y-%m-%d %H:%M UTC") << " — " << o.out_dir.string()
     << "\n\nMachine: " << std::thread::hardware_concurrency() << " CPUs, " << cpu_model() << ", "
     << first_line(command_output("qemu-system-x86_64 --version")) << "\n\n";
  size_section(o, md);

  int status = 0;
  if (o.boot && !o.timeline_modes.empty()) {
    try {
      timeline_section(o, stamp.str(), md);
    } catch (const std::exception& e) {
      md << "\nBoot timeline failed: " << first_line(e.what()) << " (logs in " << o.log_dir.string()
         << ")\n";
      std::cerr << "berth-bench: " << e.what() << '\n';
      status = 1;
    }
  }
  if (o.boot && !o.timeline_only) {
    try {
      const double ram_only_ready = o.ram_only_ready > 0 ? o.ram_only_ready : boot_section(o, md);
      if (!o.import_archives.empty()) import_section(o, ram_only_ready, md);
      if (!o.image_archive.empty()) persistence_section(o, ram_only_ready, md);
      if (o.install) install_section(o, md);
    } catch (const std::exception& e) {
      md << "\nBoot measurement failed: " << first_line(e.what()) << " (logs in "
         << o.log_dir.string() << ")\n";
      std::cerr << "berth-bench: " << e.what() << '\n';
      status = 1;
    }
  }

  std::cout << md.str();
  if (!o.append.empty()) {
    const bool fresh = !fs::exists(o.append);
    std::ofstream out(o.append, std::ios::app);
    if (fresh)
      out << "# Berth benchmarks\n\nAppended by `make bench` (tests/bench). Times are "
             "under qemu TCG: compare ratios, not absolute seconds, across machines.\n";
    out << md.str();
    if (!out.flush()) throw Error(o.append.string() + ": cannot append");
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "berth-bench: " << e.what() << '\n';
    return 1;
  }
}
