#!/bin/bash
# Regenerate the seed corpora of tests/fuzz/corpus/ (docs/fuzzing.md): generate the fixtures
# (tests/fixtures/xegen.py, tests/formats/gen-fixtures.py), pick inputs of at most 64 KiB per
# target, and keep what adds coverage (libFuzzer -merge=1) into corpus/<target>/.
# Usage: tests/fuzz/make-seeds.sh BUILD-FUZZ-DIR
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$1" && pwd)/tests/fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$src/../fixtures/xegen.py" --all --out "$tmp/matrix" >/dev/null
/usr/bin/python3 "$src/../formats/gen-fixtures.py" "$tmp/formats" >/dev/null

pick() { # pick TARGET FILES...: the files of at most $max bytes into the target's seed dir
        local t=$1 x; shift
        mkdir -p "$tmp/seeds/$t"
        for x in "$@"; do
                [ -f "$x" ] && [ "$(stat -c %s "$x")" -le "${max:-65536}" ] && cp "$x" "$tmp/seeds/$t/"
        done
        return 0
}
m=$tmp/matrix
f=$tmp/formats
pick xe "$m"/xe-*.txt
pick vxe "$m"/vxe-*.txt
pick i915 "$f"/i915-*.txt
pick amdgpu "$f"/amdgpu*.txt
pick msm "$f"/msm*.txt
pick panfrost "$f"/panfrost*.bin
pick etnaviv "$f"/etnaviv*.bin
# The targets over every format: the small fixtures only (the corpus stays small).
max=16384
pick decode "$m"/*.txt "$m"/*.txt.zst "$f"/*.txt "$f"/*.bin
max=65536 pick extract "$m"/*dmesg*.txt "$m"/*mail*.txt "$m"/*journal*.txt "$m"/*crlf*.txt "$m"/xe-6.16-spec.txt
# text and report: the fixtures' reports; report takes two option bytes first.
pick text "$m"/xe-newest-*.txt "$m"/vxe-*.txt "$f"/i915-guc.txt "$f"/amdgpu.txt "$f"/msm.txt \
        "$f"/panfrost.bin "$f"/etnaviv.bin
mkdir -p "$tmp/seeds/report"
for x in "$tmp/seeds/text"/*; do
        for opt in '\x00\x01' '\x10\x01' '\x04\x00' '\x00\x02'; do
                { printf "$opt"; cat "$x"; } >"$tmp/seeds/report/$(basename "$x")-$(printf %s "$opt" | tr -d '\\')"
        done
done
max=65536
# the store: metadata entries and a compressed dump, split by "\n--\n" (fuzz-store.c).
mkdir -p "$tmp/seeds/store"
meta='{"id":"20261121T081500-1a2b3c4d-000001","time":"2026-11-21T08:15:00Z","timestamp_usec":1763712900000000,"boot_id":"1a2b3c4d5e6f","driver":"xe","devname":"devcd1","format":"xe","size":18427,"compressed_size":9000,"state":"complete","occurrences":1}'
for x in "$m"/xe-6.11-degraded.txt.zst "$m"/xe-newest-no-vma.txt; do
        { printf '%s\n--\n%s\n--\n' "$meta" "${meta/000001/000002}"; zstd -q -c "$x"; } \
                >"$tmp/seeds/store/$(basename "$x")"
done
printf '%s' "$meta" >"$tmp/seeds/store/meta-only"
printf '[1]\n--\n{\n--\n{"a":\n--\nnull\n--\n' >"$tmp/seeds/store/bad-meta"
# the daemon's configuration
mkdir -p "$tmp/seeds/config"
cp "$src/../../packaging/gpudumpd.conf" "$tmp/seeds/config/packaged.conf"
printf '[Store]\nDirectory=/var/lib/x\nMaxUse=1G\nKeepFree=15%%\nMaxEntries=10\nMaxAge=2w\n[Collect]\nDumpSizeMax=infinity\nAnalyzeSizeMax=8M\nCompressionLevel=19\nI915ErrorState=no\nFreeKernelCopy=yes\nAllowDrivers=xe i915\nDenyDrivers=msm\n[RateLimit]\nBurst=0\nInterval=1h 30min\n' \
        >"$tmp/seeds/config/all-keys.conf"
printf '[Store]\nDirectory=relative\nMaxUse=-1\n[Collect]\nCompressionLevel=20\nBogus=1\n[Nope\n' \
        >"$tmp/seeds/config/bad.conf"
# bus arguments (fuzz-bus-args.c): method byte, then {key, type, value} records.
mkdir -p "$tmp/seeds/bus-args"
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x02\x01\x02xe\x03\x02\x00\x00\x00\x00\x00\x00\x00\x03\x04\x03\x01' \
        >"$tmp/seeds/bus-args/list-all"
printf '\x00\x00\x01' >"$tmp/seeds/bus-args/list-wrong-type"
printf '\x00\xc0\x00\x05bogus\x00\x00\x00\x00\x00\x00\x00\x00' >"$tmp/seeds/bus-args/list-unknown"
printf '\x01\x1f20261121T081500-1a2b3c4d-000001\x05\x03\x01' >"$tmp/seeds/bus-args/decode-vma"
printf '\x01\x1f20261121T081500-1a2b3c4d-000001\x05\x00\x00' >"$tmp/seeds/bus-args/decode-bad-opt"
printf '\x02\x1f20261121T081500-1a2b3c4d-000001' >"$tmp/seeds/bus-args/get"
printf '\x02\x10../../etc/passwd' >"$tmp/seeds/bus-args/get-traversal"

for d in "$tmp/seeds"/*; do
        t=$(basename "$d")
        mkdir -p "$src/corpus/$t"
        ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
                "$bin/fuzz-$t" -merge=1 -rss_limit_mb=2048 -malloc_limit_mb=256 \
                "$src/corpus/$t" "$d" 2>/dev/null
        echo "$t: $(ls "$src/corpus/$t" | wc -l) inputs, $(du -sh "$src/corpus/$t" | cut -f1)"
done
