#!/usr/bin/env bash
# Installs the Debian packages a step needs, when they are missing: build | test | arm64.
# arm64 (make ARCH=arm64 on x86-64) adds the arm64 architecture to dpkg (multiarch).
set -euo pipefail

build_packages=(make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libzstd-dev libpcap0.8-dev)
test_packages=("${build_packages[@]}" zsh jq clang-format libclang-rt-dev qemu-system-x86 busybox-static iptables nftables
	arptables ebtables iproute2 util-linux kmod ca-certificates)

arm64_packages=("${build_packages[@]}" qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross libbpf-dev:arm64
	libelf-dev:arm64 zlib1g-dev:arm64 libzstd-dev:arm64 libpcap0.8-dev:arm64)

case "${1:-}" in
build) wanted=("${build_packages[@]}") ;;
test) wanted=("${test_packages[@]}") ;;
arm64) wanted=("${arm64_packages[@]}") ;;
*) echo "usage: $0 build|test|arm64" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Error: missing packages: ${missing[*]} (run as root to install them with apt-get)" >&2
	exit 1
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if [ "$1" = arm64 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
