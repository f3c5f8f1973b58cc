# shellcheck shell=sh
# shellcheck source-path=SCRIPTDIR
# SSH with keys only (remote-access): dropbear, started only when there is a key to let in.
# Sourced, never run: by rc.d/72-ssh. Helper variables start with _rs_.
#
# Keys, in this order (each line checked, see ssh_key_line):
#   berth/ssh/authorized_keys on the boot medium
#   /var/lib/berth/ssh/authorized_keys (on the data volume when there is one)
#   /root/.ssh/authorized_keys (root's own, as anywhere; on the data volume with /root)
#   berth.ssh_key="ssh-ed25519 AAAA... comment" on the kernel command line
# The keys taken are written to /run/berth/ssh/authorized_keys at every start, and dropbear
# reads that file alone (-D /run/berth/ssh).
# Host keys: /var/lib/berth/ssh/dropbear_{ed25519,ecdsa}_host_key, made the first time (on
# the data volume when there is one, else in RAM: new host keys at every boot).
# dropbear runs with -s (no password logins, for root or anyone), on port 22, its pid in
# /run/berth/dropbear.pid, its messages in the system log.
#
#   ssh_key_line LINE     LINE as an authorized_keys line (TYPE BASE64 [COMMENT], the
#                         comment cleaned) on stdout; status 1 and the reason on stdout
#                         for anything else: options (command=, from=...) are not taken
#   ssh_collect           the checked keys of all sources, on stdout; one line on stderr
#                         for each line refused; SSH_KEYS holds how many were taken
#   ssh_host_keys         the host keys in place (dropbearkey)
#
# Tools: dropbear, dropbearkey (dropbear-bin).

# shellcheck source=SCRIPTDIR/remote.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/remote.sh"

SSH_DIR=$REMOTE_STATE/ssh
# shellcheck disable=SC2034 # rc.d/72-ssh reads these
SSH_RUN=$REMOTE_RUN/ssh
# shellcheck disable=SC2034
SSH_PID=$REMOTE_RUN/dropbear.pid
# shellcheck disable=SC2034
SSH_PORT=22
# An authorized_keys file from the medium or the data volume: at most this many bytes and
# keys; a key line at most this many bytes (an RSA key of 16384 bits has about 2800).
SSH_MAX_FILE=65536
SSH_MAX_KEYS=100
SSH_MAX_LINE=8192
SSH_KEYS=0

ssh_key_line() {
  _rs_line=$(printf '%s' "$1" | tr -d '\r')
  if [ "${#_rs_line}" -gt "$SSH_MAX_LINE" ]; then
    echo "longer than $SSH_MAX_LINE bytes"
    return 1
  fi
  # shellcheck disable=SC2086 # split into type, key and comment on purpose; no globbing
  set -f && set -- $_rs_line && set +f
  case ${1:-} in
    ssh-ed25519 | ssh-rsa | ecdsa-sha2-nistp256 | ecdsa-sha2-nistp384 | ecdsa-sha2-nistp521 | \
      sk-ssh-ed25519@openssh.com | sk-ecdsa-sha2-nistp256@openssh.com) ;;
    *)
      echo "not a public key line (TYPE KEY [COMMENT]; options are not taken)"
      return 1
      ;;
  esac
  case ${2:-} in
    '' | *[!A-Za-z0-9+/=]*)
      echo "its key is not base64"
      return 1
      ;;
  esac
  _rs_type=$1
  _rs_key=$2
  shift 2
  _rs_comment=$(remote_clean "$*")
  printf '%s %s%s\n' "$_rs_type" "$_rs_key" "${_rs_comment:+ $_rs_comment}"
}

# _rs_from_file FILE WHERE: the checked keys of FILE.
_rs_from_file() {
  [ -e "$1" ] || [ -L "$1" ] || return 0
  if ! remote_small_file "$1" "$SSH_MAX_FILE"; then
    remote_say "ssh: $2: not a regular file of at most $SSH_MAX_FILE bytes; not read" >&2
    return 0
  fi
  _rs_number=0
  while IFS= read -r _rs_entry || [ -n "$_rs_entry" ]; do
    _rs_number=$((_rs_number + 1))
    # Blank lines and comments are no keys.
    _rs_trimmed=${_rs_entry#"${_rs_entry%%[![:space:]]*}"}
    case $_rs_trimmed in
      '' | '#'*) continue ;;
    esac
    _rs_take "$_rs_entry" "$2:$_rs_number"
  done <"$1"
}

# _rs_take LINE WHERE
_rs_take() {
  if [ "$SSH_KEYS" -ge "$SSH_MAX_KEYS" ]; then
    remote_say "ssh: $2: more than $SSH_MAX_KEYS keys; the rest are not taken" >&2
    return 0
  fi
  if _rs_checked=$(ssh_key_line "$1"); then
    printf '%s\n' "$_rs_checked"
    SSH_KEYS=$((SSH_KEYS + 1))
  else
    remote_say "ssh: $2: $_rs_checked; skipped" >&2
  fi
}

ssh_collect() {
  SSH_KEYS=0
  _rs_from_file "$REMOTE_MEDIUM/ssh/authorized_keys" "the medium's berth/ssh/authorized_keys"
  _rs_from_file "$SSH_DIR/authorized_keys" "$SSH_DIR/authorized_keys"
  _rs_from_file "${BERTH_TEST_ROOT:-}/root/.ssh/authorized_keys" /root/.ssh/authorized_keys
  if _rs_param=$(remote_param ssh_key); then
    _rs_take "$_rs_param" "berth.ssh_key"
  fi
}

ssh_host_keys() {
  (
    umask 077
    mkdir -p "$SSH_DIR" && chmod 0700 "$SSH_DIR" || exit 1
    for _rs_type in ed25519 ecdsa; do
      _rs_file=$SSH_DIR/dropbear_${_rs_type}_host_key
      [ -s "$_rs_file" ] && continue
      rm -f "$_rs_file"
      if ! timeout 60 "${REMOTE_TOOLS}dropbearkey" -t "$_rs_type" -f "$_rs_file" >/dev/null 2>&1; then
        remote_say "ssh: cannot make the $_rs_type host key in $SSH_DIR"
        exit 1
      fi
      if remote_persistent; then
        remote_say "ssh: a new $_rs_type host key in $SSH_DIR, on the data volume"
      else
        remote_say "ssh: a new $_rs_type host key in $SSH_DIR, in RAM (no data volume: new host keys at every boot)"
      fi
    done
  )
}
