# shellcheck shell=sh
# Finding the medium Berth booted from (fs-squashfs: the base). Sourced, never run: by
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
#                                FILE in one step (lib.sh's berth_env_write)
#
# A frugal install (berth.from=) or the ISO file booted through GRUB's loopback
# (berth.iso=) has no medium of its own: the initramfs hook early.d/20-from mounted the
# filesystem holding it at /run/berth/host, attached its data file to a loop device and
# wrote /run/berth/from.env (BERTH_FROM_*: see that hook). Then:
#   berth_medium_from_load       sources from.env; status 0 when the hook found the files
#   berth_medium_from_mount      the medium at $BERTH_MEDIUM_DIR is the directory (bound
#                                read-only) or the ISO file (loop-mounted read-only);
#                                sets BERTH_MEDIUM_* (DEVICE and DISK: the filesystem and
#                                disk holding the files, so nothing erases them)
#   berth_medium_from_release    for the power-off, after persist-disk's stop: the
#                                processes still using them ended, the data volume in
#                                the data file unmounted, its LUKS mapping closed, the
#                                loop device detached, the host filesystem unmounted or
#                                at least read-only; one line for what cannot be done,
#                                status 1 then
#
# Tools: blkid (util-linux: -p probes the device itself, no cache; busybox has no blkid
# applet), mount, umount, mktemp, and for from.env losetup, cryptsetup, stat and kill.
# BERTH_TEST_ROOT, unset on a real system, is put in front of /sys/class/block, /dev,
# /proc and /run/berth, and blkid, mount, umount, losetup, cryptsetup and kill are then
# run from $BERTH_TEST_ROOT/bin/: the unit tests run this against fake trees and fake
# tools, and can never mount anything on the build host (a busybox shell would run its
# own mount applet before any fake on PATH).
# Helper variables start with _bm_ so that sourcing this file clobbers nothing else.

_bm_root=${BERTH_TEST_ROOT:-}
# shellcheck source-path=SCRIPTDIR/../../../../both/usr/lib/berth source=lib.sh
. "$_bm_root/usr/lib/berth/lib.sh"
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
# disk (a medium of its own), dir (berth.from) or iso (berth.iso); PATH: the directory or
# ISO file on BERTH_MEDIUM_DEVICE's filesystem, empty for a medium of its own.
BERTH_MEDIUM_KIND=disk
BERTH_MEDIUM_PATH=

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
  # A second between looks: each mounts what it has not checked yet.
  berth_wait_every 10 "$2" berth_medium_search "$1"
}

# The medium Berth booted from: /etc/berth/rc.d/12-medium.
berth_medium_write_env() {
  berth_env_write "$1" BERTH_MEDIUM_ID "$BERTH_MEDIUM_ID" \
    BERTH_MEDIUM_DEVICE "$BERTH_MEDIUM_DEVICE" BERTH_MEDIUM_DISK "$BERTH_MEDIUM_DISK" \
    BERTH_MEDIUM_FSTYPE "$BERTH_MEDIUM_FSTYPE" BERTH_MEDIUM_DIR "$BERTH_MEDIUM_DIR" \
    BERTH_MEDIUM_KIND "$BERTH_MEDIUM_KIND" BERTH_MEDIUM_PATH "$BERTH_MEDIUM_PATH"
}

berth_medium_from_load() {
  BERTH_FROM_STATE=
  [ -r "$_bm_run/from.env" ] || return 1
  # shellcheck disable=SC1091 # written by early.d/20-from
  . "$_bm_run/from.env" || return 1
  [ "$BERTH_FROM_STATE" = on ]
}

berth_medium_from_mount() {
  _bm_source=$_bm_root$BERTH_FROM_HOST$BERTH_FROM_PATH
  mkdir -p "$BERTH_MEDIUM_DIR" || return 1
  if [ "$BERTH_FROM_KIND" = iso ]; then
    "${_bm_tools}mount" -t iso9660 -o loop,ro "$_bm_source" "$BERTH_MEDIUM_DIR" || return 1
    BERTH_MEDIUM_FSTYPE=iso9660
  else
    # Read-only, like any medium: the host filesystem itself stays writable for the
    # data file.
    "${_bm_tools}mount" --bind "$_bm_source" "$BERTH_MEDIUM_DIR" || return 1
    if ! "${_bm_tools}mount" -o remount,bind,ro "$BERTH_MEDIUM_DIR"; then
      berth_medium_unmount "$BERTH_MEDIUM_DIR"
      return 1
    fi
    BERTH_MEDIUM_FSTYPE=$BERTH_FROM_FSTYPE
  fi
  BERTH_MEDIUM_ID=
  for _bm_id in "$BERTH_MEDIUM_DIR"/berth/boot/*.id; do
    [ -f "$_bm_id" ] || continue
    _bm_id=${_bm_id##*/}
    BERTH_MEDIUM_ID=${_bm_id%.id}
    break
  done
  BERTH_MEDIUM_KIND=$BERTH_FROM_KIND
  BERTH_MEDIUM_PATH=$BERTH_FROM_PATH
  BERTH_MEDIUM_DEVICE=$BERTH_FROM_DEVICE
  BERTH_MEDIUM_DISK=/dev/$(berth_medium_disk "${BERTH_FROM_DEVICE##*/}") ||
    BERTH_MEDIUM_DISK=$BERTH_MEDIUM_DEVICE
  return 0
}

# _bm_mounted_from DEVICE...: the mount points of those devices, last mounted first.
_bm_mounted_from() {
  awk -v devs=" $* " 'index(devs, " " $1 " ") { print $2 }' "$_bm_root/proc/mounts" \
    2>/dev/null | sed -n '1!G;h;$p'
}

# _bm_end_users DIR: ends the processes that still use the filesystem mounted at DIR. At
# power-off, with every service stopped, what is left is a login shell whose working
# directory is /root (bound from the data volume and only lazily unbound) and the like:
# it would keep the data file, and so the host filesystem, busy; init ends it a moment
# later anyway. One stat over every process's cwd, root and open files.
_bm_end_users() {
  _bm_fsdev=$(stat -c %d "$1" 2>/dev/null) || return 0
  _bm_pids=$(stat -L -c '%d %n' "$_bm_root"/proc/[0-9]*/cwd "$_bm_root"/proc/[0-9]*/root \
    "$_bm_root"/proc/[0-9]*/fd/* 2>/dev/null |
    sed -n "s|^$_bm_fsdev .*/proc/\([0-9]*\)/.*|\1|p" | sort -u |
    awk -v self="$$" '$1 != 1 && $1 != self')
  [ -n "$_bm_pids" ] || return 0
  echo "berth: ending what still uses $1 (process $(echo "$_bm_pids" | tr '\n' ' ' | sed 's/ $//'))"
  # shellcheck disable=SC2086 # one process id a word
  "${_bm_tools}kill" -TERM $_bm_pids 2>/dev/null
  sleep 1
  # shellcheck disable=SC2086
  "${_bm_tools}kill" -KILL $_bm_pids 2>/dev/null
  return 0
}

berth_medium_from_release() {
  berth_medium_from_load || return 0
  _bm_host=$_bm_root$BERTH_FROM_HOST
  sync
  if [ -n "$BERTH_FROM_LOOP" ]; then
    # The data volume is the loop device itself or, encrypted, a device-mapper device on
    # it (a holder of the loop device, mounted as /dev/mapper/NAME).
    _bm_loop=${BERTH_FROM_LOOP##*/}
    _bm_devices=$BERTH_FROM_LOOP
    _bm_maps=
    for _bm_holder in "$_bm_sys/$_bm_loop/holders"/*; do
      [ -e "$_bm_holder" ] || continue
      _bm_map=$(cat "$_bm_holder/dm/name" 2>/dev/null) || continue
      _bm_maps="$_bm_maps $_bm_map"
      _bm_devices="$_bm_devices /dev/mapper/$_bm_map /dev/${_bm_holder##*/}"
    done
    # shellcheck disable=SC2086 # one device a word
    for _bm_dir in $(_bm_mounted_from $_bm_devices); do
      _bm_end_users "$_bm_dir"
      if ! "${_bm_tools}umount" "$_bm_dir" 2>/dev/null; then
        echo "berth: the data volume in $BERTH_FROM_DATA is still in use at $_bm_dir (berth.persist=full keeps the root there); $BERTH_FROM_DEVICE was synced and stays mounted"
        return 1
      fi
    done
    for _bm_map in $_bm_maps; do
      DM_DISABLE_UDEV=1 "${_bm_tools}cryptsetup" close "$_bm_map" 2>/dev/null ||
        echo "berth: cannot close /dev/mapper/$_bm_map on $BERTH_FROM_LOOP"
    done
    "${_bm_tools}losetup" -d "$BERTH_FROM_LOOP" 2>/dev/null ||
      echo "berth: cannot detach $BERTH_FROM_LOOP from $BERTH_FROM_DATA"
  fi
  # The ISO file's own loop device (the medium, unmounted by now) would keep the host
  # filesystem busy if the mount left it attached.
  for _bm_backing in "$_bm_sys"/loop*/loop/backing_file; do
    [ -f "$_bm_backing" ] || continue
    [ "$(cat "$_bm_backing" 2>/dev/null)" = "$BERTH_FROM_HOST$BERTH_FROM_PATH" ] || continue
    _bm_loop=${_bm_backing%/loop/backing_file}
    "${_bm_tools}losetup" -d "/dev/${_bm_loop##*/}" 2>/dev/null
  done
  berth_medium_mounted "$_bm_host" || return 0
  _bm_end_users "$_bm_host"
  "${_bm_tools}umount" "$_bm_host" 2>/dev/null && return 0
  "${_bm_tools}mount" -o remount,ro "$_bm_host" 2>/dev/null && return 0
  echo "berth: $BERTH_FROM_DEVICE is busy; it was synced but stays mounted read-write"
  return 1
}
