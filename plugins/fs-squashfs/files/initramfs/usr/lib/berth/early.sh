# shellcheck shell=sh
# /init's functions, in a library of their own: /init sources it, and so do the unit tests
# of the early hooks, which then run this very code (see /init for the hooks' contract).
# Sourced, never run. The variables named here are /init's (BERTH_LOG, BERTH_VERBOSE,
# BERTH_ONFAIL, BERTH_BREAK, BERTH_RUN).

# /run/berth/init.log keeps every message with the uptime for after boot (/run is moved
# into the new root, so the log survives switch_root): the start of the boot timeline,
# one "[UPTIME] init: MESSAGE" line each (the system's scripts add theirs through
# /usr/lib/berth/boot-log.sh; `berth status --boot` shows it).
berth_record() {
  [ -n "$BERTH_LOG" ] || return 0
  read -r _uptime _ 2>/dev/null </proc/uptime || _uptime='?'
  echo "[$_uptime] init: $*" >>"$BERTH_LOG" 2>/dev/null
  return 0
}

# On the console and in the log.
berth_log() {
  echo "berth: $*"
  berth_record "$@"
}

# Progress: on the console unless the kernel was told `quiet`.
berth_msg() {
  [ "$BERTH_VERBOSE" = 0 ] || echo "berth: $*"
  berth_record "$@"
}

berth_warn() {
  berth_log "warning: $*"
}

# An interactive shell on the real console (ttyS0 or tty1, found by cttyhack) with job
# control; plain sh on /dev/console when cttyhack is missing.
berth_shell() {
  if command -v cttyhack >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1; then
    setsid cttyhack sh -l
  else
    sh -l
  fi
}

berth_fail() {
  trap - EXIT
  berth_log "$*"
  if [ "$BERTH_ONFAIL" = reboot ]; then
    # berth.onfail=reboot (the first boot after `berth upgrade`): nobody may be at the
    # console; the boot loader then starts the version that worked before.
    berth_log "restarting the machine in 10 s (berth.onfail=reboot)"
    sleep 10
    reboot -f
  fi
  berth_log "dropping to an emergency shell; 'reboot -f' restarts the machine"
  while :; do
    berth_shell
    berth_log "the emergency shell exited; starting another one"
  done
}

# Drop to a shell at a named point when berth.break asks for it, then carry on.
berth_break() {
  [ "$BERTH_BREAK" = "$1" ] || return 0
  berth_log "berth.break=$1: starting a shell; exit it to continue booting"
  berth_shell
  return 0
}

# Drivers for the hardware present: every device's modalias through modprobe, which
# loads what the initramfs has for it (the kernel plugin's early modules) and skips the
# rest. Devices are found through their buses (a glob: much faster under emulation than
# a find over /sys/devices), plus the CPU's features (for aesni_intel, say). Hooks
# waiting for a device call it again: a USB stick only shows up once its controller's
# driver is loaded.
berth_coldplug() {
  cat /sys/bus/*/devices/*/modalias /sys/devices/system/cpu/modalias 2>/dev/null |
    sort -u | xargs modprobe -a -q 2>/dev/null
  return 0
}

# berth_base_exec [-t SECONDS] PROGRAM [ARGS...]: run PROGRAM (a name looked up in the
# base image's usr/sbin and usr/bin) from the mounted base image through the base image's
# own dynamic loader and libraries, so the initramfs needs no copy of glibc. With -t the
# program is killed after SECONDS (status 124 or 143, as timeout(1) gives).
berth_base_exec() {
  _limit=
  if [ "$1" = -t ]; then
    _limit=$2
    shift 2
  fi
  _base=$BERTH_RUN/base
  _program=
  for _dir in usr/sbin usr/bin; do
    if [ -f "$_base/$_dir/$1" ]; then
      _program=$_base/$_dir/$1
      break
    fi
  done
  if [ -z "$_program" ]; then
    berth_warn "the base image has no program $1"
    return 127
  fi
  shift
  _loader=
  for _candidate in "$_base"/usr/lib64/ld-linux*.so.* "$_base"/usr/lib/ld-linux*.so.* \
    "$_base"/usr/lib/*/ld-linux*.so.*; do
    [ -f "$_candidate" ] && _loader=$_candidate && break
  done
  if [ -z "$_loader" ]; then
    berth_warn "the base image has no dynamic loader (ld-linux*.so.*)"
    return 127
  fi
  _libraries=
  for _dir in "$_base"/usr/lib/*-linux-gnu* "$_base"/usr/lib; do
    [ -d "$_dir" ] && _libraries=${_libraries:+$_libraries:}$_dir
  done
  if [ -n "$_limit" ]; then
    timeout "$_limit" "$_loader" --library-path "$_libraries" "$_program" "$@"
  else
    "$_loader" --library-path "$_libraries" "$_program" "$@"
  fi
}

# berth_mount_image WHAT IMAGE DIR: mount the squashfs IMAGE (WHAT: "base image", "fast
# image", for the messages) read-only at DIR.
berth_mount_image() {
  berth_msg "mounting the $1 $2"
  if [ ! -f "$2" ]; then
    berth_fail "cannot mount $1 $2: no such file"
  fi
  mkdir -p "$3"
  # Mounted where it lies: the initramfs is already in RAM, a copy would hold it twice.
  if ! mount -t squashfs -o loop,ro "$2" "$3"; then
    if berth_fs_missing squashfs; then
      berth_fail "cannot mount $1 $2: squashfs module missing"
    elif [ ! -e /dev/loop-control ] && [ ! -e /dev/loop0 ]; then
      berth_fail "cannot mount $1 $2: loop module missing"
    fi
    berth_fail "cannot mount $1 $2 (corrupt image or unsupported compression?)"
  fi
}

# One clear line for a failed mount, from what the kernel says it supports.
berth_fs_missing() {
  grep -qw "$1" /proc/filesystems 2>/dev/null && return 1
  return 0
}

# berth_device_count: how many devices the buses list (cheap: one glob).
berth_device_count() {
  set -- /sys/bus/*/devices/*
  echo $#
}

# berth_disks_present: status 0 when a block device is there that a label could name: any
# but loop devices (Berth's own images, the ISO file of a frugal boot), RAM disks and
# optical drives (the medium Berth booted from). A VM or a PC booted from a CD or the
# network without a disk has none, and blkid need not start (its first start pages it
# and its libraries in from the xz image: half a second under emulation).
berth_disks_present() {
  for _berth_block in "${BERTH_TEST_ROOT:-}"/sys/class/block/*; do
    case ${_berth_block##*/} in
      loop* | ram* | zram* | sr* | '*') ;;
      *) return 0 ;;
    esac
  done
  return 1
}

# berth_spec_devices SPEC: the block devices SPEC names, one a line: LABEL=, UUID= and
# PARTUUID= through blkid (from the base image, no cache: devices come and go while the
# early hooks wait) when a disk is there at all, a /dev path when it is a block device.
# Nothing for anything else. Status 0: an empty answer is the caller's to wait on.
berth_spec_devices() {
  case $1 in
    /dev/?*) [ ! -b "$1" ] || echo "$1" ;;
    LABEL=?* | UUID=?* | PARTUUID=?*)
      berth_disks_present || return 0
      berth_base_exec blkid -c /dev/null -o device -t "$1" 2>/dev/null || :
      ;;
  esac
  return 0
}

# berth_settle_seconds: how long to look for a disk the command line does not name (the
# default labels). The kernel has finished probing its built-in drivers when /init starts,
# and modprobe returns once a module's probing is done, so ATA, SCSI, NVMe and virtio disks
# are there at the first look. USB and MMC/SD disks come later, from their buses' own
# enumeration: 10 s while a USB mass-storage interface has no disk yet (usb-storage scans
# a second after the stick is enumerated), 2 s while a USB or MMC host could still announce
# one, no wait without either (most VMs). berth_wait_for asks again on every try, so the
# stick Berth booted from costs its setup time, not the 10 s.
berth_settle_seconds() {
  _berth_sys=${BERTH_TEST_ROOT:-}/sys
  for _berth_if in "$_berth_sys"/bus/usb/devices/*; do
    grep -qx 08 "$_berth_if/bInterfaceClass" 2>/dev/null || continue
    set -- "$_berth_if"/host*/target*/*/block/*
    if [ ! -e "$1" ]; then
      echo 10
      return 0
    fi
  done
  for _berth_host in "$_berth_sys"/bus/usb/devices/usb* "$_berth_sys"/class/mmc_host/*; do
    if [ -e "$_berth_host" ]; then
      echo 2
      return 0
    fi
  done
  echo 0
}

# berth_wait_for SECONDS MESSAGE COMMAND [ARGS...]: runs COMMAND until it prints something
# (kept in BERTH_FOUND), trying again for up to SECONDS by the clock (0: one try); MESSAGE,
# unless empty, is said once when it has to wait. Status 1 when nothing showed up.
# SECONDS "settle": the limit is berth_settle_seconds, asked again after every try.
# BERTH_WAIT_SECONDS, when nothing showed up: the limit it gave up at ("looked for Ns").
# The limit is the clock's, not a count of pauses: under emulation one try (blkid through
# the base image) takes longer than the pause between tries. Drivers are loaded again only
# when devices appeared (a USB disk shows up once its controller's driver is in, then
# needs its own): a coldplug is a modprobe of every device, too slow for every pause.
berth_wait_for() {
  _berth_start=$(berth_uptime_tenths)
  _berth_limit=$1
  _berth_waiting=$2
  shift 2
  _berth_devices=$(berth_device_count)
  while :; do
    BERTH_FOUND=$("$@")
    [ -z "$BERTH_FOUND" ] || return 0
    BERTH_WAIT_SECONDS=$_berth_limit
    [ "$_berth_limit" != settle ] || BERTH_WAIT_SECONDS=$(berth_settle_seconds)
    [ "$(berth_uptime_tenths)" -lt $((_berth_start + BERTH_WAIT_SECONDS * 10)) ] || return 1
    if [ -n "$_berth_waiting" ]; then
      berth_msg "$_berth_waiting"
      _berth_waiting=
    fi
    usleep 250000
    _berth_now=$(berth_device_count)
    if [ "$_berth_now" != "$_berth_devices" ]; then
      _berth_devices=$_berth_now
      berth_coldplug
    fi
  done
}
