#!/bin/bash
# Install what is missing, build, and show gpudump end to end:
#   1. decode a bundled default: an xe devcoredump the project's generator makes (a compute
#      queue stuck on MI_SEMAPHORE_WAIT), printed as the JSON report and as text;
#   2. the whole pipeline in a real kernel under qemu: the vxe driver hangs, captures and publishes
#      a compressed devcoredump, gpudumpd collects and frees it, `gpudump decode` prints the report.
# Usage: scripts/demo.sh [--quick]   (--quick: step 1 only, no VM)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = --quick ] && quick=1

if [ $quick = 1 ]; then ./scripts/deps.sh build; else ./scripts/deps.sh test; fi
if [ -f build/build.ninja ]; then
        meson setup --reconfigure build -Dkernel=auto >/dev/null
else
        meson setup build -Dkernel=auto >/dev/null
fi
meson compile -C build >/dev/null

out=build/demo
mkdir -p "$out"
/usr/bin/python3 tests/fixtures/demo-dump.py "$out/xe-hang.txt"
echo "== gpudump decode $out/xe-hang.txt (JSON report)"
build/cli/gpudump/gpudump decode --json=pretty "$out/xe-hang.txt"
echo
echo "== gpudump decode --text $out/xe-hang.txt"
build/cli/gpudump/gpudump decode --text "$out/xe-hang.txt"

if [ $quick = 0 ]; then
        echo
        echo "== end to end in qemu: vxe hang -> devcoredump -> gpudumpd -> gpudump decode"
        tests/vm/run-vm.sh --demo build
fi
