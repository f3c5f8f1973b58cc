# shellcheck shell=sh
# The boot files of an installed disk (install-disk), shared by `berth install`, `berth
# upgrade` and rc.d/78-upgrade-check. Sourced; the caller defines die(). GRUB itself comes
# from the bootloader (boot-grub2's disk images on the medium, berth/boot/disk/).
#
# An installed disk's EFI system partition (partition 2, FAT32, label BERTH-EFI) holds:
#   EFI/BOOT/BOOTX64.EFI          GRUB for UEFI (the medium's berth/boot/disk/bootx64.efi)
#   berth/boot/vmlinuz, initrd.img        the system
#   berth/boot/previous/{vmlinuz,initrd.img}  the pair before the last `berth upgrade`
#   berth/boot/ID.id              marks the partition as the medium GRUB booted from
#   berth/boot/grub/grub.cfg      the menu, written here
#   berth/boot/grub/grubenv       GRUB's environment block: berth upgrade's trial state
# The BIOS boot code comes from the medium too: berth/boot/disk/bios-boot.img (MBR) and
# bios-core.img (partition 1, which starts at sector 2048).

DISKBOOT_FILES="vmlinuz initrd.img disk/bios-boot.img disk/bios-core.img disk/bootx64.efi disk/linux-params"

# diskboot_check_source DIR: dies unless DIR (a medium's root) has every boot file.
diskboot_check_source() {
  for _f in $DISKBOOT_FILES; do
    [ -s "$1/berth/boot/$_f" ] ||
      die "$1 has no berth/boot/$_f: not a Berth medium of this version (it needs the bootloader's disk images, boot-grub2)"
  done
}

# diskboot_booted_medium: the directory of the medium Berth booted from (the source of an
# install); dies when there is none.
diskboot_booted_medium() {
  _dir=
  if [ -r /run/berth/medium.env ]; then
    # shellcheck disable=SC1091 # fs-squashfs's rc.d/12-medium
    _dir=$(. /run/berth/medium.env && echo "${BERTH_MEDIUM_DIR:-}")
  fi
  [ -n "$_dir" ] || _dir=/nonexistent
  [ -d "$_dir/berth/boot" ] ||
    die "Berth did not boot from a medium it can find (no /run/berth/medium); name one with --from DIR"
  echo "$_dir"
}

# diskboot_check_key_file FILE: dies unless FILE holds a key (its exact bytes).
diskboot_check_key_file() {
  [ -f "$1" ] || die "$1: no such key file"
  [ -s "$1" ] || die "$1: the key file is empty"
}

# diskboot_load_luks: crypt-luks's luks.sh (install-disk needs crypt-luks; the build
# checks luks.sh is there), and cryptsetup; dies without it.
diskboot_load_luks() {
  # shellcheck source-path=SCRIPTDIR/../../../../../../crypt-luks/files/rootfs/usr/lib/berth source=luks.sh
  . "${BERTH_LIB:-/usr/lib/berth}/luks.sh"
  luks_required || exit 1
}

# diskboot_take_key FILE DEST WHAT: DEST gets the key: FILE's bytes, or (FILE empty) a
# passphrase for WHAT asked twice without echo. Needs diskboot_load_luks first.
diskboot_take_key() {
  if [ -n "$1" ]; then
    cp "$1" "$2" || die "cannot read the key file $1"
  else
    echo "The passphrase of $3 (asked at every boot):"
    luks_ask_passphrase "$2" || die "no passphrase set; nothing was written"
  fi
}

# diskboot_grubenv FILE [NAME=VALUE...]: GRUB's environment block, exactly 1024 bytes
# padded with '#', which GRUB's save_env rewrites in place.
diskboot_grubenv() {
  _file=$1
  shift
  {
    echo "# GRUB Environment Block"
    for _var in "$@"; do echo "$_var"; done
  } >"$_file.tmp"
  _size=$(wc -c <"$_file.tmp")
  [ "$_size" -le 1024 ] || die "$_file: environment block over 1024 bytes"
  head -c $((1024 - _size)) /dev/zero | tr '\0' '#' >>"$_file.tmp"
  mv "$_file.tmp" "$_file"
}

# diskboot_menu ID DATA_PARAMS LINUX_PARAMS TIMEOUT: grub.cfg of an installed disk.
# A pair on trial (berth upgrade) boots once; if the system does not confirm it after
# Docker came up (rc.d/78-upgrade-check), the next boot takes the previous pair.
diskboot_menu() {
  _common="berth.medium=$1 $2 $3"
  cat <<CFG
# The boot menu of this disk, written by 'berth install' (install-disk). Berth on this
# disk: berth/boot/vmlinuz and initrd.img; the pair before the last 'berth upgrade' in
# berth/boot/previous/. grubenv holds the upgrade's trial state.
set timeout=$4
set default=berth
load_env
if [ -n "\${berth_default}" ]; then
  set default="\${berth_default}"
fi
# One word each: GRUB hands an expanded variable to the linux command as one argument.
set berth_trial_arg=
set berth_panic_arg=
set berth_onfail_arg=
if [ "\${berth_trial}" = 1 ]; then
  # First boot of an upgrade: the new pair gets this one try. If /init fails it restarts
  # the machine (berth.onfail=reboot), as a kernel panic does (panic=10); if Docker does
  # not come up, rc.d/78-upgrade-check restarts it; then the branch below takes over.
  set berth_trial=2
  save_env berth_trial
  set default=berth
  set berth_trial_arg=berth.trial
  set berth_panic_arg=panic=10
  set berth_onfail_arg=berth.onfail=reboot
elif [ "\${berth_trial}" = 2 ]; then
  # The new pair never confirmed a running Docker: back to the previous one for good.
  set berth_trial=reverted
  set berth_default=berth-previous
  save_env berth_trial berth_default
  set default=berth-previous
fi
# Menu entries see exported variables only.
export berth_trial_arg
export berth_panic_arg
export berth_onfail_arg

menuentry 'Berth' --id berth {
  linux /berth/boot/vmlinuz $_common \${berth_trial_arg} \${berth_panic_arg} \${berth_onfail_arg}
  initrd /berth/boot/initrd.img
}
if [ -f /berth/boot/previous/vmlinuz ]; then
  menuentry 'Berth (previous version)' --id berth-previous {
    linux /berth/boot/previous/vmlinuz $_common
    initrd /berth/boot/previous/initrd.img
  }
fi
menuentry 'Berth (no persistence)' --id berth-nodata {
  linux /berth/boot/vmlinuz berth.medium=$1 berth.data=none $3
  initrd /berth/boot/initrd.img
}
menuentry 'Berth (debug)' --id berth-debug {
  linux /berth/boot/vmlinuz $_common berth.debug
  initrd /berth/boot/initrd.img
}
CFG
}

# diskboot_env_get FILE NAME: the value of NAME in GRUB environment block FILE, or nothing.
diskboot_env_get() {
  sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1
}

# diskboot_copy FROM TO: copies a file and syncs it, so that a power loss after this
# step never leaves a short kernel or initrd behind a complete-looking name.
diskboot_copy() {
  cp "$1" "$2.part" || die "cannot copy $1 to $2"
  sync
  mv "$2.part" "$2" || die "cannot rename $2.part"
}

# diskboot_pair_bytes DIR: the bytes of the kernel and initrd of medium DIR (berth/boot/).
diskboot_pair_bytes() {
  echo $(($(wc -c <"$1/berth/boot/vmlinuz") + $(wc -c <"$1/berth/boot/initrd.img")))
}

# diskboot_install_pair FROM BOOT: the kernel and initrd of medium FROM (berth/boot/) into
# directory BOOT of an installed disk's ESP, by `berth install` and `berth upgrade`. A pair
# already there becomes BOOT/previous/ (the one before is removed). Order matters for a
# power loss: the new pair lands under temporary names first, and the renames leave either
# the old pair or the new one in place.
diskboot_install_pair() {
  rm -rf "$2/previous.old"
  [ ! -d "$2/previous" ] || mv "$2/previous" "$2/previous.old"
  rm -rf "$2/previous.old"
  for _f in vmlinuz initrd.img; do
    diskboot_copy "$1/berth/boot/$_f" "$2/$_f.new"
  done
  if [ -e "$2/vmlinuz" ]; then
    mkdir -p "$2/previous"
    for _f in vmlinuz initrd.img; do
      mv "$2/$_f" "$2/previous/$_f" || die "cannot keep $2/$_f as the previous version"
    done
  fi
  for _f in vmlinuz initrd.img; do
    mv "$2/$_f.new" "$2/$_f" || die "cannot rename $2/$_f.new"
  done
  sync
}
