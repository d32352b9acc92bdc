#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test against IGT's intel_error_decode (issue 9 item 5).

    test-igt.py GPUDUMP INSTR_WALK FIXTURE_DIR

FIXTURE_DIR holds the i915 error states `gen-fixtures.py --igt` writes (gen2 .. gen12, batches
of random command mixes from gpudump's tables) and igt.json listing them. For each batch IGT
decodes, the instruction starts and names are compared twice: with `gpudump disasm --vma` (the
dump's own graphics version from its PCI id, over the range the listing covers: it stops where
the batch's control flow does) and with the library's decoder walking the extracted buffer to
its end (instr-walk, over the range IGT decoded). For each of the two, over all generations and
for each, it must hold that:
  - at least 99 % of IGT's instruction starts are starts of ours,
  - at least 99 % of our starts are IGT's,
  - at least 95 % of the names at common starts agree after normalising.
Commands IGT decodes wrongly are kept out of the batches (igt_compare.IGT_WRONG says why).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import igt_compare as ic  # noqa: E402

MIN_FOUND, MIN_OURS, MIN_NAMES = 0.99, 0.99, 0.95


def main():
    gpudump, walker, fixdir = sys.argv[1:4]
    verbose = "-v" in sys.argv
    with open(os.path.join(fixdir, "igt.json")) as f:
        listing = json.load(f)
    if not listing:
        print("no fixtures")
        return 1
    per_ver = {}
    per_ver_dis = {}
    failures = []
    for fx in listing:
        path = os.path.join(fixdir, fx["file"])
        igt = ic.run_igt(path)
        for b in fx["batches"]:
            addr = int(b["address"], 16)
            if addr not in igt:
                failures.append(f"{fx['file']}: IGT printed no buffer at {b['address']}")
                continue
            data = subprocess.run([gpudump, "extract", path, "--vma", b["address"]], check=True,
                                  stdout=subprocess.PIPE).stdout
            if len(data) != b["size"]:
                failures.append(f"{fx['file']}: gpudump extracted {len(data)} bytes at "
                                f"{b['address']}, the generator wrote {b['size']}")
                continue
            ours = ic.walk(walker, fx["version"], b["engine"], data, addr)
            r = ic.compare_buffer(igt[addr]["starts"], ours)
            if r is None:
                failures.append(f"{fx['file']}: IGT decoded nothing at {b['address']}")
                continue
            per_ver.setdefault(fx["version"], []).append(r)
            dis = ic.disasm(gpudump, path, b["address"])
            if not dis:
                failures.append(f"{fx['file']}: gpudump disasm listed nothing at {b['address']}")
            else:
                top = max(dis)
                rd = ic.compare_buffer({a: n for a, n in igt[addr]["starts"].items() if a <= top}, dis)
                if rd:
                    per_ver_dis.setdefault(fx["version"], []).append(rd)
            if verbose:
                for m in r["missing"][:10]:
                    print(f"  {fx['file']} {b['engine']}: IGT start 0x{m:x} "
                          f"{igt[addr]['starts'][m]!r} not ours")
                for m in r["extra"][:10]:
                    print(f"  {fx['file']} {b['engine']}: our start 0x{m:x} {ours[m]!r} not IGT's")
                for (m, i, o) in r["mismatches"][:10]:
                    print(f"  {fx['file']} {b['engine']}: 0x{m:x} IGT {i!r} ours {o!r}")

    def check_all(label, per):
        everything = []
        for ver in sorted(per, key=lambda v: [int(x) for x in v.split(".")]):
            rs = per[ver]
            everything += rs
            t = ic.totals(rs)
            print(f"{label} graphics {ver}: IGT starts found {100 * t['igt_found']:.2f}% "
                  f"({t['common']}/{t['igt']}), ours at IGT starts {100 * t['ours_at_igt']:.2f}% "
                  f"({t['common']}/{t['ours']}), names equal {100 * t['names']:.2f}% "
                  f"({t['names_equal']}/{t['common']})")
            for what, got, want in (("IGT starts found", t["igt_found"], MIN_FOUND),
                                    ("ours at IGT starts", t["ours_at_igt"], MIN_OURS),
                                    ("names equal", t["names"], MIN_NAMES)):
                if got < want:
                    failures.append(f"{label} graphics {ver}: {what} {100 * got:.2f}% < {100 * want:.0f}%")
        t = ic.totals(everything)
        print(f"{label} all: IGT starts found {100 * t['igt_found']:.2f}% ({t['common']}/{t['igt']}), "
              f"ours at IGT starts {100 * t['ours_at_igt']:.2f}% ({t['common']}/{t['ours']}), "
              f"names equal {100 * t['names']:.2f}% ({t['names_equal']}/{t['common']})")

    check_all("disasm", per_ver_dis)
    check_all("walk", per_ver)
    if len(per_ver_dis) < 12:
        failures.append(f"disasm: only {len(per_ver_dis)} generations compared, want 12 (gen2 .. gen12)")
    if len(per_ver) < 12:
        failures.append(f"only {len(per_ver)} generations compared, want 12 (gen2 .. gen12)")
    for f in failures:
        print("FAIL:", f)
    n_fail = 1 if failures else 0
    print(f"{1 - n_fail} passed, {n_fail} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
