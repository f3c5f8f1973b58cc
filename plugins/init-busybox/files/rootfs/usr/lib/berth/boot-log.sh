# shellcheck shell=sh
# /usr/lib/berth/boot-log.sh: the boot timeline, /run/berth/init.log, for the system's
# scripts (sourced; /init in the initramfs has its own berth_record, same format).
#
# One line per event, "[UPTIME] SOURCE: EVENT": UPTIME is the first field of
# /proc/uptime (seconds since the kernel started), SOURCE one word (init, rc, docker...).
# `berth status --boot` and `make bench` read it back; see docs/internals.md.
#
# BERTH_TEST_ROOT (unset on a real system) is put in front of the paths, for unit tests.

# berth_boot_record SOURCE EVENT...: append the event; never fails (a full /run must not
# stop a service).
berth_boot_record() {
  _berth_source=$1
  shift
  read -r _berth_uptime _ 2>/dev/null <"${BERTH_TEST_ROOT:-}/proc/uptime" || _berth_uptime='?'
  echo "[$_berth_uptime] $_berth_source: $*" >>"${BERTH_TEST_ROOT:-}/run/berth/init.log" 2>/dev/null
  return 0
}
