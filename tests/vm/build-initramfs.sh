#!/bin/bash
# Usage: build-initramfs.sh OUT.cpio.gz TOOL_BINARY
# Builds the test VM's initramfs: busybox, iproute2, iptables (legacy + nft), nft, arptables,
# ebtables, bpftool, jq, the tool, their libraries, netfilter/bridge/veth modules and tests/vm/.
# Env: VM_CACHE (kernel cache, see fetch-kernel.sh), VM_KERNEL (5.10, 6.1 or 6.12),
# VM_ROOT (staging dir), VM_KEEP_ROOT=1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

OUT=${1:?usage: build-initramfs.sh OUT.cpio.gz TOOL_BINARY}
TOOL=${2:?usage: build-initramfs.sh OUT.cpio.gz TOOL_BINARY}
VM_CACHE=$("$HERE/fetch-kernel.sh" "${VM_KERNEL:-6.1}")
ROOT=${VM_ROOT:-$REPO/build/vm/root}
BUSYBOX=$VM_CACHE/busybox-static/bin/busybox
# Debian 13 ships modules under usr/lib/modules, xz-compressed (installed decompressed below).
KSRC=$(echo "$VM_CACHE"/kernel/lib/modules/* "$VM_CACHE"/kernel/usr/lib/modules/* |
    tr ' ' '\n' | grep -v '\*$' | head -n1)
KVER=$(basename "$KSRC")

# Module directories (under lib/modules/KVER) taken whole, and single modules by name; plus
# everything these depend on.
MODULE_DIRS="kernel/net/netfilter kernel/net/ipv4/netfilter kernel/net/ipv6/netfilter kernel/net/bridge"
MODULE_NAMES="veth dummy sch_netem 8021q tun"

# coreutils' env (not busybox's) can start the tracer with SIGINT un-ignored.
REQUIRED_BINS="/usr/sbin/ip /usr/sbin/xtables-legacy-multi /usr/bin/env"
# (arptables-legacy-save/-restore and ebtables-legacy-save are perl scripts: left out.)
OPTIONAL_BINS="/usr/sbin/tc /usr/sbin/bridge /usr/sbin/xtables-nft-multi /usr/sbin/nft /usr/sbin/bpftool
  /usr/sbin/arptables-legacy /usr/sbin/ebtables-legacy /usr/sbin/ebtables-legacy-restore /usr/bin/jq"
ETC_FILES="/etc/protocols /etc/services /etc/ethertypes"

log() { echo "build-initramfs: $*" >&2; }
die() { log "error: $*"; exit 1; }

# copy_path SRC [DEST]: copy SRC (following symlinks) to ROOT/DEST (default: same path).
copy_path() {
    local dest=$ROOT${2:-$1}
    mkdir -p "$(dirname "$dest")"
    cp -L "$1" "$dest"
}

# copy_libs FILE...: copy the shared libraries (and loader) that ldd resolves for each FILE.
copy_libs() {
    local lib
    { ldd "$@" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' |
        sort -u | while read -r lib; do
        [ -e "$ROOT$lib" ] || copy_path "$lib"
    done
}

make_skeleton() {
    rm -rf "$ROOT"
    mkdir -p "$ROOT"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,var,mnt}
    mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64}
    ln -s usr/lib "$ROOT/lib"
    ln -s usr/lib64 "$ROOT/lib64"
    ln -s ../run "$ROOT/var/run"
    mknod -m 600 "$ROOT/dev/console" c 5 1 2>/dev/null || true
    mknod -m 666 "$ROOT/dev/null" c 1 3 2>/dev/null || true
    echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOT/etc/passwd"
    echo 'root:x:0:' > "$ROOT/etc/group"
    local f
    for f in $ETC_FILES; do
        if [ -e "$f" ]; then copy_path "$f"; fi
    done
}

install_busybox() {
    cp "$BUSYBOX" "$ROOT/bin/busybox"
    local applet
    # All applet links go to /bin, which comes last in the guest PATH: real tools win.
    for applet in $("$BUSYBOX" --list); do
        [ -e "$ROOT/bin/$applet" ] || ln -s busybox "$ROOT/bin/$applet"
    done
    # The kernel runs /sbin/modprobe to load modules on demand (ebt_ip, nft expressions, ...).
    for applet in modprobe insmod rmmod lsmod depmod modinfo; do
        ln -s ../bin/busybox "$ROOT/sbin/$applet"
    done
}

install_binaries() {
    local bin xtdir=/usr/lib/x86_64-linux-gnu/xtables
    local host_files=("$TOOL")
    for bin in $REQUIRED_BINS; do
        [ -x "$bin" ] || die "$bin missing (apt-get install iproute2 iptables coreutils)"
        host_files+=("$bin")
    done
    for bin in $OPTIONAL_BINS; do
        if [ -e "$bin" ]; then host_files+=("$bin"); else log "warning: $bin not found, skipped"; fi
    done
    for bin in "${host_files[@]:1}"; do copy_path "$bin"; done
    copy_path "$TOOL" /usr/bin/skbtracer-iptables
    chmod 755 "$ROOT/usr/bin/skbtracer-iptables"
    ln -s ../usr/sbin/ip "$ROOT/sbin/ip"
    if [ -d "$xtdir" ]; then
        mkdir -p "$ROOT$xtdir"
        cp -a "$xtdir/." "$ROOT$xtdir/"
        host_files+=("$xtdir"/*.so)
    fi
    copy_libs "${host_files[@]}"
}

link_xtables() {
    local sb=$ROOT/usr/sbin n
    for n in iptables ip6tables; do
        for s in "" -save -restore; do
            ln -sf xtables-legacy-multi "$sb/$n-legacy$s"
            ln -sf "$n-legacy$s" "$sb/$n$s"
            [ -e "$sb/xtables-nft-multi" ] && ln -sf xtables-nft-multi "$sb/$n-nft$s"
        done
    done
    if [ -e "$sb/xtables-nft-multi" ]; then
        for n in iptables-translate ip6tables-translate iptables-restore-translate \
                 ip6tables-restore-translate xtables-monitor arptables-nft arptables-nft-save \
                 arptables-nft-restore ebtables-nft ebtables-nft-save ebtables-nft-restore; do
            ln -sf xtables-nft-multi "$sb/$n"
        done
    fi
    for n in arptables ebtables; do
        for s in "" -save -restore; do
            [ -e "$sb/$n-legacy$s" ] && ln -sf "$n-legacy$s" "$sb/$n$s"
        done
    done
    return 0
}

# module_name FILE: kernel module name of a .ko file (dashes become underscores).
module_name() {
    local n=${1##*/}
    n=${n%%.ko*}
    echo "${n//-/_}"
}

module_depends() {
    local f=$1
    case "$f" in
        *.xz) xz -dc "$f" ;;
        *.zst) zstd -dc "$f" ;;
        *.gz) gzip -dc "$f" ;;
        *) cat "$f" ;;
    esac | tr '\0' '\n' | sed -n 's/^depends=//p' | head -n1 | tr ',' ' '
}

install_module() {
    local src=$1 rel=${1#"$KSRC"/} dest
    dest=$ROOT/lib/modules/$KVER/${rel%.ko*}.ko
    [ -e "$dest" ] && return 0
    mkdir -p "$(dirname "$dest")"
    case "$src" in
        *.xz) xz -dc "$src" > "$dest" ;;
        *.zst) zstd -dc "$src" > "$dest" ;;
        *.gz) gzip -dc "$src" > "$dest" ;;
        *) cp "$src" "$dest" ;;
    esac
}

install_modules() {
    declare -A path_of seen
    local f queue=() d name dep
    while read -r f; do path_of[$(module_name "$f")]=$f; done < <(find "$KSRC/kernel" -name '*.ko*')
    for d in $MODULE_DIRS; do
        while read -r f; do queue+=("$f"); done < <(find "$KSRC/$d" -name '*.ko*')
    done
    for name in $MODULE_NAMES; do
        [ -n "${path_of[$name]:-}" ] || die "no module $name in $KSRC"
        queue+=("${path_of[$name]}")
    done
    while [ ${#queue[@]} -gt 0 ]; do
        f=${queue[0]}
        queue=("${queue[@]:1}")
        name=$(module_name "$f")
        [ -z "${seen[$name]:-}" ] || continue
        seen[$name]=1
        install_module "$f"
        for dep in $(module_depends "$f"); do
            dep=${dep//-/_}
            [ -n "${path_of[$dep]:-}" ] || die "module $name depends on unknown module $dep"
            queue+=("${path_of[$dep]}")
        done
    done
    cp "$KSRC"/modules.order "$KSRC"/modules.builtin* "$ROOT/lib/modules/$KVER/"
    "$BUSYBOX" depmod -b "$ROOT" "$KVER"
    log "$(find "$ROOT/lib/modules" -name '*.ko' | wc -l) modules for $KVER"
}

# Small test programs (tests/vm/helpers/NAME.c), static, as /usr/bin/NAME.
install_helpers() {
    local src
    for src in "$HERE"/helpers/*.c; do
        [ -e "$src" ] || continue
        ${CC:-cc} -static -O2 -Wall -Wextra -Werror -o "$ROOT/usr/bin/$(basename "$src" .c)" "$src" ||
            die "cannot build $src"
    done
}

# ufw's init script and templates (Debian's package, unpacked by fetch-kernel.sh) in /opt/ufw.
install_ufw() {
    local pkg=$VM_CACHE/ufw
    [ -e "$pkg/.done" ] || { log "warning: no ufw in $VM_CACHE, skipped"; return 0; }
    mkdir -p "$ROOT/opt/ufw"
    cp -a "$pkg/lib" "$pkg/etc" "$pkg/usr" "$ROOT/opt/ufw/"
}

install_tests() {
    cp "$HERE/guest-init.sh" "$ROOT/init"
    chmod 755 "$ROOT/init"
    mkdir -p "$ROOT/tests"
    cp "$HERE/lib.sh" "$HERE/demo.sh" "$ROOT/tests/"
    # make bench: each bench/*.sh whose name matches --filter, in turn and in its own shell.
    mkdir -p "$ROOT/tests/bench"
    cp "$HERE"/../../bench/*.sh "$ROOT/tests/bench/"
    cat > "$ROOT/tests/bench.sh" <<'BENCH'
for f in /tests/bench/*.sh; do
    echo "${f##*/}" | grep -qE -- "${BENCH_FILTER:-.}" && (. "$f")
done
true
BENCH
    [ -z "${VM_BENCH_PROBE:-}" ] || cp "$VM_BENCH_PROBE" "$ROOT/usr/bin/empty-probe"
    for alt in ${VM_BENCH_ALTS:-}; do cp "$alt" "$ROOT/usr/bin/"; done
    [ -z "${VM_BENCH_CONFIGS:-}" ] || echo "$VM_BENCH_CONFIGS" > "$ROOT/tests/bench-configs"
    : > "$ROOT/tests/bench-env"
    for setting in ${VM_BENCH_ENV:-}; do
        # read by the bench as NAME=NUMBER lines, never run
        [[ "$setting" =~ ^BENCH_[A-Z_]+=[0-9]+$ ]] || { log "VM_BENCH_ENV: '$setting' is not BENCH_NAME=NUMBER"; exit 2; }
        echo "$setting" >> "$ROOT/tests/bench-env"
    done
    cp -r "$HERE/scenarios" "$ROOT/tests/"
}

make_cpio() {
    mkdir -p "$(dirname "$OUT")"
    (cd "$ROOT" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | gzip -1 > "$OUT.tmp"
    mv "$OUT.tmp" "$OUT"
    log "wrote $OUT ($(du -h "$OUT" | cut -f1))"
}

main() {
    [ -e "$TOOL" ] || die "tool binary $TOOL not found"
    TOOL=$(readlink -f "$TOOL")
    make_skeleton
    install_busybox
    install_binaries
    link_xtables
    install_modules
    install_helpers
    install_ufw
    install_tests
    make_cpio
    [ "${VM_KEEP_ROOT:-0}" = 1 ] || rm -rf "$ROOT"
}

main
