#!/bin/sh
# Regenerate tests/cli/golden/* from the current build, after a deliberate output change.
# usage: tests/cli/update-golden.sh BUILDDIR      (e.g. /work/build-cli)
# Review the diff (git diff tests/cli/golden) before committing: goldens pin what users see.
set -eu
build=${1:?usage: update-golden.sh BUILDDIR}
here=$(cd "$(dirname "$0")" && pwd)
gpudump=$(cd "$build" && pwd)/cli/gpudump/gpudump
[ -x "$gpudump" ] || { echo "update-golden.sh: $gpudump not built" >&2; exit 1; }
export GPUDUMP_UPDATE_GOLDEN=1
export GPUDUMP_SOURCE_ROOT="$here/../.."
for case in golden_decode golden_report disasm store_list store_info; do
        /usr/bin/python3 "$here/test-cli.py" "$gpudump" "$case"
done
