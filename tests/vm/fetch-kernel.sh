#!/bin/bash
# Download (once) Debian's cloud kernel and busybox-static and unpack them into $VM_CACHE.
# Prints the cache directory on stdout. Needs root or a working `apt-get download` (after apt-get update).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
VM_CACHE=${VM_CACHE:-$REPO/.cache/vm}
META_PKG=${VM_KERNEL_META:-linux-image-cloud-amd64}

log() { echo "fetch-kernel: $*" >&2; }

kernel_pkg() {
    apt-cache depends "$META_PKG" 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1
}

# fetch_unpack PKG DIR: apt-get download PKG and unpack it into DIR, unless DIR/.done exists.
fetch_unpack() {
    local pkg=$1 dir=$2 dl=$VM_CACHE/debs
    [ -e "$dir/.done" ] && return 0
    mkdir -p "$dl"
    chmod 755 "$VM_CACHE" "$dl"   # _apt must be able to write here when run as root
    log "downloading $pkg"
    (cd "$dl" && apt-get download -q "$pkg" 2> >(grep -v 'unsandboxed' >&2)) >&2
    local deb
    deb=$(ls -t "$dl/${pkg}"_*.deb | head -n1)
    rm -rf "$dir"
    mkdir -p "$dir"
    dpkg-deb -x "$deb" "$dir"
    touch "$dir/.done"
}

main() {
    mkdir -p "$VM_CACHE"
    local kpkg
    kpkg=$(kernel_pkg)
    if [ -z "$kpkg" ]; then
        # Offline or no apt lists: reuse whatever kernel was unpacked before.
        kpkg=$(cat "$VM_CACHE/kernel-pkg" 2>/dev/null || true)
        [ -n "$kpkg" ] || { log "cannot resolve $META_PKG (run apt-get update)"; exit 1; }
        log "using cached $kpkg ($META_PKG not resolvable)"
    fi
    fetch_unpack "$kpkg" "$VM_CACHE/$kpkg"
    fetch_unpack busybox-static "$VM_CACHE/busybox-static"
    # ufw's own init script and rule templates: scenarios load a ruleset ufw generates.
    fetch_unpack ufw "$VM_CACHE/ufw" || log "warning: ufw not downloaded; its scenario skips"
    echo "$kpkg" > "$VM_CACHE/kernel-pkg"
    ln -sfn "$kpkg" "$VM_CACHE/kernel"
    local vmlinuz
    vmlinuz=$(cd "$VM_CACHE" && ls kernel/boot/vmlinuz-* | head -n1)
    ln -sfn "$vmlinuz" "$VM_CACHE/vmlinuz"
    echo "$VM_CACHE"
}

main "$@"
