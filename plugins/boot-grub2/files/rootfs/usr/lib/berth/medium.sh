# shellcheck shell=sh
# Finding the medium Berth booted from (boot-grub2). Sourced, never run: by
# /etc/berth/rc.d/12-medium, and by anything else that needs to look for the medium.
#
# GRUB found its medium by the file /berth/boot/ID.id, which only that medium has, and
# passed berth.medium=ID to the kernel. The medium is the block device whose filesystem
# holds that file: a CD (iso9660), a USB stick or disk the ISO was written to (iso9660
# on the whole disk, and often on its first partition too), or a FAT or ext partition
# the boot files were copied to.
#
#   berth_medium_candidates      names of the block devices worth probing (sr0, sda,
#                                sda1, ...), one a line, in name order: all but loop,
#                                ram, zram and device-mapper devices, and none of size 0
#                                (an empty CD drive or card reader)
#   berth_medium_disk NAME       the whole disk NAME is on: the parent of a partition,
#                                NAME itself for a disk or a CD
#   berth_medium_options FSTYPE  the mount options for a medium's filesystem: read-only,
#                                and for ext3/ext4 noload, so that a journal is never
#                                replayed; status 1 for a type no medium has
#   berth_medium_search ID       one pass over the candidates. Status 0 when found: the
#                                medium is mounted read-only at $BERTH_MEDIUM_DIR and
#                                BERTH_MEDIUM_ID, _DEVICE (/dev/sda1: holds the
#                                filesystem), _DISK (/dev/sda) and _FSTYPE are set
#   berth_medium_wait ID SECONDS berth_medium_search once a second until it finds the
#                                medium (status 0) or SECONDS have passed (status 1)
#   berth_medium_mounted DIR     status 0 when something is mounted at DIR
#   berth_medium_unmount DIR     umount DIR, lazily when something still uses it
#   berth_medium_write_env FILE  the BERTH_MEDIUM_* variables as sourceable sh, replacing
#                                FILE in one step
#   berth_sh_quote VALUE         VALUE in single quotes, read back unchanged by sh
#
# Tools: blkid (util-linux: -p probes the device itself, no cache; busybox has no blkid
# applet), mount, umount, mktemp. BERTH_TEST_ROOT, unset on a real system, is put in
# front of /sys/class/block, /dev, /proc and /run/berth, and blkid, mount and umount are
# then run from $BERTH_TEST_ROOT/bin/: the unit tests run this against fake trees and
# fake tools, and can never mount anything on the build host (a busybox shell would run
# its own mount applet before any fake on PATH).
# Helper variables start with _bm_ so that sourcing this file clobbers nothing else.

_bm_root=${BERTH_TEST_ROOT:-}
_bm_sys=$_bm_root/sys/class/block
_bm_dev=$_bm_root/dev
_bm_run=$_bm_root/run/berth
_bm_tools=${BERTH_TEST_ROOT:+$BERTH_TEST_ROOT/bin/}
_bm_checked=' '
BERTH_MEDIUM_DIR=$_bm_run/medium
BERTH_MEDIUM_ID=
BERTH_MEDIUM_DEVICE=
BERTH_MEDIUM_DISK=
BERTH_MEDIUM_FSTYPE=

berth_medium_candidates() {
  for _bm_path in "$_bm_sys"/*; do
    _bm_name=${_bm_path##*/}
    case $_bm_name in
      loop* | ram* | zram* | dm-* | '*') continue ;;
    esac
    _bm_size=
    { read -r _bm_size <"$_bm_path/size"; } 2>/dev/null
    [ "$_bm_size" != 0 ] || continue
    printf '%s\n' "$_bm_name"
  done
}

berth_medium_disk() {
  if [ -e "$_bm_sys/$1/partition" ]; then
    # /sys/class/block/sda1 links to .../block/sda/sda1: the directory above is the disk.
    _bm_parent=$(cd -P "$_bm_sys/$1/.." 2>/dev/null && pwd -P) || return 1
    printf '%s\n' "${_bm_parent##*/}"
  else
    printf '%s\n' "$1"
  fi
}

berth_medium_options() {
  case $1 in
    iso9660 | vfat | ext2) echo ro ;;
    ext3 | ext4) echo ro,noload ;;
    *) return 1 ;;
  esac
}

berth_medium_mounted() {
  awk -v dir="$1" '$2 == dir { found = 1 } END { exit !found }' "$_bm_root/proc/mounts" \
    2>/dev/null
}

berth_medium_unmount() {
  "${_bm_tools}umount" "$1" 2>/dev/null || "${_bm_tools}umount" -l "$1"
}

berth_medium_search() {
  mkdir -p "$_bm_run" || return 1
  _bm_probe=$(mktemp -d "$_bm_run/medium-probe.XXXXXX") || return 1
  _bm_status=1
  for _bm_name in $(berth_medium_candidates); do
    # Devices seen to hold another filesystem are not probed again on the next pass.
    case $_bm_checked in
      *" $_bm_name "*) continue ;;
    esac
    _bm_device=$_bm_dev/$_bm_name
    # No answer: no filesystem, or not yet readable (a drive still spinning up).
    _bm_type=$("${_bm_tools}blkid" -p -o value -s TYPE "$_bm_device" 2>/dev/null) || continue
    if ! _bm_options=$(berth_medium_options "$_bm_type"); then
      _bm_checked="$_bm_checked$_bm_name "
      continue
    fi
    "${_bm_tools}mount" -t "$_bm_type" -o "$_bm_options" "$_bm_device" "$_bm_probe" \
      2>/dev/null || continue
    _bm_match=0
    [ -f "$_bm_probe/berth/boot/$1.id" ] && _bm_match=1
    berth_medium_unmount "$_bm_probe" 2>/dev/null
    if [ "$_bm_match" = 0 ]; then
      _bm_checked="$_bm_checked$_bm_name "
      continue
    fi
    mkdir -p "$BERTH_MEDIUM_DIR" || break
    "${_bm_tools}mount" -t "$_bm_type" -o "$_bm_options" "$_bm_device" "$BERTH_MEDIUM_DIR" ||
      continue
    BERTH_MEDIUM_ID=$1
    BERTH_MEDIUM_DEVICE=/dev/$_bm_name
    BERTH_MEDIUM_DISK=/dev/$(berth_medium_disk "$_bm_name") ||
      BERTH_MEDIUM_DISK=$BERTH_MEDIUM_DEVICE
    BERTH_MEDIUM_FSTYPE=$_bm_type
    _bm_status=0
    break
  done
  rmdir "$_bm_probe" 2>/dev/null
  return "$_bm_status"
}

berth_medium_wait() {
  _bm_checked=' '
  _bm_deadline=$(($(date +%s) + $2))
  while :; do
    berth_medium_search "$1" && return 0
    [ "$(date +%s)" -lt "$_bm_deadline" ] || return 1
    sleep 1
  done
}

berth_sh_quote() {
  printf "'%s'\n" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

berth_medium_write_env() {
  {
    echo "# The medium Berth booted from: /etc/berth/rc.d/12-medium (boot-grub2)."
    echo "BERTH_MEDIUM_ID=$(berth_sh_quote "$BERTH_MEDIUM_ID")"
    echo "BERTH_MEDIUM_DEVICE=$(berth_sh_quote "$BERTH_MEDIUM_DEVICE")"
    echo "BERTH_MEDIUM_DISK=$(berth_sh_quote "$BERTH_MEDIUM_DISK")"
    echo "BERTH_MEDIUM_FSTYPE=$(berth_sh_quote "$BERTH_MEDIUM_FSTYPE")"
    echo "BERTH_MEDIUM_DIR=$(berth_sh_quote "$BERTH_MEDIUM_DIR")"
  } >"$1.tmp" && mv -f "$1.tmp" "$1"
}
