# shellcheck shell=sh
# crypt-luks's library for the commands that make encrypted data volumes (`berth install
# --encrypt`). Sourced, never run: functions return
# non-zero with one line on stderr naming the device or file, and never exit.
#
#   luks_required                          status 1 and a line when cryptsetup is missing
#   luks_ask_passphrase FILE               asks twice on the terminal without echo; the
#                                          exact bytes typed (no newline) into FILE, 0600
#   luks_format DEV KEYFILE LABEL          LUKS2 with argon2id, header label LABEL; erases DEV
#   luks_add_key DEV KEYFILE NEWKEYFILE    a second key slot (a recovery passphrase)
#   luks_open DEV NAME KEYFILE             /dev/mapper/NAME
#   luks_close NAME
#   luks_set_label DEV LABEL               e.g. BERTH-INSTALLING -> BERTH-DATA when done
#
# A key is a file holding its exact bytes: cryptsetup reads a key file whole, newlines
# included, and the boot hook hands it a typed passphrase the same way, so what is typed
# here opens the volume there. DEV is a block device (or a disk image file).
# BERTH_TEST_ROOT (unset on a real system) is put in front of /dev/tty, the terminal
# luks_ask_passphrase reads, and of /run/cryptsetup, for unit tests.

luks_required() {
  if ! command -v cryptsetup >/dev/null 2>&1; then
    echo "berth: cryptsetup is missing (Debian package cryptsetup-bin): no encryption" >&2
    return 1
  fi
}

# _luks_usage FUNCTION WANTED GOT "ARGS": one line when the argument count is wrong.
_luks_usage() {
  [ "$2" = "$3" ] && return 0
  echo "berth: $1 takes $4 ($3 arguments given)" >&2
  return 2
}

_luks_device() {
  if [ ! -b "$1" ] && [ ! -f "$1" ]; then
    echo "berth: $1: no such block device" >&2
    return 1
  fi
}

_luks_keyfile() {
  if [ ! -f "$1" ] || [ ! -r "$1" ]; then
    echo "berth: key file $1: not a readable file" >&2
    return 1
  fi
  if [ ! -s "$1" ]; then
    echo "berth: key file $1 is empty" >&2
    return 1
  fi
}

# _luks_run WHAT ARGS...: cryptsetup ARGS; on failure one line: WHAT and cryptsetup's last
# complaint. No udev on Berth: libdevmapper makes the /dev/mapper nodes itself.
_luks_run() {
  _luks_what=$1
  shift
  mkdir -p "${BERTH_TEST_ROOT:-}/run/cryptsetup" 2>/dev/null
  _luks_err=$(DM_DISABLE_UDEV=1 cryptsetup "$@" 2>&1 >/dev/null)
  _luks_status=$?
  [ "$_luks_status" != 0 ] || return 0
  _luks_err=$(printf '%s\n' "$_luks_err" | awk 'NF { last = $0 } END { print last }')
  echo "berth: $_luks_what failed: ${_luks_err:-cryptsetup status $_luks_status}" >&2
  return 1
}

# The key derivation's cost: cryptsetup measures the machine and picks argon2id's memory
# and passes for about 2 s of work per unlock, which is the product's protection against
# guessing. BERTH_TEST_LUKS_COST=cheap (set by the VM tests only, never by Berth) takes the
# lowest cost instead: under emulation the measuring alone takes minutes per key slot.
_luks_pbkdf() {
  case ${BERTH_TEST_LUKS_COST:-} in
    '') echo --pbkdf argon2id ;;
    cheap) echo --pbkdf argon2id --pbkdf-memory 32768 --pbkdf-parallel 1 --pbkdf-force-iterations 4 ;;
    *)
      echo "berth: BERTH_TEST_LUKS_COST=$BERTH_TEST_LUKS_COST is not 'cheap'" >&2
      return 1
      ;;
  esac
}

luks_format() {
  _luks_usage luks_format 3 $# "DEV KEYFILE LABEL" || return
  _luks_device "$1" && _luks_keyfile "$2" || return 1
  if [ -z "$3" ]; then
    echo "berth: luks_format $1: empty label" >&2
    return 1
  fi
  _luks_cost=$(_luks_pbkdf) || return 1
  # shellcheck disable=SC2086 # the cost is several options
  _luks_run "formatting $1 as LUKS2" \
    luksFormat --batch-mode --type luks2 $_luks_cost --label "$3" --key-file "$2" "$1"
}

luks_add_key() {
  _luks_usage luks_add_key 3 $# "DEV KEYFILE NEWKEYFILE" || return
  _luks_device "$1" && _luks_keyfile "$2" && _luks_keyfile "$3" || return 1
  _luks_cost=$(_luks_pbkdf) || return 1
  # shellcheck disable=SC2086 # the cost is several options
  _luks_run "adding a key to $1" \
    luksAddKey --batch-mode $_luks_cost --key-file "$2" "$1" "$3"
}

luks_open() {
  _luks_usage luks_open 3 $# "DEV NAME KEYFILE" || return
  _luks_device "$1" && _luks_keyfile "$3" || return 1
  case $2 in
    '' | */* | .*)
      echo "berth: luks_open $1: '$2' is not a device-mapper name" >&2
      return 1
      ;;
  esac
  _luks_run "opening $1 as /dev/mapper/$2" open --type luks2 --key-file "$3" "$1" "$2"
}

luks_close() {
  _luks_usage luks_close 1 $# "NAME" || return
  _luks_run "closing /dev/mapper/$1" close "$1"
}

luks_set_label() {
  _luks_usage luks_set_label 2 $# "DEV LABEL" || return
  _luks_device "$1" || return 1
  _luks_run "labelling $1 $2" config --label "$2" "$1"
}

# _luks_secret PROMPT: one line from the terminal, echo off; echo comes back even when
# the user interrupts (the subshell's own trap: the caller's traps stay as they are).
# Status 1 at end of input.
_luks_secret() {
  (
    trap 'stty echo <"$_luks_tty" 2>/dev/null; exit 130' INT TERM HUP
    # Echo off before the prompt shows: nothing typed after it is ever echoed.
    stty -echo <"$_luks_tty" 2>/dev/null
    printf '%s' "$1" >"$_luks_tty"
    IFS= read -r _luks_line <"$_luks_tty"
    _luks_read=$?
    stty echo <"$_luks_tty" 2>/dev/null
    # The Enter was not echoed either.
    echo >"$_luks_tty"
    [ "$_luks_read" = 0 ] || exit 1
    printf '%s' "$_luks_line"
  )
}

luks_ask_passphrase() {
  _luks_usage luks_ask_passphrase 1 $# "FILE" || return
  _luks_tty=${BERTH_TEST_ROOT:-}/dev/tty
  if ! (: <"$_luks_tty") 2>/dev/null; then
    echo "berth: no terminal ($_luks_tty) to ask for a passphrase on; give a key file instead" >&2
    return 1
  fi
  if ! _luks_first=$(_luks_secret "Passphrase: "); then
    echo "berth: no passphrase read from $_luks_tty" >&2
    return 1
  fi
  if [ -z "$_luks_first" ]; then
    echo "berth: an empty passphrase is refused" >&2
    return 1
  fi
  if ! _luks_second=$(_luks_secret "The same passphrase again: "); then
    _luks_first=
    echo "berth: no passphrase read from $_luks_tty" >&2
    return 1
  fi
  if [ "$_luks_first" != "$_luks_second" ]; then
    _luks_first=
    _luks_second=
    echo "berth: the two passphrases differ; none is set" >&2
    return 1
  fi
  _luks_second=
  # 0600 before a byte is written.
  if ! (umask 077 && : >"$1" && chmod 600 "$1" && printf '%s' "$_luks_first" >"$1") 2>/dev/null; then
    _luks_first=
    echo "berth: cannot write the passphrase to $1" >&2
    return 1
  fi
  _luks_first=
}
