#!/bin/bash
# SPDX-License-Identifier: MIT
# Try gpudumpd from the build tree, without a GPU and without touching the system: a fake
# /sys (umockdev) with one xe GPU, a private bus standing in for the system bus, the real
# daemon, a hang "happening", and the gpudump CLI listing, decoding and deleting the dump.
# usage (as root): tests/daemon/try-it.sh [BUILD_DIR]      (docs/daemon.md explains each step)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
if [ "$(id -u)" -ne 0 ]; then
        echo "try-it: run as root (the fake kernel's dump is root-only, as the real one is)" >&2
        exit 1
fi
for f in "$build/daemon/gpudumpd/gpudumpd" "$build/cli/gpudump/gpudump"; do
        [ -x "$f" ] || { echo "try-it: $f missing; build first (ninja -C $build)" >&2; exit 1; }
done
export GPUDUMP_SOURCE_ROOT="$src" GPUDUMP_BUILD_ROOT="$build"
exec /usr/bin/python3 "$src/tests/daemon/try-it.py"
