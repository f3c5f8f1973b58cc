#include "berth/sdk/kernel/module_lists.hpp"

namespace berth::sdk::kernel {

// The lists are tables meant to be read by people: grouped, a comment per group, so
// clang-format is kept out of them.
// clang-format off

const std::vector<std::string>& default_modules() {
  static const std::vector<std::string> modules = {
      // --- The root filesystem: squashfs loop-mounted, overlayfs on top.
      "squashfs", "overlay", "loop",

      // --- Filesystems for the boot medium, persistent data and image folders.
      "ext4",                   // the data volume; overlay2 needs ext4 or xfs under it
      "isofs",                  // iso9660: the CD / ISO image
      "vfat", "exfat",          // USB sticks, the ESP
      "nls_cp437", "nls_utf8",  // vfat's default codepage and iocharset (loaded by name)
      "nls_iso8859_1", "nls_ascii",
      "fuse",                   // sshfs, fuse-overlayfs in containers
      "binfmt_misc",            // qemu-user for foreign-architecture images

      // --- Block devices and their controllers.
      "sd_mod", "sr_mod",                         // disks, CD drives
      "ahci", "ata_piix", "ata_generic",          // SATA / IDE
      "nvme",                                     // NVMe
      "virtio_blk", "virtio_scsi", "virtio_pci",  // virtio storage
      "vmw_pvscsi", "hv_storvsc",                 // VMware, Hyper-V
      "mmc_block", "sdhci_pci", "sdhci_acpi",     // SD cards

      // --- USB: host controllers, storage, keyboards.
      "xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd",
      "usb_storage", "uas",
      "usbhid", "hid_generic",

      // --- Virtio devices besides storage.
      "virtio_net", "virtio_console", "virtio_rng", "virtio_balloon",

      // --- Wired network cards.
      "e1000", "e1000e", "igb", "igc",       // Intel (e1000: qemu's and VirtualBox's default)
      "r8169",                               // Realtek (its PHY driver comes as a softdep)
      "8139cp", "8139too", "tg3",            // older Realtek, Broadcom
      "vmxnet3", "hv_netvsc",                // VMware, Hyper-V
      "r8152", "ax88179_178a", "cdc_ether",  // USB Ethernet adapters

      // --- Encrypted data volume: dm-crypt, its default cipher (aes-xts-plain64), and the
      //     kernel crypto API that cryptsetup uses for LUKS keyslots.
      "dm_crypt", "xts", "aesni_intel", "essiv", "sha256_ssse3",
      "af_alg", "algif_skcipher", "algif_hash",

      // --- Docker networking. Pruning netfilter too hard broke published ports
      //     ("Extension tcp revision 0 not supported"), so take the whole netfilter
      //     tree: nf_tables, nft_*, xt_*, x_tables, nf_conntrack*, nf_nat*, ip_vs*,
      //     ip_set*, iptable_*, ipt_*, ip6table_*, ip6t_*, ebtables, bridge, br_netfilter.
      "kernel/net/netfilter/",
      "kernel/net/ipv4/netfilter/",
      "kernel/net/ipv6/netfilter/",
      "kernel/net/bridge/",
      // Network drivers: bridge (above), overlay (vxlan), ipvlan, macvlan; tun for VPNs.
      "veth", "vxlan", "ipvlan", "macvlan", "dummy", "tun",
      // The overlay network's encrypted mode (IPsec ESP with AES-GCM).
      "xfrm_user", "xfrm_algo", "esp4", "esp6", "gcm", "seqiv", "ghash_generic",
      "ghash_clmulni_intel",
  };
  return modules;
}

const std::vector<std::string>& default_early_modules() {
  static const std::vector<std::string> modules = {
      // The base image: a squashfs file, loop-mounted, under an overlayfs.
      "loop", "squashfs", "overlay",
      // Filesystems the medium or the data volume may carry.
      // nls_ascii: Debian's kernel mounts vfat with iocharset=ascii unless told otherwise.
      "isofs", "vfat", "nls_cp437", "nls_ascii", "nls_utf8", "nls_iso8859_1", "ext4", "exfat",
      // Disks and CD drives, and the controllers in front of them.
      "sd_mod", "sr_mod", "ahci", "ata_piix", "ata_generic", "nvme",
      "virtio_blk", "virtio_scsi", "virtio_pci", "vmw_pvscsi", "hv_storvsc",
      "mmc_block", "sdhci_pci", "sdhci_acpi",
      // USB sticks, and USB keyboards for typing a LUKS passphrase.
      "xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd", "usb_storage", "uas",
      "usbhid", "hid_generic",
      // Unlocking a LUKS data volume.
      "dm_crypt", "xts", "aesni_intel", "sha256_ssse3", "af_alg", "algif_skcipher",
      "algif_hash",
  };
  return modules;
}

// clang-format on

}  // namespace berth::sdk::kernel
