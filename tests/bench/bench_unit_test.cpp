// Unit tests of the benchmark's parsing: build-report size lines, the base image breakdown,
// the guest's boot timeline (init.log), the timeline table and its SVG chart.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "boot_measure.hpp"
#include "boot_timeline.hpp"
#include "init_log.hpp"
#include "size_breakdown.hpp"
#include "timeline_svg.hpp"

namespace berth::bench {
namespace {

TEST(BenchSizes, ReadsSizeLinesOnly) {
  const auto sizes = parse_report_sizes(
      "# build report\nsize\tkernel\t12345\nsize  modules   99\nstage\tbootstrap\t12.5\n"
      "size\tbroken\tx12\nsize\ttoo\tmany\t1\n");
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[0], (std::pair<std::string, std::uint64_t>{"kernel", 12345}));
  EXPECT_EQ(sizes[1], (std::pair<std::string, std::uint64_t>{"modules", 99}));
}

TEST(BenchSizes, ReadsStageTimes) {
  const auto stages = parse_report_stages(
      "stage\tbootstrap\t41.5\nhook\tbootstrap\tx/y\t41.5\nstage\tkernel\t3\n"
      "stage\tbad\t3s\nsize\tkernel\t1\n");
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0].first, "bootstrap");
  EXPECT_DOUBLE_EQ(stages[0].second, 41.5);
  EXPECT_EQ(stages[1].first, "kernel");
}

TEST(BenchSizes, ClassifiesFiles) {
  EXPECT_EQ(classify("usr/lib/modules/6.12.0-1-amd64/kernel/fs/overlayfs/overlay.ko"),
            "kernel modules");
  EXPECT_EQ(classify("usr/sbin/dockerd"), "docker binaries");
  EXPECT_EQ(classify("usr/bin/containerd-shim-runc-v2"), "docker binaries");
  EXPECT_EQ(classify("usr/libexec/docker/cli-plugins/docker-buildx"), "docker binaries");
  EXPECT_EQ(classify("usr/share/doc/docker/README"), "other userland");
  EXPECT_EQ(classify("usr/bin/busybox"), "other userland");
}

TEST(BenchSizes, ContentsSumsEstimatesPerComponentAndKeepsTheOrder) {
  const auto contents = parse_contents(
      "# header\n"
      "package\tdocker.io\t3\t1000\t400\n"
      "package\tjq\t1\t30\t10\n"
      "path\tusr/sbin/dockerd\tdocker.io\t900\t350\n"
      "path\tusr/lib/modules/6.12/kernel/fs/overlay.ko\t-\t200\t80\n"
      "path\tusr/bin/jq\tjq\t30\t10\n"
      "path\tusr/share/doc/a b/copyright\t-\t5\t4\n"
      "path\tbroken\tline\n"
      "path\tusr/bin/x\t-\tnot-a-number\t1\n");
  EXPECT_TRUE(contents.estimated);
  ASSERT_EQ(contents.packages.size(), 2u);
  EXPECT_EQ(contents.packages[0].name, "docker.io");
  ASSERT_EQ(contents.paths.size(), 4u);
  EXPECT_EQ(contents.paths[3].name, "usr/share/doc/a b/copyright");
  EXPECT_EQ(contents.components.at("docker binaries").xz, 350u);
  EXPECT_EQ(contents.components.at("kernel modules").xz, 80u);
  EXPECT_EQ(contents.components.at("other userland").xz, 14u);
  EXPECT_EQ(contents.components.at("other userland").bytes, 35u);
  EXPECT_FALSE(parse_contents("path\tusr/bin/jq\tjq\t30\t-\n").estimated);
}

TEST(BenchSizes, SumsRegularFilesFromTheListing) {
  const auto parts = breakdown_from_listing(
      "Parallel unsquashfs: Using 2 processors\n"
      "3 inodes (5 blocks) to write\n\n"
      "drwxr-xr-x root/root               120 2025-01-01 00:00 root\n"
      "-rwxr-xr-x root/root          94427160 2025-01-01 00:00 root/usr/sbin/dockerd\n"
      "-rw-r--r-- root/root              1000 2025-01-01 00:00 root/usr/lib/modules/v/a.ko\n"
      "-rw-r--r-- root/root               500 2025-01-01 00:00 root/etc/with space\n"
      "lrwxrwxrwx root/root                 7 2025-01-01 00:00 root/bin -> usr/bin\n"
      "crw-r--r-- root/root             5,  1 2025-01-01 00:00 root/dev/console\n");
  EXPECT_EQ(parts.at("docker binaries"), 94427160u);
  EXPECT_EQ(parts.at("kernel modules"), 1000u);
  EXPECT_EQ(parts.at("other userland"), 500u);
  EXPECT_EQ(parts.size(), 3u);
}

TEST(BenchEngineMemory, SumsRssAndPssOfEveryRollup) {
  const auto memory = sum_smaps_rollups(
      "55a0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:    40960 kB\nPss:   20480 kB\n"
      "Pss_Anon:  1024 kB\nRss:    10240 kB\nPss:   10240 kB\nbroken\n");
  EXPECT_DOUBLE_EQ(memory.rss_mib, 50);
  EXPECT_DOUBLE_EQ(memory.pss_mib, 30);
}

TEST(BenchStats, Median) {
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median({}), 0);
}

// What a BIOS CD boot of the test ISO writes (trimmed), with a line a crash cut short.
constexpr const char* kInitLog =
    "[1.84] init: /init started\r\n"
    "[1.95] init: starting (kernel 6.12.57+deb13-amd64)\n"
    "[2.20] init: loading drivers for the hardware present\n"
    "[3.25] init: early hook 40-persist\n"
    "[4.95] init: switching to /sbin/init\n"
    "[5.40] rc: start 10-devices\n"
    "[7.90] rc: 10-devices start done\n"
    "[7.91] rc: start 12-medium\n"
    "[8.10] rc: 12-medium start failed (exit status 1)\n"
    "[8.11] rc: start 70-docker\n"
    "[8.30] rc: 70-docker start done\n"
    "[8.31] docker: dockerd started (pid 812)\n"
    "[8.4\n"
    "[8.40] rc: start 90-banner\n"
    "[8.60] rc: 90-banner start done\n"
    "[8.61] rc: start finished, 1 failed\n"
    "[12.2] docker: containerd answering\n"
    "[24.9] docker: API answering (docker 26.1.5+dfsg1)\n";

TEST(BenchInitLog, ReadsEventsAndCountsMalformedLines) {
  const InitLog log = parse_init_log(kInitLog);
  EXPECT_EQ(log.malformed, 1);
  EXPECT_FALSE(log.truncated);
  ASSERT_EQ(log.events.size(), 17u);
  EXPECT_DOUBLE_EQ(log.events[0].uptime, 1.84);
  EXPECT_EQ(log.events[0].source, "init");
  EXPECT_EQ(log.events[0].event, "/init started");  // the CR is gone
  EXPECT_DOUBLE_EQ(log.events[16].uptime, 24.9);
  EXPECT_EQ(log.events[16].event, "API answering (docker 26.1.5+dfsg1)");
}

TEST(BenchInitLog, RejectsWhatIsNotAnEvent) {
  for (const char* line :
       {"", "no bracket", "[] init: x", "[1.2.3] init: x", "[-1] init: x", "[1e3] init: x",
        "[inf] init: x", "[1.0]init: x", "[1.0] init x", "[1.0] in it: x", "[1.0] : x",
        "[1.0] init:  x", "[1.0] init: ", "[?] rc: start 10-devices"}) {
    EXPECT_EQ(parse_init_log(line).events.size(), 0u) << line;
  }
  const InitLog odd = parse_init_log("[3] x.y-z_1: a\x1b[2Jb\n");
  ASSERT_EQ(odd.events.size(), 1u);
  EXPECT_EQ(odd.events[0].source, "x.y-z_1");
  EXPECT_EQ(odd.events[0].event, "a?[2Jb");
}

TEST(BenchInitLog, ReadsABoundedPart) {
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "[" + std::to_string(i) + ".0] rc: start x\n";
  const InitLog lines = parse_init_log(many);
  EXPECT_TRUE(lines.truncated);
  EXPECT_EQ(lines.events.size(), kMaxLogLines);

  const InitLog huge =
      parse_init_log("[1.0] init: " + std::string(1 << 20, 'x') + "\n[2.0] init: y");
  EXPECT_TRUE(huge.truncated);
  EXPECT_EQ(huge.malformed, 1);
  EXPECT_TRUE(huge.events.empty());
}

TEST(BenchInitLog, StepsLastUntilTheirEndOrTheirSourcesNextLine) {
  const auto steps = guest_steps(parse_init_log(kInitLog));
  std::vector<std::string> names;
  for (const auto& step : steps) names.push_back(step.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "kernel: start, unpacking the initramfs",
                       "init: /init started",
                       "init: starting (kernel 6.12.57+deb13-amd64)",
                       "init: loading drivers for the hardware present",
                       "init: early hook 40-persist",
                       "init: switching to /sbin/init",
                       "rc: start 10-devices",
                       "rc: start 12-medium (failed)",
                       "rc: start 70-docker",
                       "docker: dockerd started",
                       "rc: start 90-banner",
                       "rc: start finished, 1 failed",
                       "docker: containerd answering",
                       "docker: API answering (docker 26.1.5+dfsg1)",
                   }));
  const auto duration = [&steps](std::size_t i) { return steps.at(i).duration.value_or(-1); };
  EXPECT_DOUBLE_EQ(duration(0), 1.84);   // kernel, to /init's first line
  EXPECT_NEAR(duration(5), 0.45, 1e-9);  // switch_root and busybox init, to the first service
  EXPECT_NEAR(duration(6), 2.50, 1e-9);  // 10-devices, start to end
  EXPECT_NEAR(duration(7), 0.19, 1e-9);
  EXPECT_NEAR(duration(9), 3.89, 1e-9);   // dockerd started -> containerd answering
  EXPECT_NEAR(duration(12), 12.7, 1e-9);  // containerd -> the API
  EXPECT_FALSE(steps[11].duration);
  EXPECT_FALSE(steps[13].duration);
  EXPECT_DOUBLE_EQ(steps[13].start, 24.9);
}

TEST(BenchInitLog, AStepThatComesAgainIsNumbered) {
  const auto steps = guest_steps(parse_init_log(
      "[1] docker: dockerd started (pid 5)\n[2] docker: dockerd exited (status 1)\n"
      "[3] docker: dockerd started (pid 9)\n[4] docker: API answering (docker 1)\n"));
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[1].name, "docker: dockerd started");
  EXPECT_EQ(steps[3].name, "docker: dockerd started #2");
  EXPECT_DOUBLE_EQ(*steps[3].duration, 1);
}

TEST(BenchInitLog, AServiceWithoutAnEndHasNoDurationAndAClockGoingBackNone) {
  const auto steps =
      guest_steps(parse_init_log("[5] rc: start 10-a\n[4] docker: x\n[3] docker: y\n"));
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_FALSE(steps[1].duration);
  EXPECT_FALSE(steps[2].duration);
}

BootTimeline bios_cd() {
  HostMarks host;
  host.grub_menu = 2.5;
  host.grub_booting = 8.0;
  host.kernel_start = 20.0;
  return compose_timeline("BIOS CD", host, parse_init_log(kInitLog), std::pair(30.0, 31.5));
}

TEST(BenchTimeline, HostStepsThenGuestStepsOnTheHostClock) {
  const BootTimeline boot = bios_cd();
  ASSERT_GE(boot.steps.size(), 5u);
  EXPECT_EQ(boot.steps[0].name, "firmware: to GRUB's menu");
  EXPECT_DOUBLE_EQ(*boot.steps[0].duration, 2.5);
  EXPECT_EQ(boot.steps[1].name, "GRUB: menu, until its timeout");
  EXPECT_DOUBLE_EQ(*boot.steps[1].duration, 5.5);
  EXPECT_EQ(boot.steps[2].name, "GRUB: loading kernel and initrd");
  EXPECT_DOUBLE_EQ(boot.steps[2].start, 8.0);
  EXPECT_DOUBLE_EQ(*boot.steps[2].duration, 12.0);
  EXPECT_EQ(boot.steps[3].name, "kernel: start, unpacking the initramfs");
  EXPECT_DOUBLE_EQ(boot.steps[3].start, 20.0);
  EXPECT_DOUBLE_EQ(*boot.docker_answered, 44.9);
  EXPECT_EQ(boot.steps.back().name, kDockerRunStep);
  EXPECT_DOUBLE_EQ(boot.steps.back().start, 50.0);
  EXPECT_DOUBLE_EQ(*boot.steps.back().duration, 1.5);
  EXPECT_EQ(boot.malformed_lines, 1);

  HostMarks direct;
  direct.boot_loader = false;
  direct.kernel_start = 1.5;
  const BootTimeline d = compose_timeline("direct kernel", direct, parse_init_log(""), {});
  ASSERT_EQ(d.steps.size(), 1u);
  EXPECT_EQ(d.steps[0].name, "qemu: loading kernel and initrd (direct boot)");
  EXPECT_FALSE(d.docker_answered);

  HostMarks silent;  // no GRUB on the serial console
  silent.kernel_start = 9;
  EXPECT_EQ(compose_timeline("x", silent, {}, {}).steps.at(0).name, "firmware and GRUB");
}

TEST(BenchTimeline, TableMergesTheBootsStepsInOrder) {
  HostMarks direct_host;
  direct_host.boot_loader = false;
  direct_host.kernel_start = 1.0;
  const BootTimeline direct = compose_timeline(
      "direct kernel", direct_host,
      parse_init_log("[1.5] init: /init started\n[2.0] init: only here\n[3.0] rc: start 10-a\n"
                     "[3.5] rc: 10-a start done\n[9.0] docker: API answering (docker 1)\n"),
      {});
  const std::string table = timeline_table({direct, bios_cd()});
  std::istringstream in(table);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[0], "| step | direct kernel | BIOS CD |");
  EXPECT_EQ(lines[1], "|---|---:|---:|");
  const auto at = [&lines](const std::string& name) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].rfind("| " + name + " |", 0) == 0) return i;
    }
    return lines.size();
  };
  // Every step of either boot has its row, in that boot's order.
  for (const auto& boot : {direct, bios_cd()}) {
    std::size_t previous = 1;
    for (const auto& step : boot.steps) {
      EXPECT_GT(at(step.name), previous) << boot.mode << ": " << step.name;
      EXPECT_LT(at(step.name), lines.size() - 1) << step.name;
      previous = at(step.name);
    }
  }
  EXPECT_EQ(lines.size(), 2 + merged_step_names({direct, bios_cd()}).size() + 1);
  EXPECT_EQ(lines.at(at("qemu: loading kernel and initrd (direct boot)")),
            "| qemu: loading kernel and initrd (direct boot) | 1.00 (at 0.0) |  |");
  EXPECT_EQ(lines.at(at("init: /init started")),
            "| init: /init started | 0.50 (at 2.5) | 0.11 (at 21.8) |");
  EXPECT_EQ(lines.at(at("rc: start 10-a")), "| rc: start 10-a | 0.50 (at 4.0) |  |");
  EXPECT_EQ(lines.at(at("docker: API answering (docker 1)")),
            "| docker: API answering (docker 1) | at 10.0 |  |");
  EXPECT_EQ(lines.back(),
            "| **Docker answering: from qemu's start / from the kernel's** | **10.0 / 9.0** | "
            "**44.9 / 24.9** |");
}

TEST(BenchTimeline, LongestStepsFirst) {
  const auto longest = longest_steps(bios_cd(), 3);
  ASSERT_EQ(longest.size(), 3u);
  EXPECT_EQ(longest[0].name, "docker: containerd answering");
  EXPECT_EQ(longest[1].name, "GRUB: loading kernel and initrd");
  EXPECT_EQ(longest[2].name, "GRUB: menu, until its timeout");
}

TEST(BenchChart, OneBarPerStepAndBootOnASharedTimeAxis) {
  BootTimeline other = bios_cd();
  other.mode = "UEFI <CD> & co";
  const std::string svg = timeline_svg({bios_cd(), other}, "Boot \"timeline\"");
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_NE(svg.find(">Boot &quot;timeline&quot;</text>"), std::string::npos);
  EXPECT_NE(svg.find(">UEFI &lt;CD&gt; &amp; co (Docker answering at 44.9 s)</text>"),
            std::string::npos);
  EXPECT_EQ(svg.find("<CD>"), std::string::npos);
  // A bar per step with a duration and a dot per event without one, for each boot.
  const auto count = [&svg](const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1)) ++n;
    return n;
  };
  std::size_t with_duration = 0;
  for (const auto& step : bios_cd().steps) with_duration += step.duration ? 1 : 0;
  EXPECT_EQ(count("</title></rect>"), 2 * with_duration);
  EXPECT_EQ(count("</title></circle>"), 2 * (bios_cd().steps.size() - with_duration));
  // 51.5 s in all: the axis runs to 55 s in 5 s ticks over 760 px from x = 402; the
  // dockerd step starts at 20 + 8.31 s.
  EXPECT_NE(svg.find(">55</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">60</text>"), std::string::npos);
  const std::regex dockerd_bar(
      "<rect x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\"[^>]*>"
      "<title>BIOS CD: docker: dockerd started, at 28.3 s, 3.9 s");
  std::smatch bar;
  ASSERT_TRUE(std::regex_search(svg, bar, dockerd_bar)) << svg;
  EXPECT_NEAR(std::stod(bar[1]), 402 + 28.31 * 760 / 55, 0.1);
  EXPECT_NEAR(std::stod(bar[2]), 3.89 * 760 / 55, 0.1);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(BenchChart, LongStepNamesAreCutToTheirColumn) {
  HostMarks host;
  host.kernel_start = 1;
  const std::string name = std::string(55, 'n') + " and more";
  const std::string svg = timeline_svg(
      {compose_timeline("x", host, parse_init_log("[1.0] init: " + name + "\n"), {})}, "t");
  const std::string shown = "init: " + std::string(51, 'n') + "...";
  EXPECT_NE(svg.find("<title>init: " + name + "</title>" + shown + "</text>"), std::string::npos)
      << svg;
}

TEST(BenchChart, LinkIsRelativeToTheDocument) {
  EXPECT_EQ(chart_link("docs/bench/a.svg", "BENCHMARKS.md"), "docs/bench/a.svg");
  EXPECT_EQ(chart_link("docs/bench/a.svg", "./BENCHMARKS.md"), "docs/bench/a.svg");
  EXPECT_EQ(chart_link("/x/docs/bench/a.svg", "/x/BENCHMARKS.md"), "docs/bench/a.svg");
  EXPECT_EQ(chart_link("/x/charts/a.svg", "/x/docs/notes.md"), "../charts/a.svg");
}

TEST(BenchChart, EscapesEverythingItDoesNotWriteItself) {
  EXPECT_EQ(xml_escape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&apos;?");
  // No boots, no steps: still a whole document.
  const std::string empty = timeline_svg({}, "none");
  EXPECT_NE(empty.find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace berth::bench
