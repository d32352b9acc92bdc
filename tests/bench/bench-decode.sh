#!/bin/sh
# Decode benchmark (not a test): a dump with 256 MiB of VMA contents (~280 MB of text) in 4 MiB
# VMAs, one with twice that, and one with a single 256 MiB VMA (hashed pipelined: one thread
# decodes, the other hashes), each measured as wall time, CPU time (user + sys: the machine may
# be shared, wall time then says little) and peak RSS with /usr/bin/time, next to `wc -l` on the
# same file (the cost of merely reading it).
# usage: bench-decode.sh GEN-BENCH BENCH-DECODE [GPUDUMP-CLI]
set -eu
gen=$1
drv=$2
cli=${3:-}
dir=${GPUDUMP_BENCH_DIR:-/tmp}
timefmt='%e s wall  %U s user  %S s sys  %M KiB peak RSS'

if [ ! -x /usr/bin/time ]; then
        echo "bench: /usr/bin/time missing (scripts/deps.sh test installs package 'time')" >&2
        exit 1
fi
for run in 256 512 256x1; do
        mib=${run%x1}
        f="$dir/gpudump-bench-$run.txt"
        if [ ! -s "$f" ]; then
                if [ "$run" = "$mib" ]; then
                        "$gen" "$f" "$mib"
                else
                        "$gen" "$f" "$mib" "$mib"
                fi
        fi
        chmod 0640 "$f"
        if [ "$run" = "$mib" ]; then
                echo "== $f: $(stat -c %s "$f") bytes, $mib MiB of VMA contents in 4 MiB VMAs"
        else
                echo "== $f: $(stat -c %s "$f") bytes, one VMA of $mib MiB"
        fi
        cat "$f" >/dev/null # same page-cache state for every run
        printf '%-34s' "wc -l:"
        /usr/bin/time -f "$timefmt" wc -l "$f" 2>&1 | tr '\n' ' '
        echo
        printf '%-34s' "bench-decode (library, JSON+sha):"
        /usr/bin/time -f "$timefmt" "$drv" "$f" 2>&1 | tr '\n' ' '
        echo
        printf '%-34s' "bench-decode (library, no sha):"
        /usr/bin/time -f "$timefmt" "$drv" "$f" --no-sha256 2>&1 | tr '\n' ' '
        echo
        if [ -n "$cli" ] && [ -x "$cli" ]; then
                printf '%-34s' "gpudump decode --json=short:"
                /usr/bin/time -f "$timefmt" "$cli" decode --json=short "$f" 2>&1 >/dev/null | tail -1
        fi
done
