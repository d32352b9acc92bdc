#!/usr/bin/python3
"""Sum meson test logs (testlog-*.json) into one closing line; fail on failures, skips or no tests.

A skipped test counts as a failure: in this project a skip always means a missing piece
(a tool not installed, a suite that silently did nothing), never an acceptable outcome.
"""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        print(f"summary: {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    with f:
        for line in f:
            t = json.loads(line)
            result = t.get("result")
            name = f"{path.split('testlog-')[-1][:-5]}:{t.get('name')}"
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
                print(f"summary: SKIPPED (counts as failure): {name}", file=sys.stderr)
            else:
                failed += 1
                print(f"summary: {result}: {name}", file=sys.stderr)

if passed + failed + skipped == 0:
    print("summary: no test ran", file=sys.stderr)
    failed = 1
print(f"{passed} passed, {failed + skipped} failed")
sys.exit(1 if failed or skipped else 0)
