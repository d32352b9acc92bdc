#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Ask IGT's intel_error_decode about every command of gpudump's tables, one buffer each, and
print where IGT disagrees (the source of igt_compare.IGT_WRONG; run by hand when the tables or
IGT change):

    tests/formats/igt-probe.py [OUTDIR]

For each generation of gen-fixtures' IGT_DEVICES, an i915 error state holds one buffer per
command the render (and, from gen6, the copy) engine can run: the command at its nominal
length, MI_NOOPs, MI_BATCH_BUFFER_END. IGT's first instruction must be the command under our
name and its second start must be where the command ends. Prints one line per disagreement:
"VERSION NAME unknown|length IGT_LEN|name IGT_NAME".
"""
import importlib.util
import os
import random
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cmd_tables  # noqa: E402
import igt_compare as ic  # noqa: E402

spec = importlib.util.spec_from_file_location("gen_fixtures", os.path.join(HERE, "gen-fixtures.py"))
gf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gf)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="igt-probe-")
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(1)
    defs = cmd_tables.load()
    for ver, pci_id, platform, mode in gf.IGT_DEVICES:
        g = gf.I915Gen(rng, "zlib")
        g.header(platform, pci_id, 1, "probe", 1, 1)
        probes = {}
        seen = set()
        engines = ["render"] + (["copy"] if ver >= 600 else [])
        for eng in engines:
            for d in cmd_tables.for_version(defs, ver, eng):
                key = (d["match"], d["name"])
                if key in seen or d["name"] in gf.IGT_SKIP or d["hook"] == "GD_HOOK_PRIM_GEN2_3":
                    continue
                seen.add(key)
                words = gf.igt_command(rng, d)
                words = [words[0]] + [0] * (len(words) - 1)
                data = words + [0] * 8 + [0x05000000]
                while len(data) % 1024:
                    data.append(0)
                addr = g.obj("rcs0", "batch", struct.pack("<%dI" % len(data), *data))
                probes[addr] = (d, len(words))
        path = os.path.join(outdir, "probe-%d.txt" % ver)
        with open(path, "w") as f:
            f.write(g.text())
        igt = ic.run_igt(path)
        for addr, (d, n) in sorted(probes.items(), key=lambda x: x[1][0]["name"]):
            starts = igt.get(addr, {}).get("starts", {})
            first = starts.get(addr)
            if first is None or "UNKNOWN" in first.upper():
                print(f"{ver} {d['name']} unknown {first!r}")
                continue
            nxt = sorted(a for a in starts if a > addr)
            igt_len = (nxt[0] - addr) // 4 if nxt else None
            if igt_len != n:
                print(f"{ver} {d['name']} length {igt_len} (ours {n})")
            elif ic.normalise(first) != ic.normalise(d["name"]):
                print(f"{ver} {d['name']} name {ic.normalise(first)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
