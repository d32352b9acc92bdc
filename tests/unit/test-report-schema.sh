#!/bin/sh
# Every report shape the core produces validates against schemas/gpudump-report.schema.json.
# usage: test-report-schema.sh REPORT-SAMPLES PYTHON VALIDATE-JSON SCHEMA
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$1" "$tmp"
n=$(ls "$tmp"/*.json | wc -l)
if [ "$n" -lt 20 ]; then
        echo "expected at least 20 reports, got $n" >&2
        exit 1
fi
"$2" "$3" "$4" "$tmp"/*.json
echo "ok: $n reports validate"
