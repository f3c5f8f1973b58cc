# shellcheck shell=sh
# Choosing a disk to erase, for `berth data prepare` and `berth install`: what is on it,
# whether anything uses it, and the typed confirmation. Sourced; the caller defines
# die() (one line on stderr, exit 1). Needs persist.sh (the data volume in use) and the
# base's lib.sh sourced first. BERTH_TEST_ROOT (unset on a real system) is put in front of
# /sys/class/block, for unit tests.

DISK_SYSFS=${BERTH_TEST_ROOT:-}/sys/class/block

disk_human_size() {
  awk -v b="$1" 'BEGIN {
    split("B KiB MiB GiB TiB PiB", unit, " "); i = 1
    while (b >= 1024 && i < 6) { b /= 1024; i++ }
    printf (i == 1 ? "%d %s" : "%.1f %s"), b, unit[i] }'
}

disk_bytes() {
  echo $(($(cat "$DISK_SYSFS/$1/size") * 512))
}

# The partitions of disk NAME, one name a line.
disk_partitions() {
  for _part in "$DISK_SYSFS/$1/$1"*; do
    [ -e "$_part/partition" ] && echo "${_part##*/}"
  done
  return 0
}

# Partition N of disk NAME: sdb3, or nvme0n1p3 when NAME ends in a digit.
disk_partition() {
  case $1 in
    *[0-9]) echo "${1}p$2" ;;
    *) echo "$1$2" ;;
  esac
}

# What blkid sees on /dev/NAME ("ext4 "label"", "gpt partition table"), or nothing.
disk_signature() {
  _info=$(blkid -p -o export "/dev/$1" 2>/dev/null) || _info=
  _type=$(echo "$_info" | sed -n 's/^TYPE=//p')
  _pt=$(echo "$_info" | sed -n 's/^PTTYPE=//p')
  _label=$(echo "$_info" | sed -n 's/^LABEL=//p')
  if [ -n "$_type" ]; then
    echo "$_type${_label:+ \"$_label\"}"
  elif [ -n "$_pt" ]; then
    echo "$_pt partition table"
  fi
}

disk_model() {
  _model=$(cat "$DISK_SYSFS/$1/device/model" 2>/dev/null) || _model=
  _model=$(echo "$_model" | sed 's/[[:space:]]*$//')
  echo "${_model:-unknown model}"
}

# Whole disks: no partitions, CD drives, RAM or loop devices.
disk_candidates() {
  for _dev in "$DISK_SYSFS"/*; do
    _name=${_dev##*/}
    [ -e "$_dev/partition" ] && continue
    case $_name in
      loop* | ram* | zram* | sr* | dm-* | md* | fd*) continue ;;
    esac
    echo "$_name"
  done
  return 0
}

# The mount point of /dev/NAME, if mounted (or "swap").
disk_mounted_at() {
  awk -v dev="/dev/$1" '$1 == dev { print $2; exit }' /proc/mounts
  awk -v dev="/dev/$1" '$1 == dev { print "swap"; exit }' /proc/swaps 2>/dev/null
}

disk_boot_disk() {
  if [ -r /run/berth/medium.env ]; then
    # shellcheck disable=SC1091 # written by fs-squashfs's rc.d/12-medium (the base)
    (. /run/berth/medium.env && echo "${BERTH_MEDIUM_DISK:-}")
  fi
}

# Why disk NAME is in use (one line), or nothing.
disk_busy_reason() {
  _boot=$(disk_boot_disk)
  if [ "$_boot" = "/dev/$1" ]; then
    echo "Berth booted from it"
    return 0
  fi
  persist_load
  for _part in "$1" $(disk_partitions "$1"); do
    if [ "$BERTH_DATA_STATE" = on ] && [ "$BERTH_DATA_DEVICE" = "/dev/$_part" ]; then
      echo "it holds the data volume in use"
      return 0
    fi
    _where=$(disk_mounted_at "$_part")
    if [ -n "$_where" ]; then
      echo "/dev/$_part is mounted ($(echo "$_where" | head -n 1))"
      return 0
    fi
    for _holder in "$DISK_SYSFS/$_part/holders"/*; do
      [ -e "$_holder" ] || continue
      echo "/dev/$_part is in use by ${_holder##*/} (device mapper, RAID or encryption)"
      return 0
    done
  done
  return 0
}

# disk_check DISK MIN_BYTES PURPOSE: dies unless DISK (/dev/sdb or sdb) is a whole disk
# nothing uses, writable and at least MIN_BYTES big (PURPOSE: "a data volume", "Berth"
# in "too small; ... needs at least"). Prints the kernel's name of the disk.
disk_check() {
  _name=${1#/dev/}
  case $_name in
    '' | */* | .*) die "$1: not a disk name like /dev/sdb" ;;
  esac
  [ -b "/dev/$_name" ] || die "/dev/$_name: no such disk"
  [ -d "$DISK_SYSFS/$_name" ] || die "/dev/$_name: not known to the kernel"
  if [ -e "$DISK_SYSFS/$_name/partition" ]; then
    _parent=$(basename "$(dirname "$(readlink -f "$DISK_SYSFS/$_name")")")
    die "/dev/$_name is a partition; name the whole disk (/dev/$_parent)"
  fi
  case $_name in
    loop* | ram* | zram* | sr* | dm-* | md* | fd*) die "/dev/$_name is not a disk $3 can go on" ;;
  esac
  _reason=$(disk_busy_reason "$_name")
  [ -z "$_reason" ] || die "refusing /dev/$_name: $_reason"
  [ "$(cat "$DISK_SYSFS/$_name/ro" 2>/dev/null || echo 0)" = 0 ] ||
    die "refusing /dev/$_name: it is read-only"
  _bytes=$(disk_bytes "$_name")
  [ "$_bytes" -ge "$2" ] ||
    die "refusing /dev/$_name: $(disk_human_size "$_bytes") is too small; $3 needs at least $(($2 / 1048576)) MiB"
  echo "$_name"
}

# What is on disk NAME, for the warning ("gpt partition table; sdb1: ext4 "x""), or nothing.
disk_contents() {
  _contents=$(disk_signature "$1")
  for _part in $(disk_partitions "$1"); do
    _contents="${_contents:+$_contents; }$_part: $(disk_signature "$_part" | sed 's/^$/no filesystem/')"
  done
  echo "$_contents"
}

# disk_confirm NAME YES CONTENTS FORCE: refuses a disk holding data without FORCE=1, says
# what will be erased and, unless YES=1, wants the disk's name typed on a terminal.
disk_confirm() {
  if [ -n "$3" ] && [ "$4" = 0 ]; then
    die "refusing /dev/$1: it holds data ($3); add --force to erase it"
  fi
  echo "This erases /dev/$1 ($(disk_model "$1"), $(disk_human_size "$(disk_bytes "$1")"))${3:+, with: $3}."
  [ "$2" = 0 ] || return 0
  [ -t 0 ] || die "refusing: not confirmed (run it on a terminal, or add --yes)"
  printf 'Type %s to erase it: ' "$1"
  read -r _answer || _answer=
  [ "$_answer" = "$1" ] || die "not confirmed; nothing was written"
}

# Wipes the signatures of disk NAME's partitions, so no old filesystem shows through a
# new partition that starts where it did.
disk_wipe_partitions() {
  for _part in $(disk_partitions "$1"); do
    wipefs -q -a "/dev/$_part" >/dev/null 2>&1 || true
  done
}

# Waits up to 10 s for /dev/PART to appear after partitioning.
disk_wait_partition() {
  berth_wait_until 10 test -b "/dev/$1" || die "/dev/$1 did not appear after partitioning"
}
