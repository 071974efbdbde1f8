#!/bin/bash
# Usage: scripts/make-module-btf.sh OUTDIR [MODULE...]
# BTF of the netfilter modules for kernels that lack it (before 5.11, or built without
# CONFIG_DEBUG_INFO_BTF_MODULES), for `skbtracer-iptables --btf OUTDIR`: OUTDIR/vmlinux is the
# kernel's BTF, OUTDIR/MODULE the module's split BTF, encoded by pahole (package dwarves) from
# the DWARF of the distribution's debug package (Debian: linux-image-RELEASE-dbg).
# Default modules: x_tables ip_tables ip6_tables arp_tables nf_tables ebtables.
# Env: RELEASE (default: uname -r); VMLINUX_BTF (default /sys/kernel/btf/vmlinux); DBG_DEB (the
# debug package's .deb; default: apt-get download linux-image-RELEASE-dbg into OUTDIR/.deb).
set -euo pipefail

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
OUT=$1
shift
MODULES=${*:-x_tables ip_tables ip6_tables arp_tables nf_tables ebtables}
RELEASE=${RELEASE:-$(uname -r)}
VMLINUX_BTF=${VMLINUX_BTF:-/sys/kernel/btf/vmlinux}

log() { echo "make-module-btf: $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v pahole > /dev/null || die "pahole missing (apt-get install dwarves)"
[ -r "$VMLINUX_BTF" ] || die "no kernel BTF at $VMLINUX_BTF (set VMLINUX_BTF)"
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "${DBG_DEB:-}" ]; then
	mkdir -p "$OUT/.deb"
	chmod 755 "$OUT/.deb" # apt's sandbox user writes there
	log "downloading linux-image-$RELEASE-dbg (hundreds of MB)"
	(cd "$OUT/.deb" && apt-get download -q "linux-image-$RELEASE-dbg") >&2
	DBG_DEB=$(ls "$OUT/.deb/linux-image-$RELEASE-dbg"_*.deb | head -n1)
fi
log "unpacking the modules' debug info from $DBG_DEB"
dpkg-deb --fsys-tarfile "$DBG_DEB" |
	tar -x -C "$work" --wildcards '*/kernel/net/*.ko' 2> /dev/null || true

cp "$VMLINUX_BTF" "$OUT/vmlinux"
for m in $MODULES; do
	ko=$(find "$work" -name "$m.ko" | head -n1)
	[ -n "$ko" ] || die "module $m not found in $DBG_DEB"
	pahole --btf_base "$OUT/vmlinux" --btf_encode_detached "$OUT/$m" "$ko" ||
		die "pahole failed on $ko"
	log "$OUT/$m: $(stat -c %s "$OUT/$m") bytes"
done
log "done: skbtracer-iptables --btf $OUT"
