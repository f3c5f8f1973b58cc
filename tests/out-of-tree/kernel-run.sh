#!/bin/bash
# The out-of-tree kernel plugin end to end: kernel-tree (kernel_tree_plugin.cpp), built
# against the build tree's SDK, makes the kernel stage of a real build from a Debian kernel
# package unpacked into a directory. Checks that the SDK's Berth::kernel did the whole
# kernel-stage contract (docs/sdk.md) for it: vmlinuz, the chosen modules with their
# dependencies and depmod's indexes, the early modules in the initramfs, the config.
#
#   kernel-run.sh <berth build dir> <scratch dir> [CACHE]
#
# The package: the newest linux-image .deb in CACHE (default /var/cache/berth), else
# downloaded from the archive. Needs root (berth build does).
set -euo pipefail
build_dir=$1
scratch=$2
cache=${3:-/var/cache/berth}
here=$(cd "$(dirname "$0")" && pwd)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

rm -rf "$scratch"
mkdir -p "$scratch"
# shellcheck source=tests/integration/private-apt.sh
. "$here/../integration/private-apt.sh"
deb=$(kernel_package_deb "$scratch/apt" "$cache")
mkdir -p "$scratch/project"
dpkg-deb -x "$deb" "$scratch/project/staging"

cmake -S "$here" -B "$scratch/plugin-build" -DBerthSDK_DIR="$build_dir/sdk" >/dev/null
cmake --build "$scratch/plugin-build" --target kernel-tree >/dev/null

# A config of the kernel stage alone: the tree relative to the config file, a few
# modules whose dependencies are known, what /init needs early.
{
  debian_config_table
  cat <<'TOML'

[kernel]
plugin = "kernel-tree"
tree = "staging"
modules = ["vxlan", "overlay"]
early_modules = ["squashfs"]
TOML
} >"$scratch/project/berth.toml"
BERTH_PLUGIN_PATH=$scratch/plugin-build "$build_dir/bin/berth" build \
  -c "$scratch/project/berth.toml" -o "$scratch/out" -w "$scratch/work" --cache "$scratch/cache" \
  >"$scratch/log" 2>&1 || { cat "$scratch/log" >&2; fail "the build with kernel-tree failed"; }

version=$(basename "$(find "$scratch/project/staging/usr/lib/modules" -mindepth 1 -maxdepth 1 -type d)")
rootfs_modules=$scratch/work/rootfs/usr/lib/modules/$version
early_modules=$scratch/work/initramfs/usr/lib/modules/$version
cmp "$scratch/project/staging/boot/vmlinuz-$version" "$scratch/out/vmlinuz" ||
  fail "out/vmlinuz is not the tree's boot/vmlinuz-$version"
for file in modules.dep modules.dep.bin modules.builtin config; do
  [ -f "$rootfs_modules/$file" ] || fail "rootfs lacks usr/lib/modules/$version/$file"
done
# vxlan needs udp_tunnel and ip6_udp_tunnel (modules.dep): the closure ships them.
for module in vxlan udp_tunnel ip6_udp_tunnel overlay squashfs; do
  grep -q "/$module\\.ko:" "$rootfs_modules/modules.dep" || fail "rootfs lacks module $module"
done
grep -q '/squashfs\.ko:' "$early_modules/modules.dep" || fail "initramfs lacks squashfs"
if grep -q '/vxlan\.ko:' "$early_modules/modules.dep"; then
  fail "initramfs carries a module only the rootfs asked for"
fi
grep -q 'kernel .* modules' "$scratch/log" || fail "the build log does not say what kernel-tree installed"
echo "out-of-tree kernel plugin: ok (kernel $version, $(grep -c . "$rootfs_modules/modules.dep") modules)"
