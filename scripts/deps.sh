#!/bin/bash
# Install (with apt-get, as root) whatever gpudump needs to build and test that is missing.
# Usage: scripts/deps.sh [build|test]   (test adds what the test suites need)
set -euo pipefail

build_pkgs=(meson ninja-build pkg-config gcc make binutils libc6-dev libzstd-dev zstd zlib1g-dev libjson-c-dev
            libssl-dev libudev-dev libsystemd-dev libinih-dev libdrm-dev check python3)
test_pkgs=(python3-jsonschema intel-gpu-tools valgrind umockdev libumockdev-dev dbus systemd udev
           qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static cpio kmod
           procps file time python3-gi gir1.2-umockdev-1.0 zstd util-linux
           polkitd clang libclang-rt-14-dev)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
        dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
        echo "deps: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
        exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
