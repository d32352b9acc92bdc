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
import json
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
    # the pre-gen4 PRM name of MI opcode 0x14
    "MI_DISPLAY_BUFFER_INFO": "MI_DISPLAY_FLIP",
    # IGT's shorter and longer spellings of the same commands
    "3DSTATE_SCISSOR_POINTERS": "3DSTATE_SCISSOR_STATE_POINTERS",
    "3DSTATE_CONSTANT_VS_STATE": "3DSTATE_CONSTANT_VS",
    "3DSTATE_CONSTANT_GS_STATE": "3DSTATE_CONSTANT_GS",
    "3DSTATE_CONSTANT_PS_STATE": "3DSTATE_CONSTANT_PS",
    # a typo in IGT's table
    "Y_TEXT_BLT": "XY_TEXT_BLT",
}

# Where IGT decodes a command wrongly: kept out of the generated batches (gen-fixtures.py), as
# a wrong length puts IGT off the instruction boundaries for the rest of the buffer.
# name -> (graphics versions, why)
IGT_WRONG = {
    "3DPRIMITIVE": ([800, 900, 1100, 1200], "IGT takes 6 dwords on gen8+ whatever the DWord "
                    "Length says; the command has 7 (genxml, the kernel's and Mesa's emitters)"),
    "GPGPU_CSR_BASE_ADDRESS": ([705, 800, 900, 1100, 1200], "IGT reads it as one dword; it has "
                               "a DWord Length (2 dwords on gen7.5, 3 from gen8)"),
    "MI_SET_CONTEXT": ([400, 405, 500], "IGT takes 2 dwords whatever the DWord Length says"),
    "3DSTATE_DEPTH_BUFFER": ([800, 900, 1100, 1200], "IGT names 0x7805 by gen6 (3DSTATE_URB) on "
                             "gen8+"),
    "3DSTATE_MULTISAMPLE": ([800, 900, 1100, 1200], "IGT names 0x780d by gen6 "
                            "(3DSTATE_VIEWPORT_STATE_POINTERS) on gen8+"),
    "MI_WAIT_FOR_EVENT_2": ([1100, 1200], "IGT names opcode 0x04 MI_FLUSH, which gen8 removed and "
                            "gen11 reused for MI_WAIT_FOR_EVENT_2"),
    "3DSTATE_PRIMITIVE_EXTENDED": ([1100, 1200], "IGT has no entry: reads it as 3DPRIMITIVE"),
    "3DPRIMITIVE_EXTENDED": ([1100, 1200], "IGT has no entry: reads it as 3DPRIMITIVE, 6 dwords"),
}

# Commands IGT's decoder has no entry for at these graphics versions: it prints UNKNOWN and
# steps one dword, so they are kept out of the generated batches too. Written by
# tests/formats/igt-probe.py against Debian 12's intel-gpu-tools 1.27 (run it again when IGT or
# the tables change).
IGT_UNKNOWN = {
    '3DSTATE_3D_MODE': [1100, 1200],
    '3DSTATE_BINDING_TABLE_EDIT_DS': [705, 800, 900, 1100, 1200],
    '3DSTATE_BINDING_TABLE_EDIT_GS': [705, 800, 900, 1100, 1200],
    '3DSTATE_BINDING_TABLE_EDIT_HS': [705, 800, 900, 1100, 1200],
    '3DSTATE_BINDING_TABLE_EDIT_PS': [705, 800, 900, 1100, 1200],
    '3DSTATE_BINDING_TABLE_EDIT_VS': [705, 800, 900, 1100, 1200],
    '3DSTATE_BINDING_TABLE_POOL_ALLOC': [705, 800, 900, 1100, 1200],
    '3DSTATE_BLEND_STATE_POINTERS': [800, 900, 1100, 1200],
    '3DSTATE_CC_STATE_POINTERS': [800, 900, 1100, 1200],
    '3DSTATE_CHROMA_KEY': [400, 405, 500, 600, 700, 705, 800, 900, 1100, 1200],
    '3DSTATE_CONSTANT_ALL': [1200],
    '3DSTATE_CONSTANT_DS': [800, 900, 1100, 1200],
    '3DSTATE_CONSTANT_GS': [800, 900, 1100, 1200],
    '3DSTATE_CONSTANT_HS': [800, 900, 1100, 1200],
    '3DSTATE_CONSTANT_PS': [800, 900, 1100, 1200],
    '3DSTATE_CONSTANT_VS': [800, 900, 1100, 1200],
    '3DSTATE_CPS': [1100],
    '3DSTATE_CPS_POINTERS': [1200],
    '3DSTATE_DEPTH_BOUNDS': [1200],
    '3DSTATE_GATHER_CONSTANT_DS': [705, 800, 900, 1100, 1200],
    '3DSTATE_GATHER_CONSTANT_GS': [705, 800, 900, 1100, 1200],
    '3DSTATE_GATHER_CONSTANT_HS': [705, 800, 900, 1100, 1200],
    '3DSTATE_GATHER_CONSTANT_PS': [705, 800, 900, 1100, 1200],
    '3DSTATE_GATHER_CONSTANT_VS': [705, 800, 900, 1100, 1200],
    '3DSTATE_GATHER_POOL_ALLOC': [705, 800, 900, 1100, 1200],
    '3DSTATE_HIER_DEPTH_BUFFER': [500, 800, 900, 1100, 1200],
    '3DSTATE_MAP_COORD_TRANSFORM': [300],
    '3DSTATE_MAP_VERTEX_TRANSFORM': [300],
    '3DSTATE_MONOFILTER_SIZE': [600, 700, 705, 800, 900, 1100, 1200],
    '3DSTATE_PRIMITIVE_REPLICATION': [1200],
    '3DSTATE_PS_BLEND': [800, 900, 1100, 1200],
    '3DSTATE_PS_EXTRA': [800, 900, 1100, 1200],
    '3DSTATE_RASTER': [800, 900, 1100, 1200],
    '3DSTATE_RAST_MULTISAMPLE': [705],
    '3DSTATE_RS_CONSTANT_POINTER': [900, 1100, 1200],
    '3DSTATE_SAMPLER_PALETTE_LOAD0': [600, 700, 705, 800, 900, 1100, 1200],
    '3DSTATE_SAMPLER_PALETTE_LOAD1': [600, 700, 705, 800, 900, 1100, 1200],
    '3DSTATE_SAMPLE_PATTERN': [800, 900, 1100, 1200],
    '3DSTATE_SBE_SWIZ': [800, 900, 1100, 1200],
    '3DSTATE_SLICE_TABLE_STATE_POINTERS': [1100, 1200],
    '3DSTATE_SO_BUFFER_INDEX_0': [1200],
    '3DSTATE_SO_BUFFER_INDEX_1': [1200],
    '3DSTATE_SO_BUFFER_INDEX_2': [1200],
    '3DSTATE_SO_BUFFER_INDEX_3': [1200],
    '3DSTATE_STENCIL_BUFFER': [500, 600],
    '3DSTATE_SUBSLICE_HASH_TABLE': [1200],
    '3DSTATE_URB_ALLOC_DS': [1200],
    '3DSTATE_URB_ALLOC_GS': [1200],
    '3DSTATE_URB_ALLOC_HS': [1200],
    '3DSTATE_URB_ALLOC_VS': [1200],
    '3DSTATE_URB_CLEAR': [900, 1100, 1200],
    '3DSTATE_URB_DS': [800, 900, 1100, 1200],
    '3DSTATE_URB_GS': [800, 900, 1100, 1200],
    '3DSTATE_URB_HS': [800, 900, 1100, 1200],
    '3DSTATE_URB_VS': [800, 900, 1100, 1200],
    '3DSTATE_VF': [705, 800, 900, 1100, 1200],
    '3DSTATE_VF_COMPONENT_PACKING': [900, 1100, 1200],
    '3DSTATE_VF_INSTANCING': [800, 900, 1100, 1200],
    '3DSTATE_VF_SGVS': [800, 900, 1100, 1200],
    '3DSTATE_VF_SGVS_2': [1100, 1200],
    '3DSTATE_VF_TOPOLOGY': [800, 900, 1100, 1200],
    '3DSTATE_VIEWPORT_STATE_POINTERS_CC': [800, 900, 1100, 1200],
    '3DSTATE_VIEWPORT_STATE_POINTERS_SF_CLIP': [800, 900, 1100, 1200],
    '3DSTATE_WM': [800, 900, 1100, 1200],
    '3DSTATE_WM_CHROMAKEY': [800, 900, 1100, 1200],
    '3DSTATE_WM_DEPTH_STENCIL': [800, 900, 1100, 1200],
    '3DSTATE_WM_HZ_OP': [800, 900, 1100, 1200],
    '3DSTATE_W_STATE': [300],
    'GPGPU_OBJECT': [700, 705],
    'GPGPU_WALKER': [700, 705, 800, 900, 1100, 1200],
    'MEDIA_CURBE_LOAD': [600, 700, 705, 800, 900, 1100, 1200],
    'MEDIA_GATEWAY_STATE': [600],
    'MEDIA_INTERFACE_DESCRIPTOR_LOAD': [600, 700, 705, 800, 900, 1100, 1200],
    'MEDIA_OBJECT': [400, 405, 500, 600, 700, 705, 800, 900, 1100, 1200],
    'MEDIA_OBJECT_GRPID': [800, 900, 1100, 1200],
    'MEDIA_OBJECT_PRT': [600, 700, 705, 800, 900, 1100, 1200],
    'MEDIA_OBJECT_WALKER': [600, 700, 705, 800, 900, 1100, 1200],
    'MEDIA_STATE_FLUSH': [600, 700, 705, 800, 900, 1100, 1200],
    'MEDIA_STATE_POINTERS': [400, 405, 500],
    'MEDIA_VFE_STATE': [600, 700, 705, 800, 900, 1100, 1200],
    'MI_ARB_CHECK': [200, 300, 400, 405, 500, 600, 700, 705, 800, 900, 1100, 1200],
    'MI_ATOMIC': [800, 900, 1100, 1200],
    'MI_CLFLUSH': [600, 700, 705, 800, 900, 1100, 1200],
    'MI_CONDITIONAL_BATCH_BUFFER_END': [600, 700, 705, 800, 900, 1100, 1200],
    'MI_COPY_MEM_MEM': [800, 900, 1100, 1200],
    'MI_FORCE_WAKEUP': [900, 1100, 1200],
    'MI_LOAD_REGISTER_REG': [705, 800, 900, 1100, 1200],
    'MI_LOAD_URB_MEM': [705, 800, 900, 1100, 1200],
    'MI_MATH': [705, 800, 900, 1100, 1200],
    'MI_PREDICATE': [700, 705, 800, 900, 1100, 1200],
    'MI_RS_CONTEXT': [705, 800, 900, 1100, 1200],
    'MI_RS_CONTROL': [705, 800, 900, 1100, 1200],
    'MI_RS_STORE_DATA_IMM': [705, 800, 900, 1100, 1200],
    'MI_SEMAPHORE_SIGNAL': [800, 900, 1100, 1200],
    'MI_SEMAPHORE_WAIT': [800, 900, 1100, 1200],
    'MI_SET_APPID': [700, 705, 800, 900, 1100, 1200],
    'MI_SET_CONTEXT': [800, 900, 1100, 1200],
    'MI_SET_PREDICATE': [705, 800, 900, 1100, 1200],
    'MI_STORE_URB_MEM': [705, 800, 900, 1100, 1200],
    'MI_TOPOLOGY_FILTER': [700, 705, 800, 900, 1100, 1200],
    'MI_UPDATE_GTT': [600, 700, 705, 800, 900, 1100, 1200],
    'MI_URB_ATOMIC_ALLOC': [700, 705, 800, 900],
    'MI_URB_CLEAR': [600, 700, 705, 800],
    'STATE_COMPUTE_MODE': [1200],
    'STATE_PREFETCH': [600, 700, 705, 800, 900],
    'SWTESS_BASE_ADDRESS': [700, 705, 800],
    'XY_BLOCK_COPY_BLT': [1200],
    'XY_CTRL_SURF_COPY_BLT': [1200],
    'XY_FAST_COLOR_BLT': [1200],
    'XY_FAST_COPY_BLT': [900, 1100, 1200],
    'XY_FULL_IMMEDIATE_PATTERN_BLT': [200, 300, 400, 405, 500, 600, 700, 705, 800, 900, 1100, 1200],
    'XY_SRC_COPY_CHROMA_BLT': [200, 300, 400, 405, 500, 600, 700, 705, 800, 900, 1100, 1200],
}


def normalise(name):
    """Upper-case command name without IGT's trailing details (": qword write", " (rgb ...)")
    and its "_I830" suffix on gen2 state."""
    if name is None:
        return None
    n = re.split(r"[:( ,]", name.strip(), maxsplit=1)[0].upper()
    if n.endswith("_I830") and n not in ("3DSTATE_MAP_COORD_SET_I830", "3DSTATE_MAP_CUBE_I830",
                                         "3DSTATE_MAP_TEX_STREAM_I830"):
        n = n[:-len("_I830")]
    return ALIASES.get(n, n)


def igt_excluded(name, ver):
    """Why IGT cannot be held to this command at version ver (None: it can)."""
    if name in IGT_WRONG and ver in IGT_WRONG[name][0]:
        return IGT_WRONG[name][1]
    if ver in IGT_UNKNOWN.get(name, ()):
        return "IGT has no entry for it"
    return None


def parse_igt(text):
    """{address of the buffer: {"name", "engine", "starts": {address: name}}} from IGT's output."""
    bufs = {}
    cur = None
    for line in text.splitlines():
        m = SECTION.match(line)
        if m:
            addr = int(m.group(3).replace("_", ""), 16)
            cur = {"kind": m.group(1), "engine": m.group(2), "starts": {}, "base": addr}
            bufs[addr] = cur
            continue
        if cur is None:
            continue
        m = LINE.match(line)
        if not m:
            continue  # IGT's remarks ("Bad count in ...") and what follows the buffers
        if m.group(3) == " " and m.group(4) and not m.group(4).startswith(" "):
            # IGT prints the low 32 bits of each address; the buffer's header has them all
            low = int(m.group(1), 16)
            a = (cur["base"] & ~0xffffffff) | low
            if a < cur["base"]:
                a += 1 << 32
            cur["starts"][a] = m.group(4)
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


def disasm(gpudump, path, address):
    """{address: name} of the buffer at address as `gpudump disasm --vma` lists it (the dump's own
    graphics version and engine; the listing stops where the buffer's control flow does)."""
    out = subprocess.run([gpudump, "disasm", path, "--vma", address, "--json=short"], check=True,
                         stdout=subprocess.PIPE, timeout=600).stdout
    want = int(address, 16)
    for b in json.loads(out)["buffers"]:
        if int(b["address"], 16) == want:
            return {int(i["address"], 16): (None if i["unknown"] else i["name"]) for i in b["instructions"]}
    return {}


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
