// The SDK's kernel-stage helpers (Berth::kernel) that need no build: reading depmod's files,
// choosing modules, the built-in lists, finding the kernel in an unpacked package, and
// the module config keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "berth/sdk/error.hpp"
#include "berth/sdk/kernel/kernel_options.hpp"
#include "berth/sdk/kernel/kernel_tree.hpp"
#include "berth/sdk/kernel/module_index.hpp"
#include "berth/sdk/kernel/module_lists.hpp"
#include "berth/sdk/kernel/module_selection.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace berth::sdk::kernel;
using Names = std::set<std::string>;

// Lines of the modules.dep, modules.softdep, modules.alias and modules.builtin that
// depmod wrote for Debian 13's 6.12 kernel (a subset, unchanged).
constexpr const char* kModulesDep = R"(kernel/arch/x86/crypto/crc32c-intel.ko.xz:
kernel/fs/mbcache.ko.xz:
kernel/fs/ext4/ext4.ko.xz: kernel/lib/crc16.ko.xz kernel/fs/mbcache.ko.xz kernel/fs/jbd2/jbd2.ko.xz
kernel/fs/jbd2/jbd2.ko.xz:
kernel/fs/squashfs/squashfs.ko.xz:
kernel/fs/fat/fat.ko.xz:
kernel/fs/fat/vfat.ko.xz: kernel/fs/fat/fat.ko.xz
kernel/fs/isofs/isofs.ko.xz: kernel/drivers/cdrom/cdrom.ko.xz
kernel/fs/overlayfs/overlay.ko.xz:
kernel/crypto/crc32c_generic.ko.xz:
kernel/lib/crc16.ko.xz:
kernel/lib/libcrc32c.ko.xz:
kernel/drivers/block/loop.ko.xz:
kernel/drivers/scsi/scsi_common.ko.xz:
kernel/drivers/scsi/scsi_mod.ko.xz: kernel/drivers/scsi/scsi_common.ko.xz
kernel/drivers/scsi/sr_mod.ko.xz: kernel/drivers/scsi/scsi_mod.ko.xz kernel/drivers/scsi/scsi_common.ko.xz kernel/drivers/cdrom/cdrom.ko.xz
kernel/drivers/net/phy/libphy.ko.xz:
kernel/drivers/net/phy/mdio_devres.ko.xz: kernel/drivers/net/phy/libphy.ko.xz
kernel/drivers/net/phy/realtek.ko.xz: kernel/drivers/net/phy/libphy.ko.xz
kernel/drivers/net/ethernet/realtek/r8169.ko.xz: kernel/drivers/net/phy/mdio_devres.ko.xz kernel/drivers/net/phy/libphy.ko.xz
kernel/drivers/net/veth.ko.xz:
kernel/drivers/cdrom/cdrom.ko.xz:
kernel/drivers/md/dm-mod.ko.xz:
kernel/drivers/md/dm-crypt.ko.xz: kernel/drivers/md/dm-mod.ko.xz
kernel/net/802/stp.ko.xz: kernel/net/llc/llc.ko.xz
kernel/net/netfilter/nfnetlink.ko.xz:
kernel/net/netfilter/nf_conntrack.ko.xz: kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/netfilter/nf_nat.ko.xz: kernel/net/netfilter/nf_conntrack.ko.xz kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/netfilter/nf_tables.ko.xz: kernel/net/netfilter/nfnetlink.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/netfilter/nft_ct.ko.xz: kernel/net/netfilter/nf_tables.ko.xz kernel/net/netfilter/nfnetlink.ko.xz kernel/net/netfilter/nf_conntrack.ko.xz kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/netfilter/nft_chain_nat.ko.xz: kernel/net/netfilter/nf_tables.ko.xz kernel/net/netfilter/nfnetlink.ko.xz kernel/net/netfilter/nf_nat.ko.xz kernel/net/netfilter/nf_conntrack.ko.xz kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/netfilter/x_tables.ko.xz:
kernel/net/netfilter/xt_MASQUERADE.ko.xz: kernel/net/netfilter/x_tables.ko.xz kernel/net/netfilter/nf_nat.ko.xz kernel/net/netfilter/nf_conntrack.ko.xz kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/netfilter/xt_addrtype.ko.xz: kernel/net/netfilter/x_tables.ko.xz
kernel/net/netfilter/xt_conntrack.ko.xz: kernel/net/netfilter/x_tables.ko.xz kernel/net/netfilter/nf_conntrack.ko.xz kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz:
kernel/net/ipv4/netfilter/ip_tables.ko.xz: kernel/net/netfilter/x_tables.ko.xz
kernel/net/ipv4/netfilter/iptable_filter.ko.xz: kernel/net/ipv4/netfilter/ip_tables.ko.xz kernel/net/netfilter/x_tables.ko.xz
kernel/net/ipv4/netfilter/iptable_nat.ko.xz: kernel/net/ipv4/netfilter/ip_tables.ko.xz kernel/net/netfilter/x_tables.ko.xz kernel/net/netfilter/nf_nat.ko.xz kernel/net/netfilter/nf_conntrack.ko.xz kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz
kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz:
kernel/net/llc/llc.ko.xz:
kernel/net/bridge/bridge.ko.xz: kernel/net/802/stp.ko.xz kernel/net/llc/llc.ko.xz
kernel/net/bridge/br_netfilter.ko.xz: kernel/net/bridge/bridge.ko.xz kernel/net/802/stp.ko.xz kernel/net/llc/llc.ko.xz
)";

constexpr const char* kModulesSoftdep = R"(# Soft dependencies extracted from modules themselves.
softdep ext4 pre: crypto-crc32c
softdep jbd2 pre: crypto-crc32c
softdep libcrc32c pre: crc32c
softdep r8169 pre: realtek
softdep ipmi_msghandler post: ipmi_devintf
)";

constexpr const char* kModulesAlias = R"(# Aliases extracted from modules themselves.
alias crypto-crc32c-intel crc32c_intel
alias crypto-crc32c crc32c_intel
alias crc32c crc32c_intel
alias crypto-crc32c-generic crc32c_generic
alias crypto-crc32c crc32c_generic
alias crc32c crc32c_generic
alias fs-iso9660 isofs
)";

constexpr const char* kModulesBuiltin = R"(kernel/lib/crc32.ko
kernel/drivers/virtio/virtio.ko
kernel/drivers/virtio/virtio_pci.ko
kernel/drivers/char/virtio_console.ko
kernel/net/ipv6/ipv6.ko
)";

ModuleIndex fixture_index() {
  ModuleIndex index;
  for (auto& module : parse_modules_dep(kModulesDep, "modules.dep")) {
    std::string name = module.name;
    index.modules.emplace(name, std::move(module));
  }
  index.softdeps = parse_modules_softdep(kModulesSoftdep);
  index.aliases = parse_modules_alias(kModulesAlias);
  index.builtin = parse_modules_builtin(kModulesBuiltin);
  return index;
}

using berth::test::TempDir;
using berth::test::write_file;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const berth::sdk::Error& error) {
    return error.what();
  }
  return "(no error)";
}

// --- Names and paths -----------------------------------------------------------------

TEST(ModuleNames, DashesAndUnderscoresAreTheSameName) {
  EXPECT_EQ(normalize_module_name("dm-crypt"), "dm_crypt");
  EXPECT_EQ(normalize_module_name("ata_piix"), "ata_piix");
}

TEST(ModuleNames, CompressionSuffixesAreStrippedFromModulesOnly) {
  EXPECT_EQ(strip_compression("kernel/fs/ext4/ext4.ko.xz"), "kernel/fs/ext4/ext4.ko");
  EXPECT_EQ(strip_compression("kernel/fs/ext4/ext4.ko.zst"), "kernel/fs/ext4/ext4.ko");
  EXPECT_EQ(strip_compression("kernel/fs/ext4/ext4.ko.gz"), "kernel/fs/ext4/ext4.ko");
  EXPECT_EQ(strip_compression("kernel/fs/ext4/ext4.ko"), "kernel/fs/ext4/ext4.ko");
  EXPECT_EQ(strip_compression("firmware/foo.bin.xz"), "firmware/foo.bin.xz");
}

TEST(ModuleNames, NameComesFromTheFileName) {
  EXPECT_EQ(module_name_of("kernel/drivers/md/dm-crypt.ko.xz"), "dm_crypt");
  EXPECT_EQ(module_name_of("kernel/drivers/usb/host/xhci-pci.ko.zst"), "xhci_pci");
  EXPECT_EQ(module_name_of("kernel/net/bridge/bridge.ko"), "bridge");
  EXPECT_EQ(module_name_of("modules.order"), "");
}

// --- Parsing depmod's files ------------------------------------------------------------

TEST(ModulesDep, ParsesEveryLineWithItsDependencies) {
  auto modules = parse_modules_dep(kModulesDep, "modules.dep");
  ASSERT_EQ(modules.size(), 43u);
  auto ext4 =
      std::find_if(modules.begin(), modules.end(), [](auto& m) { return m.name == "ext4"; });
  ASSERT_NE(ext4, modules.end());
  EXPECT_EQ(ext4->path, "kernel/fs/ext4/ext4.ko.xz");
  EXPECT_EQ(ext4->deps, (std::vector<std::string>{"crc16", "mbcache", "jbd2"}));
  auto dm_crypt =
      std::find_if(modules.begin(), modules.end(), [](auto& m) { return m.name == "dm_crypt"; });
  ASSERT_NE(dm_crypt, modules.end());
  EXPECT_EQ(dm_crypt->deps, std::vector<std::string>{"dm_mod"});
}

TEST(ModulesDep, MalformedLineNamesFileAndLine) {
  std::string text = "kernel/fs/fat/fat.ko.xz:\nthis is not a module line\n";
  EXPECT_EQ(error_of([&] { parse_modules_dep(text, "/x/modules.dep"); }),
            "/x/modules.dep:2: not a modules.dep line (expected 'path.ko: deps...')");
  EXPECT_NE(error_of([&] { parse_modules_dep("a.ko: README\n", "m.dep"); }).find("README"),
            std::string::npos);
}

TEST(ModulesDep, SkipsBlankLinesAndComments) {
  EXPECT_EQ(parse_modules_dep("\n# comment\nkernel/a.ko:\n\n", "m").size(), 1u);
}

TEST(ModulesSoftdep, PreAndPostAreBothKept) {
  auto softdeps = parse_modules_softdep(kModulesSoftdep);
  EXPECT_EQ(softdeps.at("ext4"), std::vector<std::string>{"crypto-crc32c"});
  EXPECT_EQ(softdeps.at("ipmi_msghandler"), std::vector<std::string>{"ipmi_devintf"});
  auto old_style = parse_modules_softdep("softdep cifs gcm\nsoftdep cifs ccm\n");
  EXPECT_EQ(old_style.at("cifs"), (std::vector<std::string>{"gcm", "ccm"}));
}

TEST(ModulesAlias, OneAliasMayNameSeveralModules) {
  auto aliases = parse_modules_alias(kModulesAlias);
  EXPECT_EQ(aliases.at("crypto-crc32c"),
            (std::vector<std::string>{"crc32c_intel", "crc32c_generic"}));
}

TEST(ModulesBuiltin, NamesComeFromPaths) {
  auto builtin = parse_modules_builtin(kModulesBuiltin);
  EXPECT_EQ(builtin.size(), 5u);
  EXPECT_EQ(builtin.at("virtio_pci"), "kernel/drivers/virtio/virtio_pci.ko");
}

TEST(ModuleIndexFiles, LoadsADirectoryAndNeedsModulesDep) {
  TempDir dir;
  EXPECT_NE(error_of([&] { load_module_index(dir.path()); }).find("modules.dep is missing"),
            std::string::npos);
  write_file(dir.path() / "modules.dep", kModulesDep);
  write_file(dir.path() / "modules.softdep", kModulesSoftdep);
  auto index = load_module_index(dir.path());
  EXPECT_EQ(index.modules.size(), 43u);
  EXPECT_EQ(index.softdeps.count("r8169"), 1u);
  EXPECT_TRUE(index.aliases.empty());  // no modules.alias: fine
  EXPECT_TRUE(index.builtin.empty());
}

// --- Closure -------------------------------------------------------------------------

TEST(Closure, FollowsHardDependenciesTransitively) {
  auto index = fixture_index();
  EXPECT_EQ(dependency_closure(index, {"br_netfilter"}),
            (Names{"br_netfilter", "bridge", "llc", "stp"}));
  EXPECT_EQ(
      dependency_closure(index, {"iptable_nat"}),
      (Names{"iptable_nat", "ip_tables", "x_tables", "nf_nat", "nf_conntrack", "nf_defrag_ipv4",
             "nf_defrag_ipv6", "libcrc32c", "crc32c_intel", "crc32c_generic"}));
}

TEST(Closure, FollowsSoftDependenciesThroughAliases) {
  auto index = fixture_index();
  // ext4 asks for crypto-crc32c, an alias of two modules: both are shipped.
  EXPECT_EQ(dependency_closure(index, {"ext4"}),
            (Names{"ext4", "crc16", "mbcache", "jbd2", "crc32c_intel", "crc32c_generic"}));
  // r8169 works best with its PHY driver, which only a soft dependency names.
  EXPECT_EQ(dependency_closure(index, {"r8169"}),
            (Names{"r8169", "realtek", "libphy", "mdio_devres"}));
}

TEST(Closure, UnknownSoftDependencyIsSkipped) {
  auto index = fixture_index();
  index.softdeps["veth"] = {"no-such-alias", "crc32"};  // unknown, builtin
  EXPECT_EQ(dependency_closure(index, {"veth"}), Names{"veth"});
}

TEST(Closure, MissingHardDependencyNamesBothModules) {
  auto index = fixture_index();
  index.modules.at("veth").deps.push_back("ghost");
  EXPECT_EQ(error_of([&] { dependency_closure(index, {"veth"}); }),
            "module veth needs ghost, which is not in modules.dep");
}

// --- Patterns and selection ----------------------------------------------------------

TEST(Patterns, NamesGlobsAndDirectories) {
  EXPECT_TRUE(pattern_matches("dm-crypt", "dm_crypt", "kernel/drivers/md/dm-crypt.ko"));
  EXPECT_TRUE(pattern_matches("xt_*", "xt_conntrack", "kernel/net/netfilter/xt_conntrack.ko"));
  EXPECT_FALSE(pattern_matches("xt_*", "x_tables", "kernel/net/netfilter/x_tables.ko"));
  EXPECT_TRUE(pattern_matches("kernel/net/bridge/", "bridge", "kernel/net/bridge/bridge.ko"));
  EXPECT_FALSE(pattern_matches("kernel/net/bridge/", "stp", "kernel/net/802/stp.ko"));
  EXPECT_FALSE(pattern_matches("ext4", "ext4_test", "kernel/fs/ext4/ext4_test.ko"));
}

TEST(Patterns, MalformedOnesAreExplained) {
  EXPECT_FALSE(pattern_problem("nft_*"));
  EXPECT_FALSE(pattern_problem("kernel/net/netfilter/"));
  EXPECT_TRUE(pattern_problem(""));
  EXPECT_TRUE(pattern_problem("ext4 vfat"));
  EXPECT_TRUE(pattern_problem("/lib/modules/"));
  auto problem = pattern_problem("kernel/fs/ext4/ext4.ko");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("directories end with '/'"), std::string::npos);
}

TEST(Selection, SeedsFromEveryKindOfPatternThenCloses) {
  auto index = fixture_index();
  auto selection = select_modules(index, {"kernel/net/bridge/", "xt_MASQ*", "dm-crypt"});
  EXPECT_TRUE(selection.unmatched.empty());
  EXPECT_EQ(selection.modules,
            (Names{"bridge", "br_netfilter", "stp", "llc", "xt_MASQUERADE", "x_tables", "nf_nat",
                   "nf_conntrack", "nf_defrag_ipv4", "nf_defrag_ipv6", "libcrc32c", "crc32c_intel",
                   "crc32c_generic", "dm_crypt", "dm_mod"}));
}

TEST(Selection, BuiltinCountsAsMatchedButShipsNothing) {
  auto index = fixture_index();
  auto selection = select_modules(index, {"virtio_pci", "virtio_console"});
  EXPECT_TRUE(selection.unmatched.empty());
  EXPECT_TRUE(selection.modules.empty());
}

TEST(Selection, ReportsPatternsThatMatchNothing) {
  auto index = fixture_index();
  auto selection = select_modules(index, {"loop", "no_such_module", "kernel/sound/"});
  EXPECT_EQ(selection.unmatched, (std::vector<std::string>{"no_such_module", "kernel/sound/"}));
  EXPECT_EQ(selection.modules, Names{"loop"});
}

TEST(Selection, MalformedPatternThrows) {
  auto index = fixture_index();
  EXPECT_THROW(select_modules(index, {"kernel/fs/ext4/ext4.ko"}), berth::sdk::Error);
}

// --- The built-in lists --------------------------------------------------------------

// Where Debian 13's kernel keeps the modules the lists must cover, so that directory
// patterns are tested against real paths.
ModuleIndex required_index() {
  const std::vector<std::string> paths = {
      "kernel/fs/squashfs/squashfs.ko",
      "kernel/fs/overlayfs/overlay.ko",
      "kernel/drivers/block/loop.ko",
      "kernel/fs/ext4/ext4.ko",
      "kernel/fs/fat/vfat.ko",
      "kernel/fs/isofs/isofs.ko",
      "kernel/fs/nls/nls_cp437.ko",
      "kernel/fs/nls/nls_utf8.ko",
      "kernel/drivers/block/virtio_blk.ko",
      "kernel/drivers/scsi/virtio_scsi.ko",
      "kernel/drivers/net/virtio_net.ko",
      "kernel/drivers/char/hw_random/virtio-rng.ko",
      "kernel/drivers/ata/ahci.ko",
      "kernel/drivers/ata/ata_piix.ko",
      "kernel/drivers/nvme/host/nvme.ko",
      "kernel/drivers/usb/host/xhci-pci.ko",
      "kernel/drivers/usb/host/ehci-pci.ko",
      "kernel/drivers/usb/storage/usb-storage.ko",
      "kernel/drivers/usb/storage/uas.ko",
      "kernel/drivers/hid/usbhid/usbhid.ko",
      "kernel/drivers/hid/hid-generic.ko",
      "kernel/drivers/scsi/sd_mod.ko",
      "kernel/drivers/scsi/sr_mod.ko",
      "kernel/drivers/net/ethernet/intel/e1000/e1000.ko",
      "kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko",
      "kernel/drivers/net/ethernet/realtek/r8169.ko",
      "kernel/drivers/net/ethernet/intel/igb/igb.ko",
      "kernel/drivers/md/dm-crypt.ko",
      "kernel/net/bridge/bridge.ko",
      "kernel/net/bridge/br_netfilter.ko",
      "kernel/drivers/net/veth.ko",
      "kernel/drivers/net/vxlan/vxlan.ko",
      "kernel/drivers/net/ipvlan/ipvlan.ko",
      "kernel/drivers/net/macvlan.ko",
      "kernel/net/netfilter/nf_tables.ko",
      "kernel/net/netfilter/nft_ct.ko",
      "kernel/net/netfilter/nft_chain_nat.ko",
      "kernel/net/netfilter/nft_compat.ko",
      "kernel/net/netfilter/xt_conntrack.ko",
      "kernel/net/netfilter/xt_addrtype.ko",
      "kernel/net/netfilter/xt_MASQUERADE.ko",
      "kernel/net/netfilter/xt_mark.ko",
      "kernel/net/netfilter/xt_tcpudp.ko",
      "kernel/net/netfilter/xt_ipvs.ko",
      "kernel/net/netfilter/ipvs/ip_vs.ko",
      "kernel/net/netfilter/ipvs/ip_vs_rr.ko",
      "kernel/net/netfilter/nf_conntrack.ko",
      "kernel/net/netfilter/nf_conntrack_netlink.ko",
      "kernel/net/netfilter/nf_nat.ko",
      "kernel/net/netfilter/nf_nat_ftp.ko",
      "kernel/net/netfilter/ipset/ip_set.ko",
      "kernel/net/ipv4/netfilter/iptable_filter.ko",
      "kernel/net/ipv4/netfilter/iptable_nat.ko",
      "kernel/net/ipv4/netfilter/iptable_mangle.ko",
      "kernel/net/ipv4/netfilter/ipt_REJECT.ko",
      "kernel/net/ipv6/netfilter/ip6table_filter.ko",
      "kernel/net/ipv6/netfilter/ip6table_nat.ko",
      "kernel/net/bridge/netfilter/ebtables.ko",
  };
  ModuleIndex index;
  for (const auto& path : paths) {
    index.modules.emplace(module_name_of(path), Module{module_name_of(path), path + ".xz", {}});
  }
  index.builtin = parse_modules_builtin(kModulesBuiltin);
  return index;
}

TEST(DefaultLists, EveryEntryIsAValidPattern) {
  for (const auto* list : {&default_modules(), &default_early_modules()}) {
    for (const auto& pattern : *list) EXPECT_FALSE(pattern_problem(pattern)) << pattern;
  }
}

TEST(DefaultLists, RootfsListCoversWhatADockerHostNeeds) {
  auto index = required_index();
  auto selection = select_modules(index, default_modules());
  for (const auto& [name, module] : index.modules) {
    EXPECT_EQ(selection.modules.count(name), 1u) << name << " is not in default_modules()";
  }
}

TEST(DefaultLists, EarlyListFindsMediumAndPersistence) {
  auto index = required_index();
  auto selection = select_modules(index, default_early_modules());
  for (const char* name :
       {"loop",     "squashfs",    "overlay",  "isofs",      "vfat",        "nls_cp437",
        "ext4",     "sr_mod",      "sd_mod",   "virtio_blk", "virtio_scsi", "ahci",
        "ata_piix", "nvme",        "xhci_pci", "ehci_pci",   "usb_storage", "uas",
        "usbhid",   "hid_generic", "dm_crypt"}) {
    EXPECT_EQ(selection.modules.count(name), 1u) << name << " is not in default_early_modules()";
  }
  // Docker's networking has no business in the initramfs.
  EXPECT_EQ(selection.modules.count("nf_tables"), 0u);
  EXPECT_EQ(selection.modules.count("bridge"), 0u);
}

// --- Finding the kernel in an unpacked package ---------------------------------------

TEST(KernelTreeSearch, FindsVersionVmlinuzAndConfig) {
  TempDir root;
  write_file(root.path() / "usr/lib/modules/6.12.9+deb13-amd64/modules.order", "");
  write_file(root.path() / "boot/vmlinuz-6.12.9+deb13-amd64", "kernel");
  write_file(root.path() / "boot/config-6.12.9+deb13-amd64", "CONFIG_EXT4_FS=m\n");
  auto tree = find_kernel_tree(root.path(), "linux-image-x.deb");
  EXPECT_EQ(tree.version, "6.12.9+deb13-amd64");
  EXPECT_EQ(tree.modules_dir, root.path() / "usr/lib/modules/6.12.9+deb13-amd64");
  EXPECT_EQ(tree.vmlinuz, root.path() / "boot/vmlinuz-6.12.9+deb13-amd64");
  ASSERT_TRUE(tree.config);
  EXPECT_EQ(*tree.config, root.path() / "boot/config-6.12.9+deb13-amd64");
}

TEST(KernelTreeSearch, AcceptsLibModulesAndAMergedUsrLink) {
  TempDir root;
  write_file(root.path() / "lib/modules/6.1.0-kali/modules.order", "");
  write_file(root.path() / "boot/vmlinuz-6.1.0-kali", "kernel");
  auto tree = find_kernel_tree(root.path(), "kali.deb");
  EXPECT_EQ(tree.version, "6.1.0-kali");
  EXPECT_FALSE(tree.config);

  TempDir merged;
  write_file(merged.path() / "usr/lib/modules/6.1.0-1/modules.order", "");
  fs::create_directory_symlink("usr/lib", merged.path() / "lib");
  write_file(merged.path() / "boot/vmlinuz-6.1.0-1", "kernel");
  EXPECT_EQ(find_kernel_tree(merged.path(), "merged.deb").version, "6.1.0-1");
}

TEST(KernelTreeSearch, ErrorsNameThePackageAndWhatIsMissing) {
  TempDir root;
  write_file(root.path() / "boot/vmlinuz-6.1.0-1", "kernel");
  EXPECT_EQ(error_of([&] { find_kernel_tree(root.path(), "/x/k.deb"); }),
            "/x/k.deb: no kernel inside (no usr/lib/modules/<version>/ or "
            "lib/modules/<version>/)");

  fs::create_directories(root.path() / "usr/lib/modules/6.1.0-2");
  EXPECT_EQ(error_of([&] { find_kernel_tree(root.path(), "/x/k.deb"); }),
            "/x/k.deb: no boot/vmlinuz-6.1.0-2 for the modules of 6.1.0-2 (found "
            "boot/vmlinuz-6.1.0-1)");

  fs::create_directories(root.path() / "usr/lib/modules/6.1.0-1");
  EXPECT_EQ(error_of([&] { find_kernel_tree(root.path(), "/x/k.deb"); }),
            "/x/k.deb: holds several kernel versions (6.1.0-1, 6.1.0-2); give one package "
            "per kernel");

  TempDir no_boot;
  fs::create_directories(no_boot.path() / "usr/lib/modules/6.1.0-1");
  EXPECT_EQ(error_of([&] { find_kernel_tree(no_boot.path(), "k.deb"); }),
            "k.deb: no boot/vmlinuz-6.1.0-1 for the modules of 6.1.0-1 (no boot/vmlinuz-* at "
            "all)");
}

// --- Config keys ---------------------------------------------------------------------

berth::sdk::ConfigValue strings(std::vector<std::string> items, const std::string& where) {
  berth::sdk::ConfigValue::Array array;
  for (auto& item : items) array.push_back({std::move(item), where});
  return {std::move(array), where};
}

TEST(ModuleOptionsFromConfig, DefaultsWhenNothingIsSet) {
  berth::sdk::ConfigTable config("kernel", "berth.toml:40");
  auto options = read_module_options(config);
  EXPECT_EQ(options.modules, default_modules());
  EXPECT_EQ(options.early_modules, default_early_modules());
  EXPECT_TRUE(options.user_patterns.empty());
}

TEST(ModuleOptionsFromConfig, ModulesReplaceExtraModulesAddEarlyModulesReplace) {
  berth::sdk::ConfigTable config("kernel", "berth.toml:40");
  config.set("extra_modules", strings({"wireguard"}, "berth.toml:42"));
  auto options = read_module_options(config);
  EXPECT_EQ(options.modules.size(), default_modules().size() + 1);
  EXPECT_EQ(options.modules.back(), "wireguard");
  EXPECT_EQ(options.user_patterns.at("wireguard"), "extra_modules");

  config.set("modules", strings({"ext4", "kernel/net/netfilter/"}, "berth.toml:41"));
  config.set("early_modules", strings({"loop"}, "berth.toml:43"));
  options = read_module_options(config);
  EXPECT_EQ(options.modules,
            (std::vector<std::string>{"ext4", "kernel/net/netfilter/", "wireguard"}));
  EXPECT_EQ(options.early_modules, std::vector<std::string>{"loop"});
  EXPECT_EQ(options.user_patterns.at("loop"), "early_modules");
}

TEST(ModuleOptionsFromConfig, MalformedPatternPointsAtTheKey) {
  berth::sdk::ConfigTable config("kernel", "berth.toml:40");
  config.set("extra_modules", strings({"kernel/fs/xfs/xfs.ko"}, "berth.toml:44"));
  try {
    read_module_options(config);
    FAIL() << "no error";
  } catch (const berth::sdk::ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "berth.toml:44: [kernel] extra_modules: module pattern 'kernel/fs/xfs/xfs.ko' has "
              "a '/' but is not a directory (directories end with '/')");
  }
}

TEST(ModuleOptionsFromConfig, SchemaDeclaresTheThreeListKeys) {
  auto keys = module_config_keys();
  ASSERT_EQ(keys.size(), 3u);
  for (const auto& key : keys) {
    EXPECT_EQ(key.type, berth::sdk::ValueType::string_array) << key.name;
    EXPECT_FALSE(key.required) << key.name;
  }
}

}  // namespace
