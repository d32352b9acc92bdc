# SPDX-License-Identifier: MIT
"""Compare gpudump's instruction walk with IGT's intel_error_decode on i915 error states.

Shared by igt-compare.py (by hand, any dump) and test-igt.py (the differential test). IGT prints
each buffer as

    batch (render ring) at 0x00000000_00439000
    0x00439000:      0x54300804: XY_COLOR_BLT (rgb enabled, ...)
    0x00439004:      0x03000180:    format 8888, ...

an instruction start being a line whose text follows the header after one space, its other
dwords indented further. IGT stops decoding a batch at MI_BATCH_BUFFER_END and prints the rest
as raw dwords, so a buffer is compared up to IGT's last instruction start.
"""
import os
import re
import subprocess
import tempfile

SECTION = re.compile(r"^(\S.*?) \(([^ ()]+)[^)]*\)?\)? at 0x([0-9a-f_]+)")
LINE = re.compile(r"^0x([0-9a-f]+):\s+0x([0-9a-f]{8}):( ?)(.*)$")

# IGT's names where they differ from the hardware descriptions gpudump's tables come from, and
# why each is IGT's choice rather than a disagreement about the command.
ALIASES = {
    # IGT prefixes PIPELINE_SELECT with 3DSTATE_ on gen4-7 (the PRMs and genxml do not)
    "3DSTATE_PIPELINE_SELECT": "PIPELINE_SELECT",
    # old name of the gen4/5 command
    "3DSTATE_VF_STATISTICS_GM45": "3DSTATE_VF_STATISTICS",
    # IGT spells out the inline form
    "3DSTATE_PIPELINED_STATE_POINTERS": "3DSTATE_PIPELINED_POINTERS",
    "MI_LOAD_REGISTER_IMMEDIATE": "MI_LOAD_REGISTER_IMM",
    "MI_STORE_DATA_IMMEDIATE": "MI_STORE_DATA_IMM",
    "MI_STORE_REGISTER_MEMORY": "MI_STORE_REGISTER_MEM",
    "3DSTATE_MAP_PALLETE_LOAD_32": "3DSTATE_MAP_PALETTE_LOAD_32",
    "3DSTATE_CLEAR_PARAMETERS": "3DSTATE_CLEAR_PARAMS",
}


def normalise(name):
    """Upper-case command name without IGT's trailing details (": qword write", " (rgb ...)")."""
    if name is None:
        return None
    n = re.split(r"[:( ,]", name.strip(), maxsplit=1)[0].upper()
    return ALIASES.get(n, n)


def parse_igt(text):
    """{address of the buffer: {"name", "engine", "starts": {address: name}}} from IGT's output."""
    bufs = {}
    cur = None
    for line in text.splitlines():
        m = SECTION.match(line)
        if m:
            addr = int(m.group(3).replace("_", ""), 16)
            cur = {"kind": m.group(1), "engine": m.group(2), "starts": {}}
            bufs[addr] = cur
            continue
        if cur is None:
            continue
        m = LINE.match(line)
        if not m:
            if not line.startswith("0x"):
                cur = None if not line.strip() or not line.startswith(" ") else cur
            continue
        if m.group(3) == " " and m.group(4) and not m.group(4).startswith(" "):
            cur["starts"][int(m.group(1), 16)] = m.group(4)
    return bufs


def run_igt(path, igt="intel_error_decode"):
    r = subprocess.run([igt, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"{igt} {path}: exit {r.returncode}: {r.stderr.decode(errors='replace')[:400]}")
    return parse_igt(r.stdout.decode(errors="replace"))


ENGINE_CLASS = {"render": "render", "rcs": "render", "bsd": "video", "vcs": "video",
                "blt": "copy", "bcs": "copy", "vebox": "video-enhance", "vecs": "video-enhance",
                "ccs": "compute", "compute": "compute"}


def engine_class(name):
    n = re.sub(r"\d+$", "", (name or "").lower())
    return ENGINE_CLASS.get(n, "any")


def walk(walker, ver, engine, data, base):
    with tempfile.NamedTemporaryFile(prefix="igt-compare-", suffix=".bin") as f:
        f.write(data)
        f.flush()
        out = subprocess.run([walker, ver, engine, f.name, "0x%x" % base], check=True,
                             stdout=subprocess.PIPE, timeout=600).stdout.decode()
    starts = {}
    for line in out.splitlines():
        a, _, name = line.split(" ", 2)
        starts[int(a, 16)] = None if name == "?" else name
    return starts


def compare_buffer(igt_starts, our_starts):
    """Counts over the range IGT decoded (its first to its last instruction start)."""
    if not igt_starts:
        return None
    lo, hi = min(igt_starts), max(igt_starts)
    ours = {a: n for a, n in our_starts.items() if lo <= a <= hi}
    common = [a for a in igt_starts if a in ours]
    names_equal = [a for a in common if normalise(igt_starts[a]) == normalise(ours[a])]
    mism = [(a, igt_starts[a], ours[a]) for a in common if a not in names_equal]
    return {
        "igt": len(igt_starts), "ours": len(ours), "common": len(common),
        "names_equal": len(names_equal), "mismatches": mism,
        "missing": sorted(a for a in igt_starts if a not in ours),
        "extra": sorted(a for a in ours if a not in igt_starts),
    }


def totals(results):
    t = {"igt": 0, "ours": 0, "common": 0, "names_equal": 0}
    for r in results:
        for k in t:
            t[k] += r[k]
    t["igt_found"] = t["common"] / t["igt"] if t["igt"] else 1.0
    t["ours_at_igt"] = t["common"] / t["ours"] if t["ours"] else 1.0
    t["names"] = t["names_equal"] / t["common"] if t["common"] else 1.0
    return t


def version_text(ver):
    """"5.0" from a report's graphics_version (a string or a number)."""
    if ver is None:
        return None
    if isinstance(ver, (int, float)):
        return "%.2f" % ver if isinstance(ver, float) else "%d.0" % ver
    return str(ver)
