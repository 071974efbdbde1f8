#!/bin/bash
# Usage: tests/vm/arm64-smoke.sh ARM64_TOOL_BINARY   (make ARCH=arm64 builds it)
# Boots Debian 12's arm64 cloud kernel under qemu-system-aarch64 (TCG) with a small initramfs:
# busybox, iptables-legacy and the x_tables modules, all arm64, fetched through a private apt
# state in $VM_CACHE/arm64 (the system's sources untouched). In the guest, for each backend: a
# filter OUTPUT DROP of ICMP to 127.0.0.1 is traced with its rule (rule=OUTPUT#1). The smaller
# arm64 smoke set: the full scenarios need iproute2, nft, ... for arm64 too (not done).
# Ends with "N passed, N failed". Env: VM_CACHE (default .cache/vm), VM_TIMEOUT (default 600 s).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VM_CACHE=${VM_CACHE:-$REPO/.cache/vm}
DIR=$VM_CACHE/arm64
BUILD=${VM_BUILD:-$REPO/build/vm-arm64}
TOOL=${1:?usage: arm64-smoke.sh ARM64_TOOL_BINARY}
PACKAGES="busybox-static iptables libxtables12 libip4tc2 libip6tc2 libc6"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { echo "arm64-smoke: $*" >&2; }
die() { log "error: $*"; echo "0 passed, 1 failed"; exit 1; }

fetch() {
	local apt=$DIR/apt kpkg pkg
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$DIR/debs"
	cat > "$apt/sources.list" <<-EOF
		deb [signed-by=$KEYRING arch=arm64] http://deb.debian.org/debian bookworm main
		deb [signed-by=$KEYRING arch=arm64] http://deb.debian.org/debian-security bookworm-security main
	EOF
	chmod -R a+rwX "$DIR"
	APT=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
		-o Dir::State::status=/dev/null -o APT::Architecture=arm64 -o APT::Architectures=arm64)
	if [ -z "$(find "$apt/lists" -maxdepth 1 -name '*Packages*' -mtime -1)" ]; then
		apt-get "${APT[@]}" -q update > /dev/null 2>&1 || log "apt-get update failed (offline?)"
	fi
	kpkg=$(apt-cache "${APT[@]}" depends linux-image-cloud-arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1)
	for pkg in $kpkg $PACKAGES; do
		ls "$DIR/debs/${pkg}"_*.deb > /dev/null 2>&1 ||
			(cd "$DIR/debs" && apt-get "${APT[@]}" download -q "$pkg" > /dev/null 2>&1) ||
			die "cannot download $pkg for arm64"
	done
	KERNEL_DEB=$(ls -t "$DIR"/debs/linux-image-[0-9]*_arm64.deb | head -n1)
}

build_initramfs() {
	local root=$BUILD/root deb kver m
	rm -rf "$root"
	mkdir -p "$root"/{proc,sys,dev,tmp,run,sbin} "$BUILD/kernel"
	for deb in "$DIR"/debs/*.deb; do
		case "$deb" in
		*linux-image*) [ "$deb" = "$KERNEL_DEB" ] && dpkg-deb -x "$deb" "$BUILD/kernel" ;;
		*) dpkg-deb -x "$deb" "$root" ;;
		esac
	done
	for d in bin sbin lib; do
		[ -e "$root/$d" ] || ln -s "usr/$d" "$root/$d"
	done
	mkdir -p "$root/usr/bin"
	for a in $("$BUSYBOX" --list); do # the host's busybox: same Debian version
		[ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] || ln -s ../../bin/busybox "$root/usr/bin/$a"
	done
	ln -sf busybox "$root/bin/sh" # /init's interpreter
	kver=$(ls "$BUILD/kernel/lib/modules")
	mkdir -p "$root/modules"
	for m in net/netfilter/x_tables net/ipv4/netfilter/ip_tables net/ipv4/netfilter/iptable_filter; do
		cp "$BUILD/kernel/lib/modules/$kver/kernel/$m.ko" "$root/modules/"
	done
	cp "$TOOL" "$root/usr/sbin/skbtracer-iptables"
	for n in iptables iptables-save; do ln -sf "${n/iptables/iptables-legacy}" "$root/usr/sbin/$n"; done
	cp "$HERE/arm64-init.sh" "$root/init"
	chmod 755 "$root/init" "$root/usr/sbin/skbtracer-iptables"
	(cd "$root" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc 2> /dev/null) |
		gzip -1 > "$BUILD/initramfs.gz"
	KERNEL_IMAGE=$(ls "$BUILD"/kernel/boot/vmlinuz-*)
}

main() {
	[ -e "$TOOL" ] || die "$TOOL not found (make ARCH=arm64)"
	file -L "$TOOL" | grep -q 'ARM aarch64' || die "$TOOL is not an arm64 binary"
	command -v qemu-system-aarch64 > /dev/null || die "qemu-system-aarch64 missing (apt-get install qemu-system-arm)"
	BUSYBOX=$("$HERE/fetch-kernel.sh")/busybox-static/bin/busybox
	mkdir -p "$BUILD"
	fetch
	build_initramfs
	[ "${ARM64_BUILD_ONLY:-0}" = 1 ] && exit 0
	log "booting $(basename "$KERNEL_DEB") (TCG)"
	timeout -k 10 "${VM_TIMEOUT:-600}" qemu-system-aarch64 -M virt -accel tcg,thread=multi -cpu max \
		-m 1G -smp 2 -nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$KERNEL_IMAGE" -initrd "$BUILD/initramfs.gz" \
		-append "console=ttyAMA0 panic=-1 quiet" < /dev/null 2>&1 | tr -d '\r' > "$BUILD/console.log" || true
	grep -a '^@@' "$BUILD/console.log" | sed 's/^@@//' >&2 || true
	local pass fail
	pass=$(grep -ac '^@@PASS' "$BUILD/console.log" || true)
	fail=$(grep -ac '^@@FAIL' "$BUILD/console.log" || true)
	if ! grep -aq '^@@DONE' "$BUILD/console.log"; then
		tail -n 40 "$BUILD/console.log"
		fail=$((fail + 1))
		echo "FAIL vm: the arm64 guest did not finish (console in $BUILD/console.log)"
	fi
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}

main "$@"
