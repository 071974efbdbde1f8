#!/usr/bin/env bash
# Installs the Debian packages a step needs, when they are missing: build | test.
set -euo pipefail

build_packages=(make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libzstd-dev)
test_packages=("${build_packages[@]}" clang-format jq libclang-rt-dev qemu-system-x86 busybox-static iptables nftables
	arptables ebtables iproute2 util-linux kmod ca-certificates)

case "${1:-}" in
build) wanted=("${build_packages[@]}") ;;
test) wanted=("${test_packages[@]}") ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
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
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
