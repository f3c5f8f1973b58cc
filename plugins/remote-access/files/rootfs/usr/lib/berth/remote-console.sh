# shellcheck shell=sh
# Root's console password (remote-access): `berth passwd` and rc.d/71-console-password.
# Sourced, never run. Helper variables start with _rc_.
#
# The consoles ask for it with berth.console=login (init-busybox's /etc/berth/console; the
# default stays a root shell without one). Kept as a SHA-512 crypt hash, never the password
# itself, in /var/lib/berth/console/root.hash (mode 0600 in a 0700 directory): on the data
# volume when there is one, else in RAM until the next boot. rc.d/71-console-password puts
# it into /etc/shadow at every boot (the root is a RAM layer over the image, so /etc/shadow
# starts from the image's each time).
#
#   console_hash_valid HASH  status 0 when HASH is a SHA-512 or SHA-256 crypt hash
#                            ($6$... or $5$..., crypt's own characters, at most 256 bytes):
#                            the bound on what is read back from the data volume
#   console_kept_hash        the kept hash on stdout; status 1 when none, 2 when the file
#                            is there but not a hash
#   console_shadow_set HASH  HASH (or '*', locked) as root's password in /etc/shadow
#   console_hash             the SHA-512 crypt hash of the password on the first line of
#                            standard input, with a fresh random salt, on stdout
#
# Tools: busybox (mkpasswd, base64, head), awk.

# shellcheck source=SCRIPTDIR/remote.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/remote.sh"

CONSOLE_DIR=$REMOTE_STATE/console
CONSOLE_HASH=$CONSOLE_DIR/root.hash
CONSOLE_SHADOW=${BERTH_TEST_ROOT:-}/etc/shadow

# busybox's mkpasswd, called through busybox: another mkpasswd (whois's) may come first
# in PATH and spells its options differently. The salt comes from the kernel's random
# numbers; mkpasswd's own salt is made from the time and the process id.
console_hash() {
  _rc_salt=$(head -c 12 /dev/urandom | base64 | tr '+' '.') || return 1
  [ "${#_rc_salt}" -eq 16 ] || return 1
  busybox mkpasswd -m sha512 -S "$_rc_salt" -P 0
}

console_hash_valid() {
  case $1 in
    "\$6\$"?* | "\$5\$"?*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9./\$]*) return 1 ;;
  esac
  [ "${#1}" -le 256 ]
}

console_kept_hash() {
  [ -e "$CONSOLE_HASH" ] || [ -L "$CONSOLE_HASH" ] || return 1
  remote_small_file "$CONSOLE_HASH" 512 || return 2
  _rc_hash=$(head -n 1 "$CONSOLE_HASH")
  console_hash_valid "$_rc_hash" || return 2
  printf '%s\n' "$_rc_hash"
}

console_shadow_set() {
  # Written beside, then renamed: a half-written /etc/shadow would lock every account.
  _rc_new=$CONSOLE_SHADOW.berth-new
  (
    umask 077
    awk -F: -v OFS=: -v hash="$1" '$1 == "root" { $2 = hash; seen = 1 } { print }
      END { if (!seen) exit 1 }' "$CONSOLE_SHADOW" >"$_rc_new"
  ) || { rm -f "$_rc_new"; return 1; }
  # As Debian has it: root:shadow, 0640 (the group is left as it is where it cannot be set).
  chmod 0640 "$_rc_new" && { chgrp shadow "$_rc_new" 2>/dev/null || :; }
  if [ -s "$_rc_new" ] && mv -f "$_rc_new" "$CONSOLE_SHADOW"; then
    return 0
  fi
  rm -f "$_rc_new"
  return 1
}
