// kernel-source's logic that needs no compiler: Kconfig fragments, the check that every
// requested option stuck, the cache key, source tree names and digests, the settings,
// and the fragments the plugin ships.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "berth/sdk/error.hpp"
#include "cache_key.hpp"
#include "kconfig.hpp"
#include "object_flags.hpp"
#include "settings.hpp"
#include "source_tree.hpp"
#include "test_paths.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
namespace sdk = berth::sdk;
using namespace berth::kernel_source;
using berth::test::read_file;
using berth::test::TempDir;

fs::path fragment_dir() {
  return fs::path(BERTH_SOURCE_DIR) / "plugins/kernel-source/files/fragments";
}

std::vector<Request> shipped(const std::string& name) {
  return parse_fragment(read_file(fragment_dir() / name), name);
}

// --- Fragments

TEST(KernelSourceFragment, ReadsAssignmentsAndNotSetLinesWithTheirOrigin) {
  const auto requests = parse_fragment(
      "# a comment\n\nCONFIG_OVERLAY_FS=y\n  CONFIG_VXLAN=m  \n# CONFIG_SOUND is not set\n"
      "CONFIG_LOCALVERSION=\"-kali\"\nCONFIG_NR_CPUS=64\nCONFIG_PHYSICAL_START=0x1000000\n",
      "my.config");
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[0].option, "OVERLAY_FS");
  EXPECT_EQ(requests[0].value, "y");
  EXPECT_EQ(requests[0].origin, "my.config:3");
  EXPECT_EQ(requests[1].value, "m");
  EXPECT_EQ(requests[2].option, "SOUND");
  EXPECT_EQ(requests[2].value, "n");
  EXPECT_EQ(requests[3].value, "\"-kali\"");
  EXPECT_EQ(requests[4].value, "64");
  EXPECT_EQ(requests[5].value, "0x1000000");
}

TEST(KernelSourceFragment, ALineThatIsNoAssignmentNamesFileAndLine) {
  try {
    parse_fragment("CONFIG_A=y\nenable overlay\n", "user.config");
    FAIL() << "no error";
  } catch (const sdk::Error& error) {
    EXPECT_NE(std::string(error.what()).find("user.config:2"), std::string::npos) << error.what();
  }
}

TEST(KernelSourceFragment, RefusesBadNamesAndValues) {
  EXPECT_THROW(parse_fragment("CONFIG_lower=y\n", "f"), sdk::Error);
  EXPECT_THROW(parse_fragment("CONFIG_A=yes\n", "f"), sdk::Error);
  EXPECT_THROW(parse_fragment("CONFIG_A=\"unterminated\n", "f"), sdk::Error);
  EXPECT_THROW(parse_fragment("CONFIG_A=\"a\"b\"\n", "f"), sdk::Error);
  EXPECT_THROW(parse_fragment("CONFIG_A=$(shell id)\n", "f"), sdk::Error);
  EXPECT_THROW(parse_fragment(std::string(2 << 20, '#'), "f"), sdk::Error);
  EXPECT_NO_THROW(parse_fragment("CONFIG_A=\"quote \\\" inside\"\n", "f"));
}

TEST(KernelSourceFragment, SingleOptionsTakeTheirNameWithOrWithoutPrefix) {
  EXPECT_EQ(make_request("CONFIG_DRM_I915", "m", "toml").option, "DRM_I915");
  EXPECT_EQ(make_request("DRM_I915", "m", "toml").option, "DRM_I915");
  EXPECT_THROW(make_request("DRM I915", "m", "toml"), sdk::Error);
}

// --- Merging into a .config

TEST(KernelSourceMerge, ReplacesInPlaceAppendsTheRestAndTheLastWordWins) {
  const std::string config =
      "#\n# Linux/x86 6.12.118 Kernel Configuration\n#\nCONFIG_A=y\n# CONFIG_B is not set\n"
      "CONFIG_C=m\n";
  const std::vector<Request> requests = {
      {"B", "y", "f:1"}, {"A", "n", "f:2"}, {"D", "m", "f:3"}, {"D", "y", "g:1"}};
  const std::string merged = apply_requests(config, requests);
  EXPECT_EQ(merged,
            "#\n# Linux/x86 6.12.118 Kernel Configuration\n#\n# CONFIG_A is not set\nCONFIG_B=y\n"
            "CONFIG_C=m\nCONFIG_D=y\n");
  const auto values = parse_config(merged);
  EXPECT_EQ(values.at("A"), "n");
  EXPECT_EQ(values.at("D"), "y");
  EXPECT_EQ(values.count("Linux/x86"), 0u);
}

// --- Did every request stick?

TEST(KernelSourceCheck, ReportsADroppedOptionWithTheFragmentThatAskedForIt) {
  const std::map<std::string, std::string> final_config = {{"VETH", "y"}, {"BRIDGE", "y"}};
  const std::vector<Request> requests = {{"VETH", "y", "docker.config:40"},
                                         {"BRIDGE_VLAN_FILTERING", "y", "docker.config:43"}};
  const auto problems = unhonoured_requests(final_config, requests);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("CONFIG_BRIDGE_VLAN_FILTERING=y"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("docker.config:43"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("gone"), std::string::npos) << problems[0];
}

TEST(KernelSourceCheck, BuiltInWhereAModuleWasAskedIsFineButNotTheOtherWayRound) {
  const std::map<std::string, std::string> final_config = {{"A", "y"}, {"B", "m"}};
  EXPECT_TRUE(unhonoured_requests(final_config, {{"A", "m", "f:1"}}).empty());
  const auto problems = unhonoured_requests(final_config, {{"B", "y", "f:2"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("final config has m"), std::string::npos) << problems[0];
}

TEST(KernelSourceCheck, NotSetIsHonouredByAnAbsentOptionAndALaterRequestDecides) {
  const std::map<std::string, std::string> final_config = {{"DRM_I915", "m"}};
  EXPECT_TRUE(unhonoured_requests(final_config, {{"SOUND", "n", "size.config:3"}}).empty());
  // size.config turns i915 off, the user's fragment turns it back on as a module.
  EXPECT_TRUE(unhonoured_requests(final_config, {{"DRM_I915", "n", "size.config:9"},
                                                 {"DRM_I915", "m", "kali.config:1"}})
                  .empty());
  const auto problems = unhonoured_requests(final_config, {{"DRM_I915", "n", "size.config:9"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("size.config:9"), std::string::npos);
}

TEST(KernelSourceCheck, StringValuesMustMatchExactly) {
  const std::map<std::string, std::string> final_config = {{"LOCALVERSION", "\"-berth\""}};
  EXPECT_TRUE(unhonoured_requests(final_config, {{"LOCALVERSION", "\"-berth\"", "f:1"}}).empty());
  EXPECT_EQ(unhonoured_requests(final_config, {{"LOCALVERSION", "\"-kali\"", "f:1"}}).size(), 1u);
}

// --- Cache key

TEST(KernelSourceCacheKey, ChangesWithEveryInputAndOnlyWithThem) {
  const BuildInputs base{
      "linux-source-6.12_6.12.118-1", {}, "CONFIG_A=y\n", "gcc 12.2.0\nld 2.40", {}};
  const std::string key = cache_key(base);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(cache_key(base), key);
  std::set<std::string> keys = {key};
  auto changed = base;
  changed.source_id = "linux-source-6.12_6.12.119-1";
  keys.insert(cache_key(changed));
  changed = base;
  changed.patch_hashes = {"aa"};
  keys.insert(cache_key(changed));
  changed = base;
  changed.config = "CONFIG_A=m\n";
  keys.insert(cache_key(changed));
  changed = base;
  changed.toolchain = "gcc 14.2.0\nld 2.44";
  keys.insert(cache_key(changed));
  changed = base;
  changed.make_variables = {"CFLAGS_xz_dec_lzma2.o=-O2"};
  keys.insert(cache_key(changed));
  EXPECT_EQ(keys.size(), 6u);
}

// The image decoders stay fast in a kernel built for size, and only there.
TEST(KernelSourceBuild, DecodersAreCompiledForSpeedInAKernelBuiltForSize) {
  const std::string sized = "# comment\nCONFIG_CC_OPTIMIZE_FOR_SIZE=y\nCONFIG_SQUASHFS=y\n";
  const auto flags = object_flags(sized);
  EXPECT_NE(std::find(flags.begin(), flags.end(), "CFLAGS_decompress/zstd_decompress_block.o=-O2"),
            flags.end());
  EXPECT_NE(std::find(flags.begin(), flags.end(), "CFLAGS_xz_dec_lzma2.o=-O2"), flags.end());
  EXPECT_TRUE(object_flags("CONFIG_CC_OPTIMIZE_FOR_PERFORMANCE=y\n").empty());
  EXPECT_TRUE(object_flags("# CONFIG_CC_OPTIMIZE_FOR_SIZE is not set\n").empty());
}

TEST(KernelSourceCacheKey, FieldBoundariesCannotBeImitated) {
  const BuildInputs one{"a", {"b"}, "c", "d", {}};
  const BuildInputs other{"a\npatch 1\nb", {}, "c", "d", {}};
  EXPECT_NE(cache_key(one), cache_key(other));
}

// --- Source trees

TEST(KernelSourceTree, IdsAreDirectoryNamesAndPatchesMakeTheirOwnTree) {
  EXPECT_EQ(tree_id("linux-source-6.12_6.12.118-1", {}), "linux-source-6.12_6.12.118-1");
  EXPECT_EQ(tree_id("a/../b c", {}), "a_.._b_c");
  const std::string patched = tree_id("linux-source-6.12_6.12.118-1", {"ab", "cd"});
  EXPECT_TRUE(patched.starts_with("linux-source-6.12_6.12.118-1+")) << patched;
  EXPECT_NE(patched, tree_id("linux-source-6.12_6.12.118-1", {"cd", "ab"}));
}

TEST(KernelSourceTree, DirectoryDigestDependsOnContentsNotOnWhereTheTreeIs) {
  TempDir one;
  TempDir two;
  for (const auto* dir : {&one, &two}) {
    dir->write("Makefile", "VERSION = 6\n");
    dir->write("arch/x86/Kconfig", "config X86\n");
    fs::create_symlink("Kconfig", dir->path() / "arch/x86/link");
  }
  two.write(".git/HEAD", "ref: refs/heads/kali\n");  // not part of the source
  EXPECT_EQ(directory_digest(one.path()), directory_digest(two.path()));
  two.write("arch/x86/Kconfig", "config X86_64\n");
  EXPECT_NE(directory_digest(one.path()), directory_digest(two.path()));
}

TEST(KernelSourceTree, PicksTheVersionedSourcePackage) {
  const std::vector<sdk::FetchedPackage> fetched = {{"binutils", "2.44-3", "b.deb"},
                                                    {"linux-source", "6.12.118-1", "m.deb"},
                                                    {"linux-source-6.12", "6.12.118-1", "s.deb"}};
  EXPECT_EQ(pick_source_package(fetched, "linux-source").name, "linux-source-6.12");
  EXPECT_THROW(pick_source_package({fetched[0], fetched[1]}, "linux-source"), sdk::Error);
  auto two = fetched;
  two.push_back({"linux-source-6.16", "6.16.3-1", "t.deb"});
  EXPECT_THROW(pick_source_package(two, "linux-source"), sdk::Error);
}

// --- Settings

sdk::ConfigValue text(const std::string& value) {
  return {value, "berth.toml:9"};
}

TEST(KernelSourceSettings, DefaultsBuildDebiansSourceOnDefconfigWithTheSizeFragment) {
  const sdk::ConfigTable config("kernel", "berth.toml:1");
  const auto settings = read_settings(config);
  EXPECT_EQ(settings.package, "linux-source");
  EXPECT_EQ(settings.base, "defconfig");
  EXPECT_TRUE(settings.size);
  EXPECT_EQ(settings.modules.modules, std::vector<std::string>{"kernel/"});
  EXPECT_TRUE(settings.modules.early_modules.empty());
}

TEST(KernelSourceSettings, OptionsBecomeKconfigValues) {
  auto options = std::make_shared<sdk::ConfigTable>("kernel.options", "berth.toml:5");
  options->set("DRM_I915", text("m"));
  options->set("LOCALVERSION", text("-kali \"x\""));
  options->set("SOUND", {false, "berth.toml:7"});
  options->set("NR_CPUS", {std::int64_t{64}, "berth.toml:8"});
  sdk::ConfigTable config("kernel", "berth.toml:1");
  config.set("options", {sdk::ConfigValue::Table(options), "berth.toml:5"});
  const auto settings = read_settings(config);
  std::map<std::string, std::string> values;
  for (const auto& request : settings.options) values[request.option] = request.value;
  EXPECT_EQ(values.at("DRM_I915"), "m");
  EXPECT_EQ(values.at("LOCALVERSION"), "\"-kali \\\"x\\\"\"");
  EXPECT_EQ(values.at("SOUND"), "n");
  EXPECT_EQ(values.at("NR_CPUS"), "64");
}

TEST(KernelSourceSettings, RefusesMalformedSettings) {
  auto with = [](const std::string& key, const sdk::ConfigValue& value) {
    sdk::ConfigTable config("kernel", "berth.toml:1");
    config.set(key, value);
    return config;
  };
  EXPECT_THROW(read_settings(with("sha256", text("abc"))), sdk::ConfigError);
  EXPECT_THROW(read_settings(with("sha256", text(std::string(64, 'a')))), sdk::ConfigError)
      << "a sha256 without a source tarball";
  EXPECT_THROW(read_settings(with("base", text("source"))), sdk::ConfigError);
  EXPECT_THROW(read_settings(with("jobs", {std::int64_t{-1}, "x"})), sdk::ConfigError);
  auto both = with("package", text("linux-source-6.12"));
  both.set("source", text("/src/linux"));
  EXPECT_THROW(read_settings(both), sdk::ConfigError);
  auto options = std::make_shared<sdk::ConfigTable>("kernel.options", "berth.toml:5");
  options->set("bad name", text("y"));
  EXPECT_THROW(read_settings(with("options", {sdk::ConfigValue::Table(options), "x"})),
               sdk::ConfigError);
}

// --- The fragments the plugin ships

TEST(KernelSourceShippedFragments, ParseAndNeverContradictEachOther) {
  std::map<std::string, Request> seen;
  for (const char* name : {"berth.config", "docker.config", "hardware.config", "size.config"}) {
    for (const auto& request : shipped(name)) {
      auto [it, added] = seen.emplace(request.option, request);
      EXPECT_TRUE(added || it->second.value == request.value)
          << request.origin << " sets " << request.option << " to " << request.value << ", "
          << it->second.origin << " to " << it->second.value;
    }
  }
}

// Moby's contrib/check-config.sh (docker 26.1), "Generally Necessary" for a 6.x kernel,
// and its optional items that Berth's features use: the Docker fragment asks for each.
TEST(KernelSourceShippedFragments, DockerFragmentAsksForWhatCheckConfigNeeds) {
  std::map<std::string, std::string> asked;
  for (const auto& request : shipped("docker.config")) asked[request.option] = request.value;
  for (const char* option :
       {"NAMESPACES", "NET_NS", "PID_NS", "IPC_NS", "UTS_NS", "CGROUPS", "CGROUP_CPUACCT",
        "CGROUP_DEVICE", "CGROUP_FREEZER", "CGROUP_SCHED", "CPUSETS", "MEMCG", "KEYS", "VETH",
        "BRIDGE", "BRIDGE_NETFILTER", "IP_NF_FILTER", "IP_NF_MANGLE", "IP_NF_TARGET_MASQUERADE",
        "NETFILTER_XT_MATCH_ADDRTYPE", "NETFILTER_XT_MATCH_CONNTRACK", "NETFILTER_XT_MATCH_IPVS",
        "NETFILTER_XT_MARK", "IP_NF_NAT", "NF_NAT", "POSIX_MQUEUE", "CGROUP_BPF",
        // optional, used by Berth
        "USER_NS", "SECCOMP", "SECCOMP_FILTER", "CGROUP_PIDS", "VXLAN", "BRIDGE_VLAN_FILTERING",
        "IPVLAN", "MACVLAN", "IP_VS", "IP_VS_NFCT", "IP_VS_RR", "XFRM_USER", "INET_ESP",
        "CRYPTO_GCM", "OVERLAY_FS", "EXT4_FS", "SQUASHFS", "SQUASHFS_ZSTD", "SQUASHFS_XZ",
        "BLK_DEV_LOOP", "DM_CRYPT", "CRYPTO_XTS", "CRYPTO_USER_API_SKCIPHER"}) {
    auto found = asked.find(option);
    ASSERT_NE(found, asked.end()) << "docker.config does not ask for CONFIG_" << option;
    EXPECT_NE(found->second, "n") << option;
  }
}

// The early boot must need no module: /init mounts the base image (loop, squashfs,
// overlay) from a CD, disk or USB stick before any module tree is there.
TEST(KernelSourceShippedFragments, TheEarlyBootIsBuiltIn) {
  std::map<std::string, std::string> asked;
  for (const char* name : {"docker.config", "hardware.config"}) {
    for (const auto& request : shipped(name)) asked[request.option] = request.value;
  }
  for (const char* option :
       {"BLK_DEV_LOOP", "SQUASHFS",   "OVERLAY_FS",   "ISO9660_FS",   "VFAT_FS",      "EXT4_FS",
        "BLK_DEV_SD",   "BLK_DEV_SR", "SATA_AHCI",    "ATA_PIIX",     "BLK_DEV_NVME", "VIRTIO_BLK",
        "SCSI_VIRTIO",  "VIRTIO_PCI", "USB_XHCI_HCD", "USB_EHCI_HCD", "USB_STORAGE",  "USB_UAS",
        "USB_HID",      "DM_CRYPT",   "EFI_STUB"}) {
    EXPECT_EQ(asked[option], "y") << "CONFIG_" << option << " is not built in";
  }
}

}  // namespace
