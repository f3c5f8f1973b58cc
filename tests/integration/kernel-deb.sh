#!/bin/bash
# kernel-deb end to end: build with the kernel taken from a linux-image .deb file given
# by a path relative to the config, check what lands in the rootfs, the initramfs and the
# output, then check that bad `deb` values fail with one line naming the file.
#
#   kernel-deb.sh [BERTH]        BERTH defaults to build/bin/berth of this checkout
#
# The .deb: $KERNEL_DEB, else a linux-image-<version> .deb from the download cache
# ($BERTH_CACHE, default /var/cache/berth), else downloaded from the archive. Needs root
# (berth build does) and, without a cached kernel, the Debian archive.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
berth=${1:-$repo/build/bin/berth}
cache=${BERTH_CACHE:-/var/cache/berth}
[ -x "$berth" ] || { echo "FAIL: $berth is not built" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# shellcheck source=tests/integration/private-apt.sh
. "$repo/tests/integration/private-apt.sh"
deb=${KERNEL_DEB:-$(kernel_package_deb "$scratch/apt" "$cache")}
echo "kernel package: $deb"

# The config: the repo's [berth] and [debian] tables, a small rootfs, and kernel-deb with
# a path relative to the config file.
project=$scratch/project
mkdir -p "$project/kernels"
ln -s "$(realpath "$deb")" "$project/kernels/kernel.deb"
bootstrap_plugin=$(sed -n '/^\[bootstrap\]/,/^\[/s/^plugin = "\(.*\)"$/\1/p' "$repo/berth.toml")
{
  sed -n '1,/^\[bootstrap\]/p' "$repo/berth.toml" | sed '$d'
  printf '[bootstrap]\nplugin = "%s"\npackages = ["busybox-static"]\n\n' "$bootstrap_plugin"
  printf '[kernel]\nplugin = "kernel-deb"\ndeb = "%s"\n' kernels/kernel.deb
} >"$project/berth.toml"

build() {  # build the project; its output goes to $scratch/log
  "$berth" build -c "$project/berth.toml" -w "$project/work" -o "$project/out" --cache "$cache" \
    >"$scratch/log" 2>&1
}

build || { cat "$scratch/log" >&2; fail "build with kernel-deb failed"; }

# --- What the build produced --------------------------------------------------------
dpkg-deb -x "$deb" "$scratch/package"
version=$(basename "$(find "$scratch/package/usr/lib/modules" "$scratch/package/lib/modules" \
  -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1)")
[ -n "$version" ] || fail "no lib/modules/<version> in $deb"
rootfs_modules=$project/work/rootfs/usr/lib/modules/$version
early_modules=$project/work/initramfs/usr/lib/modules/$version

cmp "$scratch/package/boot/vmlinuz-$version" "$project/out/vmlinuz" ||
  fail "out/vmlinuz is not the package's boot/vmlinuz-$version"
for file in modules.dep modules.dep.bin modules.order modules.builtin config; do
  [ -f "$rootfs_modules/$file" ] || fail "rootfs lacks usr/lib/modules/$version/$file"
done
[ -f "$early_modules/modules.dep" ] || fail "initramfs lacks usr/lib/modules/$version/modules.dep"
[ -e "$project/work/initramfs/lib/modules/$version/modules.dep" ] ||
  fail "initramfs: /lib/modules/$version does not resolve (busybox modprobe looks there)"
if find "$rootfs_modules" "$early_modules" -name '*.ko.*' | grep -q .; then
  fail "compressed modules left in the image: $(find "$rootfs_modules" "$early_modules" -name '*.ko.*' | head -n 3)"
fi
for module in br_netfilter nf_tables xt_conntrack overlay veth squashfs ext4; do
  grep -q "/$module\\.ko:" "$rootfs_modules/modules.dep" || fail "rootfs lacks module $module"
done
for module in squashfs loop overlay isofs; do
  grep -q "/$module\\.ko:" "$early_modules/modules.dep" || fail "initramfs lacks module $module"
done
if grep -q '/nf_tables\.ko:' "$early_modules/modules.dep"; then
  fail "initramfs carries Docker's netfilter modules"
fi
# Every dependency depmod recorded is shipped alongside.
sed 's/^[^:]*://' "$rootfs_modules/modules.dep" | tr ' ' '\n' | sed '/^$/d' | sort -u |
  while read -r dep; do
    [ -f "$rootfs_modules/$dep" ] || fail "modules.dep names $dep, which is not shipped"
  done
package_name=$(dpkg-deb --field "$deb" Package)
grep -q "$package_name" "$project/out/manifest.txt" || fail "manifest.txt does not list $package_name"

module_count=$(grep -c . "$rootfs_modules/modules.dep")
echo "ok: kernel $version from a .deb: vmlinuz $(stat -c %s "$project/out/vmlinuz") bytes," \
  "$module_count modules ($(du -sb "$rootfs_modules" | cut -f1) bytes) in the rootfs," \
  "$(grep -c . "$early_modules/modules.dep") in the initramfs"

"$repo/tests/integration/kernel-check-config.sh" "$rootfs_modules"

# --- Bad `deb` values fail with one line naming the file ------------------------------
expect_failure() {  # $1: deb value, $2: text the error must contain
  sed -i "s|^deb = .*|deb = \"$1\"|" "$project/berth.toml"
  if build; then
    fail "deb = \"$1\" built"
  fi
  grep -qF "$2" "$scratch/log" || { cat "$scratch/log" >&2; fail "deb = \"$1\": no error saying '$2'"; }
  echo "ok: deb = \"$1\" fails: $(grep -F "$2" "$scratch/log" | head -n 1)"
}
expect_failure "/nonexistent/linux-image.deb" "/nonexistent/linux-image.deb does not exist"
expect_failure "kernels/missing.deb" "$project/kernels/missing.deb does not exist"
echo "not a package" >"$project/kernels/text.deb"
expect_failure "kernels/text.deb" "$project/kernels/text.deb is not a Debian package (.deb)"
# A real .deb without a kernel in it.
mkdir -p "$scratch/nokernel/DEBIAN" "$scratch/nokernel/usr/share/doc/nokernel"
printf 'Package: nokernel\nVersion: 1\nArchitecture: amd64\nMaintainer: Berth <berth@localhost>\nDescription: no kernel\n' \
  >"$scratch/nokernel/DEBIAN/control"
dpkg-deb --build --root-owner-group "$scratch/nokernel" "$project/kernels/nokernel.deb" >/dev/null
expect_failure "kernels/nokernel.deb" "$project/kernels/nokernel.deb: no kernel inside"

echo "PASS: kernel-deb"
