#!/bin/bash
# Does the kernel Berth ships have what Docker needs?
#
#   kernel-check-config.sh MODULES_DIR [CONFIG]
#
# MODULES_DIR is a shipped module tree, lib/modules/<version>/ of a built rootfs (e.g.
# work/rootfs/usr/lib/modules/<version>, or the kernel.modules fact's tree); CONFIG is the
# kernel's build config, by default MODULES_DIR/config, where the kernel plugins put it.
#
# 1. Moby's check-config.sh (from Debian's docker.io package) reads CONFIG: every flag of
#    its "Generally Necessary" section must be enabled.
# 2. check-config.sh takes "enabled (as module)" on the config's word alone. We also need
#    the module in the pruned tree, so every flag it reports as a module, and every flag
#    of the networking and storage features Berth promises (overlay networks, ipvlan,
#    macvlan, IPVS, overlayfs, ext4) that the config has as =m, must map to a module
#    listed in MODULES_DIR/modules.dep.
# 3. To show that step 2 can fail, it is run again on a copy of modules.dep with one of
#    those modules removed, and must fail there.
#
# CHECK_CONFIG=/path/to/check-config.sh uses that script instead of downloading
# docker.io (suite BERTH_SUITE, default trixie, from BERTH_MIRROR).
set -euo pipefail

usage() {
  echo "usage: $0 MODULES_DIR [CONFIG]" >&2
  exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
modules_dir=${1%/}
config=${2:-$modules_dir/config}
version=$(basename "$modules_dir")
[ -f "$modules_dir/modules.dep" ] || { echo "FAIL: $modules_dir/modules.dep does not exist" >&2; exit 1; }
[ -f "$config" ] || { echo "FAIL: kernel config $config does not exist" >&2; exit 1; }
case "$version" in
  [0-9]*) ;;
  *)  # a copied tree: take the version from the config's header line
    version=$(sed -n 's|^# Linux/[^ ]* \([0-9][^ ]*\) Kernel Configuration$|\1|p' "$config" | head -n 1)
    [ -n "$version" ] || { echo "FAIL: cannot tell the kernel version of $modules_dir" >&2; exit 1; }
    ;;
esac

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# shellcheck source=tests/integration/private-apt.sh
. "$(dirname "$0")/private-apt.sh"

# Kbuild's module for each tristate flag we check (obj-$(CONFIG_X) += <module>.o).
# Boolean flags (namespaces, cgroups, ...) have no module and are not listed; a flag that
# is =m and missing here fails the check, so this table cannot silently fall behind.
module_of_flag() {
  case "$1" in
    VETH) echo veth ;;
    BRIDGE) echo bridge ;;
    BRIDGE_NETFILTER) echo br_netfilter ;;
    IP_NF_FILTER) echo iptable_filter ;;
    IP_NF_MANGLE) echo iptable_mangle ;;
    IP_NF_NAT) echo iptable_nat ;;
    # Since Linux 5.2 the IPv4 MASQUERADE and REDIRECT targets live in xt_*; the IP_NF_
    # flags only select them.
    IP_NF_TARGET_MASQUERADE) echo xt_MASQUERADE ;;
    IP_NF_TARGET_REDIRECT) echo xt_REDIRECT ;;
    NETFILTER_XT_MATCH_ADDRTYPE) echo xt_addrtype ;;
    NETFILTER_XT_MATCH_CONNTRACK) echo xt_conntrack ;;
    NETFILTER_XT_MATCH_IPVS) echo xt_ipvs ;;
    NETFILTER_XT_MATCH_BPF) echo xt_bpf ;;
    NETFILTER_XT_MARK) echo xt_mark ;;
    NF_NAT) echo nf_nat ;;
    NF_NAT_IPV4) echo nf_nat_ipv4 ;;
    NF_CONNTRACK_FTP) echo nf_conntrack_ftp ;;
    NF_CONNTRACK_TFTP) echo nf_conntrack_tftp ;;
    NF_NAT_FTP) echo nf_nat_ftp ;;
    NF_NAT_TFTP) echo nf_nat_tftp ;;
    IP_VS) echo ip_vs ;;
    IP_VS_RR) echo ip_vs_rr ;;
    VXLAN) echo vxlan ;;
    IPVLAN) echo ipvlan ;;
    MACVLAN) echo macvlan ;;
    DUMMY) echo dummy ;;
    XFRM_USER) echo xfrm_user ;;
    XFRM_ALGO) echo xfrm_algo ;;
    INET_ESP) echo esp4 ;;
    CRYPTO_GCM) echo gcm ;;
    CRYPTO_SEQIV) echo seqiv ;;
    CRYPTO_GHASH) echo ghash_generic ;;
    CRYPTO_AEAD) echo aead ;;
    OVERLAY_FS) echo overlay ;;
    EXT4_FS) echo ext4 ;;
    *) return 1 ;;
  esac
}

# Features Berth promises beyond "Generally Necessary" (check-config.sh's optional
# section): the overlay, ipvlan and macvlan network drivers, the overlay network's
# encryption, IPVS, ftp/tftp helpers, and the overlay2 storage driver on ext4.
promised_flags=(
  VXLAN BRIDGE_VLAN_FILTERING IPVLAN MACVLAN DUMMY
  XFRM XFRM_USER XFRM_ALGO INET_ESP CRYPTO_GCM CRYPTO_SEQIV CRYPTO_GHASH NETFILTER_XT_MATCH_BPF
  IP_NF_TARGET_REDIRECT IP_VS IP_VS_NFCT IP_VS_PROTO_TCP IP_VS_PROTO_UDP IP_VS_RR
  NF_NAT_FTP NF_CONNTRACK_FTP NF_NAT_TFTP NF_CONNTRACK_TFTP
  OVERLAY_FS EXT4_FS
)

fetch_check_config() {
  local apt_dir=$scratch/apt
  private_apt_download "$apt_dir" docker.io
  dpkg-deb -x "$apt_dir"/debs/docker.io_*.deb "$apt_dir/docker.io"
  CHECK_CONFIG=$apt_dir/docker.io/usr/share/docker.io/contrib/check-config.sh
  [ -f "$CHECK_CONFIG" ] || { echo "FAIL: docker.io (${BERTH_SUITE:-trixie}) has no contrib/check-config.sh" >&2; exit 1; }
}

config_value() {  # y, m or empty
  sed -n "s/^CONFIG_$1=\\([ym]\\)\$/\\1/p" "$config"
}

# Module names (normalized to '_') listed in a modules.dep.
shipped_modules() {
  sed -e 's/:.*//' -e 's#.*/##' -e 's/\.ko\(\.[a-z0-9]*\)\{0,1\}$//' -e 's/-/_/g' "$1" | sort -u
}

# Every =m flag among "$@" must be a module listed in the modules.dep given as $1.
# Prints one line per problem; returns non-zero when there was one.
check_modules_shipped() {
  local dep_file=$1 flag module problems=0
  shift
  shipped_modules "$dep_file" >"$scratch/shipped"
  for flag in "$@"; do
    [ "$(config_value "$flag")" = m ] || continue
    if ! module=$(module_of_flag "$flag"); then
      echo "FAIL: CONFIG_$flag=m, but this script does not know its module (add it to module_of_flag)"
      problems=1
    elif ! grep -qx "${module//-/_}" "$scratch/shipped"; then
      echo "FAIL: CONFIG_$flag=m, but module $module is not shipped (not in $dep_file)"
      problems=1
    else
      echo "ok: CONFIG_$flag=m, module $module shipped"
    fi
  done
  return "$problems"
}

[ -n "${CHECK_CONFIG:-}" ] || fetch_check_config

# check-config.sh reads `uname -r` to pick version-specific flags: answer for the kernel
# being checked, not the build host's.
mkdir -p "$scratch/bin"
printf '#!/bin/sh\necho %s\n' "$version" >"$scratch/bin/uname"
chmod +x "$scratch/bin/uname"

# Its exit code also reflects the build host (cgroup mounts, zfs, key limits): we judge
# the config lines only.
PATH="$scratch/bin:$PATH" NO_COLOR=1 sh "$CHECK_CONFIG" "$config" >"$scratch/report" 2>&1 || true

sed -n '/^Generally Necessary:/,/^Optional Features:/p' "$scratch/report" |
  sed -n 's/^- CONFIG_\([A-Z0-9_]*\): \(.*\)$/\1 \2/p' >"$scratch/necessary"
if [ ! -s "$scratch/necessary" ]; then
  echo "FAIL: no 'Generally Necessary' CONFIG_ lines in the output of $CHECK_CONFIG:" >&2
  cat "$scratch/report" >&2
  exit 1
fi

failed=0
necessary_flags=()
while read -r flag state; do
  necessary_flags+=("$flag")
  case "$state" in
    enabled | "enabled (as module)") ;;
    *)
      echo "FAIL: check-config.sh: CONFIG_$flag: $state"
      failed=1
      ;;
  esac
done <"$scratch/necessary"
echo "check-config.sh: ${#necessary_flags[@]} Generally Necessary flags checked in $config"

for flag in "${promised_flags[@]}"; do
  if [ -z "$(config_value "$flag")" ]; then
    echo "FAIL: CONFIG_$flag is not set; Berth promises the feature it enables"
    failed=1
  fi
done

check_modules_shipped "$modules_dir/modules.dep" "${necessary_flags[@]}" "${promised_flags[@]}" ||
  failed=1

# The same check on a tree missing one of the modules must fail, or it proves nothing.
victim=""
for flag in "${necessary_flags[@]}"; do
  if [ "$(config_value "$flag")" = m ]; then
    victim=$(module_of_flag "$flag") && break
  fi
done
if [ -n "$victim" ]; then
  grep -v "/$victim\\.ko[.a-z0-9]*:" "$modules_dir/modules.dep" >"$scratch/modules.dep.pruned" || true
  if check_modules_shipped "$scratch/modules.dep.pruned" "${necessary_flags[@]}" >/dev/null; then
    echo "FAIL: the shipped-module check passed on a tree without $victim"
    failed=1
  else
    echo "ok: the shipped-module check fails on a tree without $victim"
  fi
fi

if [ "$failed" != 0 ]; then
  echo "FAIL: kernel $version lacks what Docker needs (see above)"
  exit 1
fi
echo "PASS: kernel $version has every Generally Necessary item, and its modules are shipped"
