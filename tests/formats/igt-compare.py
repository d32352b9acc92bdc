#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Compare instruction starts and names of IGT's intel_error_decode with gpudump's, on any i915
error state (a manual check; the suite runs test-igt.py on generated dumps).

    tests/formats/igt-compare.py FILE [--build DIR] [--ver X.Y] [-v]

Every buffer IGT decodes (batches, rings) is extracted with `gpudump extract`, walked with the
library's decoder (build/tests/formats/instr-walk) at the dump's graphics version (or --ver),
and compared over the range IGT decoded. Prints per-buffer and total figures: the share of IGT's
instruction starts we find, the share of ours that are IGT starts, and of the common starts the
share whose names agree after normalising (igt_compare.ALIASES).
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import igt_compare as ic  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--build", default=os.path.join(here, "..", "..", "build"))
    ap.add_argument("--ver", help="graphics version X.Y when the dump does not give one")
    ap.add_argument("--igt", default="intel_error_decode")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    gpudump = os.path.join(a.build, "cli", "gpudump", "gpudump")
    walker = os.path.join(a.build, "tests", "formats", "instr-walk")
    report = json.loads(subprocess.run([gpudump, "decode", a.file], check=True,
                                       stdout=subprocess.PIPE).stdout)
    ver = a.ver or ic.version_text((report.get("device") or {}).get("graphics_version")) or "0"
    vmas = {int(v["address"], 16): v for v in report.get("vmas", [])}
    igt = ic.run_igt(a.file, a.igt)

    results = []
    for addr, buf in sorted(igt.items()):
        if addr not in vmas:
            print(f"0x{addr:x} ({buf['kind']}, {buf['engine']}): not among gpudump's buffers")
            continue
        data = subprocess.run([gpudump, "extract", a.file, "--vma", "0x%x" % addr], check=True,
                              stdout=subprocess.PIPE).stdout
        ours = ic.walk(walker, ver, ic.engine_class(buf["engine"]), data, addr)
        r = ic.compare_buffer(buf["starts"], ours)
        if r is None:
            continue
        results.append(r)
        print(f"0x{addr:x} {buf['kind']} ({buf['engine']}): IGT {r['igt']} starts, ours {r['ours']}, "
              f"common {r['common']}, names equal {r['names_equal']}")
        if a.verbose:
            for m in r["missing"][:20]:
                print(f"   IGT start 0x{m:x} {buf['starts'][m]!r} not ours")
            for m in r["extra"][:20]:
                print(f"   our start 0x{m:x} {ours[m]!r} not IGT's")
            for (m, i, o) in r["mismatches"][:20]:
                print(f"   0x{m:x}: IGT {i!r} ours {o!r}")
    if not results:
        print("no buffer to compare")
        return 1
    t = ic.totals(results)
    print(f"version {ver}: IGT starts found {100 * t['igt_found']:.2f}% ({t['common']}/{t['igt']}), "
          f"ours at IGT starts {100 * t['ours_at_igt']:.2f}% ({t['common']}/{t['ours']}), "
          f"names equal {100 * t['names']:.2f}% ({t['names_equal']}/{t['common']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
