#!/bin/bash
# Install (with apt-get, as root) whatever gpudump needs to build and test that is missing.
# Usage: scripts/deps.sh [build|test|deb]   (test adds what the test suites need, deb what
# scripts/build-debs.sh needs to build and check the packages)
set -euo pipefail

build_pkgs=(meson ninja-build pkg-config gcc make binutils libc6-dev libzstd-dev zstd zlib1g-dev libjson-c-dev
            libssl-dev libudev-dev libsystemd-dev libinih-dev libdrm-dev check python3)
test_pkgs=(python3-jsonschema intel-gpu-tools valgrind umockdev libumockdev-dev dbus systemd udev
           qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static cpio kmod
           procps file time python3-gi gir1.2-umockdev-1.0 zstd util-linux
           polkitd bash-completion clang libclang-rt-14-dev)
# Debian packages: scripts/build-debs.sh (dpkg-buildpackage, lintian) and the vm-systemd test's
# root file system (mmdebstrap).
deb_pkgs=(dpkg-dev debhelper fakeroot lintian mmdebstrap e2fsprogs)

want=("${build_pkgs[@]}")
case "${1:-build}" in
build) ;;
test) want+=("${test_pkgs[@]}" "${deb_pkgs[@]}") ;;
deb) want+=("${deb_pkgs[@]}") ;;
*) echo "deps: unknown set '$1' (build, test or deb)" >&2; exit 2 ;;
esac

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
