#!/bin/sh
# Compare the symbols libgpudump.so exports with its version script, both directions: an export
# missing from libgpudump.sym (or listed but not defined) fails, so the ABI cannot drift silently.
# usage: check-symbols.sh LIBGPUDUMP.SO LIBGPUDUMP.SYM
set -eu
lib=$1
sym=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | LC_ALL=C sort -u >"$tmp/exported"
# The names between "global:" and "local:", without comments and semicolons.
sed -n '/global:/,/local:/p' "$sym" | sed -e 's,/\*.*\*/,,g' -e 's/;//' -e 's/[[:space:]]//g' |
        grep -v -e '^global:' -e '^local:' -e '^$' >"$tmp/listed"
LC_ALL=C sort -u "$tmp/listed" >"$tmp/listed.sorted"

status=0
if ! LC_ALL=C sort -c "$tmp/listed" 2>/dev/null; then
        echo "libgpudump.sym is not in alphabetical order" >&2
        status=1
fi
if [ "$(wc -l <"$tmp/exported")" -eq 0 ]; then
        echo "no exported functions found in $lib" >&2
        exit 1
fi
missing=$(LC_ALL=C comm -23 "$tmp/exported" "$tmp/listed.sorted")
extra=$(LC_ALL=C comm -13 "$tmp/exported" "$tmp/listed.sorted")
if [ -n "$missing" ]; then
        echo "exported but not in libgpudump.sym:" >&2
        echo "$missing" >&2
        status=1
fi
if [ -n "$extra" ]; then
        echo "in libgpudump.sym but not exported:" >&2
        echo "$extra" >&2
        status=1
fi
if nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | grep -v '^gpudump_' >&2; then
        echo "exports without the gpudump_ prefix" >&2
        status=1
fi
[ $status -eq 0 ] && echo "ok: $(wc -l <"$tmp/exported") exported functions match libgpudump.sym"
exit $status
