#!/bin/sh
# Build vxe.ko out of tree. Copies the sources into the build directory
# (kbuild writes next to its sources; the source tree stays clean), runs
# kbuild with -Werror and fails on any warning it prints.
# Usage: build-module.sh OUTPUT_KO SOURCE_DIR KERNEL_BUILD_DIR
set -eu
out=$1 src=$2 kdir=$3
mkdir -p "$(dirname "$out")/vxe-build/include"
work=$(cd "$(dirname "$out")/vxe-build" && pwd)
rm -rf "$work/vxe" "$work/include/uapi"
cp -r "$src/vxe" "$work/vxe"
cp -r "$src/include/uapi" "$work/include/uapi"
log=$work/build.log
if ! make -C "$kdir" M="$work/vxe" KCFLAGS=-Werror modules >"$log" 2>&1; then
        cat "$log" >&2
        echo "build-module.sh: kbuild failed (log: $log)" >&2
        exit 1
fi
# BTF is skipped without vmlinux: that note is not a code warning.
if grep -i 'warning' "$log" | grep -v 'Skipping BTF generation' >&2; then
        echo "build-module.sh: kbuild printed warnings (log: $log)" >&2
        exit 1
fi
cp "$work/vxe/vxe.ko" "$out"
