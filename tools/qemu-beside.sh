#!/bin/sh
# tools/qemu-beside.sh SUITE DIR: Debian's qemu-system-x86 from SUITE (e.g. bookworm for
# 7.2, bookworm-backports for 10.0), unpacked into DIR beside the installed one, for
# `make bench-qemu`. Prints the path of a qemu-system-x86_64 that runs it with its own
# firmware files. Needs SUITE in apt's sources (apt-get update done).
set -eu

[ "$#" -eq 2 ] || {
  echo "usage: $0 SUITE DIR" >&2
  exit 2
}
suite=$1
dir=$(realpath -m "$2")
mkdir -p "$dir/debs" "$dir/root"
(
  cd "$dir/debs"
  # Its firmware packages too: a newer qemu wants a newer SeaBIOS.
  apt-get download -q -t "$suite" qemu-system-x86 qemu-system-common qemu-system-data seabios \
    >/dev/null
)
for deb in "$dir"/debs/*.deb; do
  dpkg-deb -x "$deb" "$dir/root"
done
share=$dir/root/usr/share
cat >"$dir/qemu-system-x86_64" <<WRAPPER
#!/bin/sh
exec "$dir/root/usr/bin/qemu-system-x86_64" -L "$share/qemu" -L "$share/seabios" \\
  -L /usr/share/qemu -L /usr/share/ipxe/qemu "\$@"
WRAPPER
chmod 755 "$dir/qemu-system-x86_64"
"$dir/qemu-system-x86_64" --version | head -n 1 >&2
echo "$dir/qemu-system-x86_64"
