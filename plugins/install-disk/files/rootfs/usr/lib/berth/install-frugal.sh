#!/bin/sh
# berth install --frugal PARTITION[:DIR] [--data-size SIZE] [--encrypt] [--key-file FILE]
#                        [--from DIR] [--grub-config] [--force]
#     copy Berth into directory DIR (default /berth) of the ext2/3/4 or FAT filesystem on
#     PARTITION (e.g. /dev/sda2), next to what is there: nothing is partitioned or
#     formatted, no file outside DIR is touched. DIR gets berth/boot/ (kernel, initrd),
#     the medium's berth/images/ and berth/bin/, and data.img, the data volume (ext4 in a
#     file; an existing one is kept). Prints the GRUB menu entry that boots it.
#     --data-size SIZE  data.img's size: 512M, 4G... (default 1G; FAT holds under 4G)
#     --encrypt         data.img is LUKS2; the passphrase is asked twice, or taken from
#                       --key-file FILE (its exact bytes)
#     --from DIR        the medium to install from (default: the one Berth booted from)
#     --grub-config     add the entry to the GRUB menu on PARTITION (/boot/grub/custom.cfg,
#                       which Debian's grub.cfg reads) without asking
#     --force           DIR may hold other files (they are left there)
#     --yes             ask nothing (the GRUB menu is then only changed with --grub-config)
#
# Run by `berth install --frugal ...` (install-disk's commands/install). The boot parameter
# berth.from=UUID=<filesystem UUID>:DIR tells the initramfs (early.d/20-from) where the
# files and data.img are.

set -eu
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() {
  echo "berth install: $*" >&2
  exit 1
}
# persist-disk's persist.sh and disk.sh (install-disk needs it; the build checks they are
# there). BERTH_TEST_ROOT (unset on a real system) is put in front of the library
# directory, for unit tests.
# shellcheck source-path=SCRIPTDIR/../../../../../../fs-squashfs/files/both/usr/lib/berth source=lib.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/lib.sh"
# shellcheck source-path=SCRIPTDIR/../../../../../../persist-disk/files/rootfs/usr/lib/berth source=persist.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/persist.sh"
# shellcheck source-path=SCRIPTDIR/../../../../../../persist-disk/files/rootfs/usr/lib/berth source=disk.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/disk.sh"
# shellcheck source-path=SCRIPTDIR source=disk-boot.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/disk-boot.sh"

WORK=/run/berth/install-frugal
# Room for the filesystem, the LUKS2 header (16 MiB) and a few files.
MIN_DATA_MIB=64
# FAT's largest file is 4 GiB less a byte.
FAT_MAX_MIB=4095

usage() {
  sed -n '2,16s/^# \{0,1\}//p' "$0"
}

# size_mib SIZE: 512M, 4G, 1T or a number of MiB -> MiB; nothing for anything else.
size_mib() {
  case $1 in
    '' | *[!0-9mMgGtT]* | [!0-9]* | *[mMgGtT]?*) return 1 ;;
    *[mM]) echo "${1%?}" ;;
    *[gG]) echo $((${1%?} * 1024)) ;;
    *[tT]) echo $((${1%?} * 1048576)) ;;
    *) echo "$1" ;;
  esac
}

[ "${1:-}" != --frugal ] || shift
target=
data_size=1G
encrypt=0
key_file=
from=
grub_config=0
force=0
yes=0
while [ $# -gt 0 ]; do
  case $1 in
    --data-size)
      [ $# -ge 2 ] || die "--data-size needs a size (e.g. 2G)"
      data_size=$2
      shift
      ;;
    --encrypt) encrypt=1 ;;
    --key-file)
      [ $# -ge 2 ] || die "--key-file needs a file"
      key_file=$2
      shift
      ;;
    --from)
      [ $# -ge 2 ] || die "--from needs a directory"
      from=$2
      shift
      ;;
    --grub-config) grub_config=1 ;;
    --force) force=1 ;;
    --yes | -y) yes=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option $1 (see 'berth install --help')" ;;
    *)
      [ -z "$target" ] || die "one target at a time ($target and $1 given)"
      target=$1
      ;;
  esac
  shift
done
[ -n "$target" ] || die "where? e.g. 'berth install --frugal /dev/sda2:/berth'"

# PARTITION[:DIR]; DIR goes on the kernel command line and into GRUB's menu: plain
# characters only.
part=${target%%:*}
dir=/berth
case $target in
  *:*) dir=${target#*:} ;;
esac
case $part in
  /dev/?*) ;;
  *) die "$part: not a device like /dev/sda2" ;;
esac
case $dir in
  /*) ;;
  *) die "$dir: DIR must be an absolute path on the partition, like /berth" ;;
esac
case $dir in
  / | *[!A-Za-z0-9._/-]* | */../* | */.. | */./* | */. | *//*)
    die "$dir: DIR must be a directory below / of plain letters, digits, . _ - and / (no .., no //)"
    ;;
esac
dir=${dir%/}
data_mib=$(size_mib "$data_size") || die "--data-size $data_size: not a size like 512M or 4G"
[ "$data_mib" -ge "$MIN_DATA_MIB" ] || die "--data-size $data_size: data.img needs at least $MIN_DATA_MIB MiB"
if [ -n "$key_file" ]; then
  [ "$encrypt" = 1 ] || die "--key-file goes with --encrypt"
  diskboot_check_key_file "$key_file"
fi
[ "$encrypt" = 0 ] || diskboot_load_luks

# The medium: its boot files, images and commands.
medium_kind=
medium_path=
medium_device=
if [ -r /run/berth/medium.env ]; then
  # shellcheck disable=SC1091 # fs-squashfs's rc.d/12-medium
  . /run/berth/medium.env
  medium_kind=${BERTH_MEDIUM_KIND:-disk}
  medium_path=${BERTH_MEDIUM_PATH:-}
  medium_device=${BERTH_MEDIUM_DEVICE:-}
fi
[ -n "$from" ] || from=$(diskboot_booted_medium) || exit 1
diskboot_check_source "$from"

[ -b "$part" ] || die "$part: no such block device"
fstype=$(blkid -p -o value -s TYPE "$part" 2>/dev/null) || fstype=
case $fstype in
  ext2 | ext3 | ext4 | vfat) ;;
  '') die "$part holds no filesystem; a frugal install goes into an ext2/3/4 or FAT filesystem" ;;
  *) die "$part holds $fstype; a frugal install goes into an ext2/3/4 or FAT filesystem" ;;
esac
if [ "$fstype" = vfat ] && [ "$data_mib" -gt "$FAT_MAX_MIB" ]; then
  die "--data-size $data_size: a FAT filesystem holds no file of 4 GiB or more"
fi
# Its data.img, labelled BERTH-DATA too, would make two data volumes at every boot.
if [ "$(blkid -p -o value -s LABEL "$part" 2>/dev/null || true)" = BERTH-DATA ]; then
  die "refusing $part: it is a Berth data volume (BERTH-DATA); install next to it, not into it"
fi
uuid=$(blkid -p -o value -s UUID "$part" 2>/dev/null) || uuid=
[ -n "$uuid" ] || die "$part: its filesystem has no UUID to boot it by"
# Writing over the files this system runs from would pull them from under it.
if [ "$medium_kind" = dir ] && [ "$medium_device" = "$part" ] && [ "$medium_path" = "$dir" ]; then
  die "refusing $part:$dir: Berth is running from it"
fi

mkdir -p "$WORK"
chmod 700 "$WORK"
key=$WORK/key
mounted_here=
cleanup() {
  [ "$encrypt" = 0 ] || luks_close berth-frugal 2>/dev/null || true
  rm -f "$key"
  [ -z "$mounted_here" ] || umount "$mounted_here" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The partition as it is mounted already (it must be writable), or mounted here.
mnt=$(disk_mounted_at "${part#/dev/}" | head -n 1)
if [ "$mnt" = swap ]; then
  die "$part is in use as swap"
elif [ -n "$mnt" ]; then
  options=$(awk -v dev="$part" '$1 == dev { print $4; exit }' /proc/mounts)
  case ,$options, in
    *,ro,*) die "$part is mounted read-only at $mnt; remount it read-write first" ;;
  esac
else
  mnt=$WORK/target
  mkdir -p "$mnt"
  mount -t "$fstype" -o rw "$part" "$mnt" || die "cannot mount $part ($fstype)"
  mounted_here=$mnt
fi
target_dir=$mnt$dir

# A GRUB menu made by Debian's grub-mkconfig reads custom.cfg beside it at every boot
# and update-grub never rewrites that file: the one place an entry can safely go.
grub_cfg=
for candidate in "$mnt/boot/grub/grub.cfg" "$mnt/grub/grub.cfg"; do
  if [ -f "$candidate" ] && grep -q 'custom\.cfg' "$candidate"; then
    grub_cfg=$candidate
    break
  fi
done
if [ "$grub_config" = 1 ] && [ -z "$grub_cfg" ]; then
  die "--grub-config: $part has no GRUB menu that reads custom.cfg (/boot/grub/grub.cfg from grub-mkconfig); nothing was written"
fi

# A directory holding anything but an earlier frugal install is someone else's.
if [ -e "$target_dir" ] && [ ! -d "$target_dir" ]; then
  die "refusing $part:$dir: it is a file"
fi
others=
if [ -d "$target_dir" ]; then
  for entry in "$target_dir"/* "$target_dir"/.[!.]* "$target_dir"/..?*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    case ${entry##*/} in
      berth | data.img | data.img.part) ;;
      *) others="$others ${entry##*/}" ;;
    esac
  done
  if [ -e "$target_dir/berth" ] && [ ! -d "$target_dir/berth/boot" ]; then
    others="$others berth (not a Berth install)"
  fi
fi
if [ -n "$others" ] && [ "$force" = 0 ]; then
  die "refusing $part:$dir: it holds other files ($(echo "$others" | cut -c2- | cut -c1-200)); add --force to install next to them"
fi

# Room: the boot files, images and commands (less an earlier install's), and data.img
# unless one is kept.
kib_of() {
  if [ -e "$1" ]; then du -sk "$1" | awk '{ print $1 }'; else echo 0; fi
}
need_kib=0
old_kib=0
for what in boot images bin; do
  need_kib=$((need_kib + $(kib_of "$from/berth/$what")))
  old_kib=$((old_kib + $(kib_of "$target_dir/berth/$what")))
done
keep_data=0
[ ! -f "$target_dir/data.img" ] || keep_data=1
[ "$keep_data" = 1 ] || need_kib=$((need_kib + data_mib * 1024))
# The new boot files are written beside the old ones before these go.
need_kib=$((need_kib + 1024))
free_kib=$(df -Pk "$mnt" | awk 'NR == 2 { print $4 }')
if [ "$need_kib" -gt "$((free_kib + old_kib))" ]; then
  die "not enough room on $part: the install needs $((need_kib / 1024)) MiB, $((free_kib / 1024)) MiB are free"
fi

if [ "$encrypt" = 1 ] && [ "$keep_data" = 0 ]; then
  diskboot_take_key "$key_file" "$key" "the encrypted data file"
fi

echo "berth: installing into $part:$dir ($fstype)"
mkdir -p "$target_dir/berth"
# Each tree is written under a temporary name and swapped in, so an interrupted copy
# leaves the earlier install whole.
for what in boot images bin; do
  [ -d "$from/berth/$what" ] || continue
  rm -rf "$target_dir/berth/$what.new" "$target_dir/berth/$what.old"
  # -R, not -a: FAT keeps no owners or modes.
  cp -R "$from/berth/$what" "$target_dir/berth/$what.new" ||
    die "cannot copy berth/$what/ to $part:$dir"
  sync
  if [ -e "$target_dir/berth/$what" ]; then
    mv "$target_dir/berth/$what" "$target_dir/berth/$what.old"
  fi
  mv "$target_dir/berth/$what.new" "$target_dir/berth/$what" ||
    die "cannot rename berth/$what.new on $part:$dir"
  rm -rf "$target_dir/berth/$what.old"
done

image=$target_dir/data.img
if [ "$keep_data" = 1 ]; then
  echo "berth: keeping the data file $dir/data.img ($(disk_human_size "$(wc -c <"$image")"))"
  [ "$encrypt" = 0 ] || echo "berth: (it stays as it is: --encrypt only applies to a new data file)"
else
  echo "berth: making the data file $dir/data.img ($data_mib MiB)"
  rm -f "$image.part"
  # Allocated in full: a data volume that runs out of room on the host fails badly.
  dd if=/dev/zero of="$image.part" bs=1048576 count="$data_mib" conv=fsync 2>/dev/null ||
    die "cannot write $dir/data.img.part on $part"
  if [ "$encrypt" = 1 ]; then
    luks_format "$image.part" "$key" BERTH-DATA || die "cannot encrypt $dir/data.img.part"
    luks_open "$image.part" berth-frugal "$key" || die "cannot open the new LUKS data file"
    mkfs.ext4 -q -F -m 1 -L BERTH-DATA /dev/mapper/berth-frugal ||
      die "mkfs.ext4 failed on $dir/data.img.part"
    luks_close berth-frugal
  else
    mkfs.ext4 -q -F -m 1 -L BERTH-DATA "$image.part" || die "mkfs.ext4 failed on $dir/data.img.part"
  fi
  sync
  # Only a complete data file gets its name.
  mv "$image.part" "$image" || die "cannot rename $dir/data.img.part"
fi
sync

# The entry for the bootloader already on the machine.
case $fstype in
  vfat) fs_module=fat ;;
  *) fs_module=ext2 ;;
esac
params="berth.from=UUID=$uuid:$dir $(cat "$from/berth/boot/disk/linux-params")"
entry=$(
  cat <<ENTRY
menuentry 'Berth ($part:$dir)' {
  insmod part_gpt
  insmod part_msdos
  insmod $fs_module
  search --no-floppy --set=root --fs-uuid $uuid
  linux $dir/berth/boot/vmlinuz $params
  initrd $dir/berth/boot/initrd.img
}
ENTRY
)

if [ -n "$grub_cfg" ] && [ "$grub_config" = 0 ] && [ "$yes" = 0 ] && [ -t 0 ]; then
  printf 'Add the entry to the GRUB menu on %s (%s)? [y/N] ' "$part" "${grub_cfg#"$mnt"}"
  read -r answer || answer=
  case $answer in
    y | Y | yes | YES) grub_config=1 ;;
  esac
fi
if [ "$grub_config" = 1 ]; then
  custom=${grub_cfg%/*}/custom.cfg
  begin="### BEGIN berth $dir"
  end="### END berth $dir"
  # An earlier entry for the same DIR is replaced; everything else stays as it was.
  {
    if [ -f "$custom" ]; then
      awk -v b="$begin" -v e="$end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' "$custom"
    fi
    echo "$begin"
    echo "$entry"
    echo "$end"
  } >"$custom.berth-new" || die "cannot write ${custom#"$mnt"} on $part"
  mv "$custom.berth-new" "$custom" || die "cannot replace ${custom#"$mnt"} on $part"
  sync
  echo "berth: added the entry to ${custom#"$mnt"} on $part"
fi

echo "berth: installed into $part:$dir. GRUB menu entry:"
echo "$entry"
[ "$grub_config" = 1 ] || echo "(add it to the boot loader's menu, e.g. /etc/grub.d/40_custom then update-grub, or /boot/grub/custom.cfg)"
[ "$encrypt" = 0 ] || [ "$keep_data" = 1 ] ||
  echo "berth: the data file is encrypted: the passphrase is asked at every boot"
