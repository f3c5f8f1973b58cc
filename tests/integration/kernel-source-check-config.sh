#!/bin/sh
# Moby's check-config.sh (tests/integration/kernel-check-config.sh) on every kernel
# kernel-source compiled into the cache: each must have every "Generally Necessary" option,
# and the modules it built for the rest must be in its module tree.
#
#   kernel-source-check-config.sh [CACHE_DIR]     (default /var/cache/berth)
#
# Exit 77 (skipped) when the cache holds no kernel-source kernel yet (`make iso` builds one).
set -eu

cache=${1:-/var/cache/berth}
here=$(dirname "$0")
found=0
for modules in "$cache"/kernel-source/kernels/*/usr/lib/modules/*; do
  [ -d "$modules" ] || continue
  case $modules in *.partial/*) continue ;; esac
  entry=${modules%/usr/lib/modules/*}
  version=${modules##*/}
  found=1
  echo "== kernel $version ($entry)"
  bash "$here/kernel-check-config.sh" "$modules" "$entry/boot/config-$version"
done
if [ "$found" = 0 ]; then
  echo "no kernel-source kernel in $cache/kernel-source/kernels" >&2
  exit 77
fi
