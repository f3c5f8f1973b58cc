# shellcheck shell=sh
# The Docker API over TLS (remote-access). Sourced, never run: by rc.d/66-docker-tls and
# `berth tls`. Helper variables start with _rt_.
#
# Whether it is on, first match wins:
#   berth.docker=tls on the kernel command line                      on, this boot
#   /var/lib/berth/tls/disabled (`berth tls disable`)                 off
#   /var/lib/berth/tls/enabled  (`berth tls enable`)                  on
#   /etc/berth/docker-tls (engine-docker, from [engine] tls = true)    on
#
# Kept in /var/lib/berth/tls (mode 0700): on the data volume when there is one, else in
# RAM until the next boot (a new CA at every boot then, which the lines at start say):
#   ca.pem ca-key.pem                  the CA, made the first time (EC P-256, 10 years)
#   server-cert.pem server-key.pem     dockerd's certificate, for server.names: the
#                                      hostname, localhost, the machine's global addresses
#                                      and 127.0.0.1 (port forwards from a VM host); made
#                                      again whenever those names change
#   client-cert.pem client-key.pem     the client certificate `berth tls client` exports
#   clients/*.pem                      more CAs (or self-signed client certificates) whose
#                                      clients are let in; also berth/tls/*.pem on the boot
#                                      medium
# dockerd gets them through the daemon.json drop-in /run/berth/docker/daemon.d/50-tls.json
# (engine-docker's supervisor merges drop-ins over daemon.json): the unix socket as ever,
# and tcp://[::]:2376 with tlsverify (IPv6 and IPv4 alike: Go listens dual-stack on the
# wildcard; tcp://0.0.0.0:2376 on a kernel without IPv6, where [::] cannot be bound),
# which asks every client for a certificate that /run/berth/tls/clients-ca.pem (Berth's CA
# and the extra ones) signed. Plain TCP: never.
#
#   tls_wanted            status 0 when on (and TLS_WHY says why); 1 when off
#   tls_setup             the CA and certificates in place, the clients' CA bundle and the
#                         drop-in written; one line for each thing done or refused
#   tls_remove_dropin     dockerd without the TCP listener (at its next start)
#   tls_restart_dockerd   dockerd started again by its supervisor, if it runs (containers
#                         with a restart policy start again; all keep running with
#                         live-restore on)
#   tls_address           the address to reach this machine at: its first global IPv4
#                         address, else its hostname
#
# Tools: openssl (the openssl package), ip, jq, timeout.

# shellcheck source=SCRIPTDIR/remote.sh
. "${BERTH_TEST_ROOT:-}/usr/lib/berth/remote.sh"

TLS_PORT=2376
TLS_DIR=$REMOTE_STATE/tls
TLS_RUN=$REMOTE_RUN/tls
TLS_DROPIN=$REMOTE_RUN/docker/daemon.d/50-tls.json
TLS_BUILD_DEFAULT=${BERTH_TEST_ROOT:-}/etc/berth/docker-tls
TLS_DOCKERD_PID=$REMOTE_RUN/dockerd.pid
# A certificate file brought on the medium or the data volume: at most this many bytes.
TLS_MAX_PEM=65536
# shellcheck disable=SC2034 # the callers read it
TLS_WHY=

tls_wanted() {
  if _rt_value=$(remote_param docker); then
    if [ "$_rt_value" = tls ]; then
      # shellcheck disable=SC2034 # the callers read it
      TLS_WHY="berth.docker=tls"
      return 0
    fi
    remote_say "berth.docker=$(remote_clean "$_rt_value"): unknown value (only 'tls'); ignored" >&2
  fi
  if [ -e "$TLS_DIR/disabled" ]; then
    return 1
  elif [ -e "$TLS_DIR/enabled" ]; then
    # shellcheck disable=SC2034 # the callers read it
    TLS_WHY="berth tls enable"
  elif [ -e "$TLS_BUILD_DEFAULT" ]; then
    # shellcheck disable=SC2034 # the callers read it
    TLS_WHY="[engine] tls"
  else
    return 1
  fi
  return 0
}

# openssl without a configuration file of its own: everything it needs is on its command
# line, and a trimmed image may lack /usr/lib/ssl/openssl.cnf. Bounded, as everything else.
_rt_openssl() {
  OPENSSL_CONF=/dev/null timeout 60 openssl "$@"
}

# The hostname when it is a valid DNS name, else nothing.
_rt_hostname() {
  _rt_host=$(head -n 1 "${BERTH_TEST_ROOT:-}/etc/hostname" 2>/dev/null) || _rt_host=
  case $_rt_host in
    '' | -* | *[!A-Za-z0-9.-]*) return 0 ;;
  esac
  [ "${#_rt_host}" -le 253 ] && printf '%s\n' "$_rt_host"
}

# The machine's global addresses (IPv4, then IPv6), one a line.
_rt_addresses() {
  "${REMOTE_TOOLS}ip" -o addr show scope global 2>/dev/null |
    awk '$3 == "inet" || $3 == "inet6" { sub("/.*", "", $4); print $3, $4 }' |
    sort -s -k 1,1 | while read -r _rt_family _rt_address; do
    case $_rt_address in
      '' | *[!0-9A-Fa-f:.]*) ;;
      *) printf '%s\n' "$_rt_address" ;;
    esac
  done
}

# subjectAltName of the server certificate, e.g. DNS:berth,DNS:localhost,IP:127.0.0.1,...
_rt_server_names() {
  _rt_names=
  _rt_host=$(_rt_hostname)
  [ -z "$_rt_host" ] || [ "$_rt_host" = localhost ] || _rt_names="DNS:$_rt_host,"
  _rt_names="${_rt_names}DNS:localhost,IP:127.0.0.1"
  for _rt_address in $(_rt_addresses); do
    _rt_names="$_rt_names,IP:$_rt_address"
  done
  printf '%s\n' "$_rt_names"
}

tls_address() {
  _rt_first=$(_rt_addresses | grep -v : | head -n 1)
  [ -n "$_rt_first" ] || _rt_first=$(_rt_hostname)
  printf '%s\n' "${_rt_first:-localhost}"
}

# _rt_issue NAME CN EXTENDED_KEY_USAGE [SUBJECT_ALT_NAMES]: NAME-cert.pem and NAME-key.pem,
# signed by the CA.
_rt_issue() {
  _rt_openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TLS_DIR/$1-key.pem.tmp" -out "$TLS_DIR/$1-cert.pem.tmp" -days 3650 \
    -subj "/CN=$2" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca-key.pem" \
    -addext basicConstraints=critical,CA:FALSE -addext keyUsage=critical,digitalSignature \
    -addext "extendedKeyUsage=$3" ${4:+-addext "subjectAltName=$4"} >/dev/null 2>&1 &&
    mv -f "$TLS_DIR/$1-key.pem.tmp" "$TLS_DIR/$1-key.pem" &&
    mv -f "$TLS_DIR/$1-cert.pem.tmp" "$TLS_DIR/$1-cert.pem"
}

_rt_make_ca() {
  rm -f "$TLS_DIR"/server-* "$TLS_DIR"/client-*
  _rt_openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TLS_DIR/ca-key.pem.tmp" -out "$TLS_DIR/ca.pem.tmp" -days 3650 \
    -subj "/CN=Berth CA $(_rt_hostname)" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1 &&
    mv -f "$TLS_DIR/ca-key.pem.tmp" "$TLS_DIR/ca-key.pem" &&
    mv -f "$TLS_DIR/ca.pem.tmp" "$TLS_DIR/ca.pem"
}

# _rt_extra_cas DIR WHERE: every DIR/*.pem that holds a certificate (and no private key),
# on stdout; one line on stderr for each file refused.
_rt_extra_cas() {
  for _rt_file in "$1"/*.pem; do
    [ -e "$_rt_file" ] || [ -L "$_rt_file" ] || continue
    _rt_name="$2 $(remote_clean "${_rt_file##*/}")"
    if ! remote_small_file "$_rt_file" "$TLS_MAX_PEM"; then
      remote_say "TLS: $_rt_name: not a regular file of at most $TLS_MAX_PEM bytes; skipped" >&2
    elif grep -q 'PRIVATE KEY' "$_rt_file"; then
      remote_say "TLS: $_rt_name: holds a private key, which has no place there; skipped" >&2
    elif ! _rt_openssl x509 -noout -in "$_rt_file" >/dev/null 2>&1; then
      remote_say "TLS: $_rt_name: not a PEM certificate; skipped" >&2
    else
      cat "$_rt_file"
      remote_say "TLS: clients of $_rt_name are let in" >&2
    fi
  done
}

tls_setup() {
  (
    umask 077
    mkdir -p "$TLS_DIR" "$TLS_RUN" "${TLS_DROPIN%/*}" && chmod 0700 "$TLS_DIR" || exit 1
    if remote_persistent; then
      _rt_kept="on the data volume"
    else
      _rt_kept="in RAM (no data volume: a new CA at every boot)"
    fi
    if [ ! -s "$TLS_DIR/ca.pem" ] || [ ! -s "$TLS_DIR/ca-key.pem" ]; then
      if ! _rt_make_ca; then
        remote_say "TLS: cannot make a CA in $TLS_DIR (openssl failed)"
        exit 1
      fi
      remote_say "TLS: a new CA in $TLS_DIR, $_rt_kept"
    fi
    _rt_names=$(_rt_server_names)
    if [ ! -s "$TLS_DIR/server-cert.pem" ] ||
      [ "$(cat "$TLS_DIR/server.names" 2>/dev/null)" != "$_rt_names" ]; then
      if ! _rt_issue server "$(_rt_hostname)" serverAuth "$_rt_names"; then
        remote_say "TLS: cannot make the server certificate (openssl failed)"
        exit 1
      fi
      printf '%s\n' "$_rt_names" >"$TLS_DIR/server.names"
      remote_say "TLS: server certificate for $_rt_names"
    fi
    if [ ! -s "$TLS_DIR/client-cert.pem" ] && ! _rt_issue client client clientAuth; then
      remote_say "TLS: cannot make the client certificate (openssl failed)"
      exit 1
    fi
    {
      cat "$TLS_DIR/ca.pem"
      _rt_extra_cas "$REMOTE_MEDIUM/tls" "the medium's berth/tls/"
      _rt_extra_cas "$TLS_DIR/clients" "$TLS_DIR/clients/"
    } >"$TLS_RUN/clients-ca.pem.tmp" || exit 1
    mv -f "$TLS_RUN/clients-ca.pem.tmp" "$TLS_RUN/clients-ca.pem" || exit 1
    jq -n --arg ca "$TLS_RUN/clients-ca.pem" --arg cert "$TLS_DIR/server-cert.pem" \
      --arg key "$TLS_DIR/server-key.pem" --arg tcp "tcp://$(_rt_wildcard):$TLS_PORT" '{
        hosts: ["unix:///var/run/docker.sock", $tcp],
        tls: true, tlsverify: true, tlscacert: $ca, tlscert: $cert, tlskey: $key
      }' >"$TLS_DROPIN.tmp" && chmod 0644 "$TLS_DROPIN.tmp" && mv -f "$TLS_DROPIN.tmp" "$TLS_DROPIN"
  )
}

# The address dockerd listens on: every IPv6 and IPv4 address, or IPv4's alone when the
# kernel has no IPv6 (ipv6.disable=1, or built without it).
_rt_wildcard() {
  if [ -e "$_rm_root/proc/net/if_inet6" ]; then
    echo '[::]'
  else
    echo 0.0.0.0
  fi
}

tls_remove_dropin() {
  rm -f "$TLS_DROPIN"
}

tls_restart_dockerd() {
  _rt_pid=$(cat "$TLS_DOCKERD_PID" 2>/dev/null) || return 0
  [ -n "$_rt_pid" ] || return 0
  remote_say "dockerd starts again with the new settings"
  kill -TERM "$_rt_pid" 2>/dev/null || true
}
