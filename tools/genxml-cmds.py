#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate gpudump's per-generation command tables from Mesa's genxml descriptions.

    tools/genxml-cmds.py GENXML_DIR [OUT_DIR]

GENXML_DIR is Mesa's src/intel/genxml (gen40.xml ... gen300.xml; the older names gen4.xml,
gen45.xml ... gen12.xml are read too). OUT_DIR defaults to lib/libgpudump/commands. Writes one
cmds-<family>.c per generation family; cmds-gen2-3.c is hand-written and not touched.

What is read from each <instruction>: its name; the header fields of dword 0 that carry a default
(command type, sub-type, opcodes, pipeline: they form match and mask); the DWord Length field
(mask) and the bias (length = field + bias); a fixed length when there is no length field; the
engine attribute; and, for the commands that matter in a hang (batch-buffer control, waits,
flushes, register and memory writes, primitives, walkers, blits), every field's bit position.

genxml files import earlier generations (<import name=...> with <exclude>s) and override items
by name; the import is resolved here. Where genxml has no entry for a command a generation has
(genxml's gen4/5 files describe what Mesa emits, not every MI command), SUPPLEMENT below adds it
for the versions given; genxml wins where both name the same header.

The generated files are committed: the build does not need Mesa. Run again when Mesa's genxml
gains a generation, and commit the result.
"""
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

# genxml file -> graphics version (major * 100 + minor, as the model writes it: GM45 is 4.5 ->
# 405, Haswell 7.5 -> 705, DG2 12.55 -> 1255), and the version range each covers.
GENS = [
    # (stem, old stem, ver, max_ver)
    ("gen40", "gen4", 400, 404),
    ("gen45", "gen45", 405, 499),
    ("gen50", "gen5", 500, 599),
    ("gen60", "gen6", 600, 699),
    ("gen70", "gen7", 700, 704),
    ("gen75", "gen75", 705, 799),
    ("gen80", "gen8", 800, 899),
    ("gen90", "gen9", 900, 1099),   # gen10 (Cannon Lake) decodes with gen9's table
    ("gen110", "gen11", 1100, 1199),
    ("gen120", "gen12", 1200, 1249),
    ("gen125", "gen125", 1250, 1999),  # 12.50 .. 12.74: Xe-HP, Xe-HPG, Xe-HPC, Xe-LPG(+)
    ("gen200", "gen20", 2000, 2999),   # Xe2
    ("gen300", "gen30", 3000, 3999),   # Xe3
]

FAMILIES = [
    # (file stem, C symbol, family name, min_ver, max_ver)
    ("cmds-gen4-5", "gd_cmds_gen4_5", "gen4-5", 400, 599),
    ("cmds-gen6", "gd_cmds_gen6", "gen6", 600, 699),
    ("cmds-gen7", "gd_cmds_gen7", "gen7", 700, 799),
    ("cmds-gen8-9", "gd_cmds_gen8_9", "gen8-9", 800, 1099),
    ("cmds-gen11-12", "gd_cmds_gen11_12", "gen11-12", 1100, 1249),
    ("cmds-xehp", "gd_cmds_xehp", "xehp", 1250, 1999),
    ("cmds-xe2", "gd_cmds_xe2", "xe2", 2000, 2999),
    ("cmds-xe3", "gd_cmds_xe3", "xe3", 3000, 3999),
]

# Header fields of dword 0 that select the command (never flags such as "Arbitration Enable").
OPCODE_FIELD = re.compile(r"command type|subtype|opcode|^pipeline$|media command pipeline|"
                          r"^client$|instruction target|media instruction command|"
                          r"extended parameters present",
                          re.IGNORECASE)
LENGTH_FIELDS = ("DWord Length", "Length")

# Commands whose fields are listed in the tables (beyond their header).
HANG_NAMES = {
    "MI_BATCH_BUFFER_START", "MI_BATCH_BUFFER_END", "MI_CONDITIONAL_BATCH_BUFFER_END",
    "MI_SEMAPHORE_WAIT", "MI_SEMAPHORE_SIGNAL", "MI_SEMAPHORE_MBOX", "MI_WAIT_FOR_EVENT",
    "MI_WAIT_FOR_EVENT_2", "MI_LOAD_REGISTER_IMM", "MI_LOAD_REGISTER_MEM",
    "MI_LOAD_REGISTER_REG", "MI_STORE_REGISTER_MEM", "MI_STORE_DATA_IMM", "MI_STORE_DATA_INDEX",
    "MI_FLUSH_DW", "MI_FLUSH", "MI_ATOMIC", "MI_COPY_MEM_MEM", "MI_SET_CONTEXT", "MI_DISPLAY_FLIP",
    "MI_ARB_CHECK", "MI_ARB_ON_OFF", "MI_FORCE_WAKEUP", "MI_MEM_FENCE", "MI_USER_INTERRUPT",
    "PIPE_CONTROL", "3DPRIMITIVE", "3DPRIMITIVE_EXTENDED", "PIPELINE_SELECT",
    "STATE_BASE_ADDRESS", "MEDIA_STATE_FLUSH", "MEDIA_OBJECT", "MFX_WAIT", "VD_PIPELINE_FLUSH",
    "HCP_PIPE_MODE_SELECT", "MFX_PIPE_MODE_SELECT", "VDENC_PIPE_MODE_SELECT",
}


def hang_command(name):
    return (name in HANG_NAMES or name.startswith("XY_") or name.endswith("_WALKER")
            or name in ("MEM_COPY", "MEM_SET"))


# Length rules that differ from genxml, with why.
OVERRIDES = {
    # The kernel's gen12+ semaphore wait puts a wait token in the header's bits 9:5 (Xe-LP) and
    # 9:2 (Xe2), which leaves the length field 4:0 and 1:0 (i915/xe MI_SEMAPHORE_TOKEN_MASK);
    # genxml describes the 8-bit field with the token in dword 4.
    "MI_SEMAPHORE_WAIT": [(1200, 1999, 0x1f), (2000, 3999, 0x3)],
}

ALL = (200, 3999)
MI = lambda op: (op << 23, 0xff800000)
BLT = lambda op: ((2 << 29) | (op << 22), 0xffc00000)
GFX = lambda p, o, s: ((3 << 29) | (p << 27) | (o << 24) | (s << 16), 0xffff0000)

# Commands genxml does not describe for some generation, written from the public PRMs' command
# lists (and gpudump's earlier hand-written table). (name, (match, mask), len_mask, bias, fixed,
# engines, (min_ver, max_ver)[, nominal length]). len_mask 0 = fixed length.
SUPPLEMENT = [
    ("MI_NOOP", MI(0x00), 0, 0, 1, "", ALL),
    ("MI_SET_PREDICATE", MI(0x01), 0, 0, 1, "", (800, 3999)),
    ("MI_USER_INTERRUPT", MI(0x02), 0, 0, 1, "", ALL),
    ("MI_WAIT_FOR_EVENT", MI(0x03), 0, 0, 1, "", ALL),
    ("MI_FLUSH", MI(0x04), 0, 0, 1, "", (200, 599)),
    ("MI_ARB_CHECK", MI(0x05), 0, 0, 1, "", ALL),
    ("MI_RS_CONTROL", MI(0x06), 0, 0, 1, "", (705, 3999)),
    ("MI_REPORT_HEAD", MI(0x07), 0, 0, 1, "", ALL),
    ("MI_ARB_ON_OFF", MI(0x08), 0, 0, 1, "", (400, 3999)),
    ("MI_URB_ATOMIC_ALLOC", MI(0x09), 0, 0, 1, "", (700, 899)),
    ("MI_BATCH_BUFFER_END", MI(0x0a), 0, 0, 1, "", ALL),
    ("MI_SUSPEND_FLUSH", MI(0x0b), 0, 0, 1, "", ALL),
    ("MI_PREDICATE", MI(0x0c), 0, 0, 1, "", (700, 3999)),
    ("MI_TOPOLOGY_FILTER", MI(0x0d), 0, 0, 1, "", (700, 3999)),
    ("MI_SET_APPID", MI(0x0e), 0, 0, 1, "", (700, 3999)),
    ("MI_RS_CONTEXT", MI(0x0f), 0, 0, 1, "", (705, 3999)),
    ("MI_OVERLAY_FLIP", MI(0x11), 0x3f, 2, 0, "", (200, 1199)),
    ("MI_LOAD_SCAN_LINES_INCL", MI(0x12), 0x3f, 2, 0, "", (200, 3999)),
    ("MI_LOAD_SCAN_LINES_EXCL", MI(0x13), 0x3f, 2, 0, "", (200, 3999)),
    ("MI_DISPLAY_FLIP", MI(0x14), 0xff, 2, 0, "", (200, 3999)),
    ("MI_SEMAPHORE_MBOX", MI(0x16), 0xff, 2, 0, "", (600, 799)),
    ("MI_SET_CONTEXT", MI(0x18), 0xff, 2, 0, "", (400, 3999), 2),
    ("MI_URB_CLEAR", MI(0x19), 0xff, 2, 0, "", (600, 899)),
    ("MI_MATH", MI(0x1a), 0xff, 2, 0, "", (705, 3999)),
    ("MI_SEMAPHORE_SIGNAL", MI(0x1b), 0xff, 2, 0, "", (800, 3999)),
    ("MI_SEMAPHORE_WAIT", MI(0x1c), 0xff, 2, 0, "", (800, 3999)),
    ("MI_FORCE_WAKEUP", MI(0x1d), 0xff, 2, 0, "", (900, 3999)),
    ("MI_STORE_DATA_IMM", MI(0x20), 0x3f, 2, 0, "", (200, 799)),
    ("MI_STORE_DATA_IMM", MI(0x20), 0x3ff, 2, 0, "", (800, 3999)),
    ("MI_STORE_DATA_INDEX", MI(0x21), 0xff, 2, 0, "", ALL),
    ("MI_LOAD_REGISTER_IMM", MI(0x22), 0xff, 2, 0, "", ALL),
    ("MI_UPDATE_GTT", MI(0x23), 0x3ff, 2, 0, "", (600, 3999)),
    ("MI_STORE_REGISTER_MEM", MI(0x24), 0xff, 2, 0, "", ALL),
    ("MI_FLUSH_DW", MI(0x26), 0x3f, 2, 0, "", (600, 3999)),
    ("MI_CLFLUSH", MI(0x27), 0x3ff, 2, 0, "", (600, 3999)),
    ("MI_REPORT_PERF_COUNT", MI(0x28), 0x3f, 2, 0, "", (600, 3999)),
    ("MI_LOAD_REGISTER_MEM", MI(0x29), 0xff, 2, 0, "", (700, 3999)),
    ("MI_LOAD_REGISTER_REG", MI(0x2a), 0xff, 2, 0, "", (705, 3999)),
    ("MI_RS_STORE_DATA_IMM", MI(0x2b), 0xff, 2, 0, "", (705, 3999)),
    ("MI_LOAD_URB_MEM", MI(0x2c), 0xff, 2, 0, "", (705, 3999)),
    ("MI_STORE_URB_MEM", MI(0x2d), 0xff, 2, 0, "", (705, 3999)),
    ("MI_COPY_MEM_MEM", MI(0x2e), 0xff, 2, 0, "", (800, 3999)),
    ("MI_ATOMIC", MI(0x2f), 0xff, 2, 0, "", (800, 3999)),
    # bits 7:6 select the address space before gen6 (the kernel's MI_BATCH_GTT is 2 << 6)
    ("MI_BATCH_BUFFER_START", MI(0x31), 0x3f, 2, 0, "", (200, 599)),
    ("MI_BATCH_BUFFER_START", MI(0x31), 0xff, 2, 0, "", (600, 3999)),
    ("MI_CONDITIONAL_BATCH_BUFFER_END", MI(0x36), 0xff, 2, 0, "", (600, 3999)),
    # 2D engine (render ring on gen2-5, blitter ring from gen6); the XY_ set to Xe-LP.
    ("XY_SETUP_BLT", BLT(0x01), 0xff, 2, 0, "", (200, 1249)),
    ("XY_SETUP_CLIP_BLT", BLT(0x03), 0xff, 2, 0, "", (200, 1249)),
    ("XY_SETUP_MONO_PATTERN_SL_BLT", BLT(0x11), 0xff, 2, 0, "", (200, 1249)),
    ("XY_PIXEL_BLT", BLT(0x24), 0xff, 2, 0, "", (200, 1249)),
    ("XY_SCANLINES_BLT", BLT(0x25), 0xff, 2, 0, "", (200, 1249)),
    ("XY_TEXT_BLT", BLT(0x26), 0xff, 2, 0, "", (200, 1249)),
    ("XY_TEXT_IMMEDIATE_BLT", BLT(0x31), 0xff, 2, 0, "", (200, 1249)),
    ("COLOR_BLT", BLT(0x40), 0xff, 2, 0, "", (200, 899)),
    ("XY_FAST_COPY_BLT", BLT(0x42), 0xff, 2, 0, "", (900, 3999)),
    ("SRC_COPY_BLT", BLT(0x43), 0xff, 2, 0, "", (200, 899)),
    ("XY_CTRL_SURF_COPY_BLT", BLT(0x48), 0xff, 2, 0, "", (1200, 3999)),
    ("XY_COLOR_BLT", BLT(0x50), 0xff, 2, 0, "", (200, 1249)),
    ("XY_PAT_BLT", BLT(0x51), 0xff, 2, 0, "", (200, 1249)),
    ("XY_MONO_PAT_BLT", BLT(0x52), 0xff, 2, 0, "", (200, 1249)),
    ("XY_SRC_COPY_BLT", BLT(0x53), 0xff, 2, 0, "", (200, 1249)),
    ("XY_MONO_SRC_COPY_BLT", BLT(0x54), 0xff, 2, 0, "", (200, 1249)),
    ("XY_FULL_BLT", BLT(0x55), 0xff, 2, 0, "", (200, 1249)),
    ("XY_FULL_MONO_SRC_BLT", BLT(0x56), 0xff, 2, 0, "", (200, 1249)),
    ("XY_FULL_MONO_PATTERN_BLT", BLT(0x57), 0xff, 2, 0, "", (200, 1249)),
    ("XY_FULL_MONO_PATTERN_MONO_SRC_BLT", BLT(0x58), 0xff, 2, 0, "", (200, 1249)),
    ("XY_MONO_PAT_FIXED_BLT", BLT(0x59), 0xff, 2, 0, "", (200, 1249)),
    ("MEM_COPY", BLT(0x5a), 0xff, 2, 0, "", (1250, 3999)),
    ("MEM_SET", BLT(0x5b), 0xff, 2, 0, "", (1250, 3999)),
    ("XY_MONO_SRC_COPY_IMMEDIATE_BLT", BLT(0x71), 0xff, 2, 0, "", (200, 1249)),
    ("XY_PAT_BLT_IMMEDIATE", BLT(0x72), 0xff, 2, 0, "", (200, 1249)),
    ("XY_SRC_COPY_CHROMA_BLT", BLT(0x73), 0xff, 2, 0, "", (200, 1249)),
    ("XY_FULL_IMMEDIATE_PATTERN_BLT", BLT(0x74), 0xff, 2, 0, "", (200, 1249)),
    ("XY_FULL_MONO_SRC_IMMEDIATE_PATTERN_BLT", BLT(0x75), 0xff, 2, 0, "", (200, 1249)),
    ("XY_PAT_CHROMA_BLT", BLT(0x76), 0xff, 2, 0, "", (200, 1249)),
    ("XY_PAT_CHROMA_BLT_IMMEDIATE", BLT(0x77), 0xff, 2, 0, "", (200, 1249)),
    # gen4/5 media and 3D state that Mesa's gen4/5 files leave out.
    ("MEDIA_STATE_POINTERS", GFX(2, 0, 0x00), 0xff, 2, 0, "render", (400, 599)),
    ("MEDIA_OBJECT", GFX(2, 1, 0x00), 0xff, 2, 0, "render", (400, 599)),
    ("3DSTATE_CHROMA_KEY", GFX(3, 1, 0x04), 0xff, 2, 0, "render", (400, 599)),
    ("3DSTATE_AA_LINE_PARAMETERS", GFX(3, 1, 0x0a), 0xff, 2, 0, "render", (400, 404)),
    ("3DSTATE_DEPTH_BUFFER", GFX(3, 1, 0x05), 0xff, 2, 0, "render", (400, 599)),
    # G45 and Ironlake BSD ring (AVC decoding): genxml has no video commands before gen6. The
    # commands as the public intel-vaapi-driver's i965_defines.h gives them.
    ("AVC_BSD_IMG_STATE", GFX(2, 4, 0x00), 0xff, 2, 0, "video", (405, 599)),
    ("AVC_BSD_QM_STATE", GFX(2, 4, 0x01), 0xff, 2, 0, "video", (405, 599)),
    ("AVC_BSD_SLICE_STATE", GFX(2, 4, 0x02), 0xff, 2, 0, "video", (405, 599)),
    ("AVC_BSD_BUF_BASE_STATE", GFX(2, 4, 0x03), 0xff, 2, 0, "video", (405, 599)),
    ("BSD_IND_OBJ_BASE_ADDR", GFX(2, 4, 0x04), 0xff, 2, 0, "video", (405, 599)),
    ("AVC_BSD_OBJECT", GFX(2, 4, 0x08), 0xff, 2, 0, "video", (405, 599)),
    # Video enhancement (VEBOX, Haswell on): genxml has none of its commands.
    ("VEBOX_SURFACE_STATE", GFX(2, 4, 0x00), 0xfff, 2, 0, "vebox", (705, 3999)),
    ("VEBOX_STATE", GFX(2, 4, 0x02), 0xfff, 2, 0, "vebox", (705, 3999)),
    ("VEB_DI_IECP", GFX(2, 4, 0x03), 0xfff, 2, 0, "vebox", (705, 3999)),
    # Xe-LP and later common state Mesa only partly describes.
    ("STATE_COMPUTE_MODE", GFX(0, 1, 0x05), 0xff, 2, 0, "render|compute", (1200, 3999)),
]

ENGINE_BITS = {"render": "GD_CMD_E_R", "compute": "GD_CMD_E_C", "blitter": "GD_CMD_E_B",
               "video": "GD_CMD_E_V | GD_CMD_E_VE", "vebox": "GD_CMD_E_VE"}


def engines_c(attr):
    if not attr:
        return "0"
    parts = []
    for e in attr.split("|"):
        parts.append(ENGINE_BITS[e])
    return " | ".join(parts)


def find_file(d, stem, old):
    for s in (stem, old):
        p = os.path.join(d, s + ".xml")
        if os.path.exists(p):
            return p
    return None


def load(d, fname, cache):
    """Instructions and structs of a genxml file with its imports resolved: two dicts
    name -> element, in order."""
    if fname in cache:
        return cache[fname]
    root = ET.parse(os.path.join(d, fname)).getroot()
    items = collections.OrderedDict()
    structs = {}
    for imp in root.findall("import"):
        excl = {e.get("name") for e in imp.findall("exclude")}
        ii, ss = load(d, imp.get("name"), cache)
        for name, el in ii.items():
            if name not in excl:
                items[name] = el
        for name, el in ss.items():
            if name not in excl:
                structs[name] = el
    for el in root.findall("instruction"):
        items[el.get("name")] = el
    for el in root.findall("struct"):
        structs[el.get("name")] = el
    cache[fname] = (items, structs)
    return items, structs


def struct_fields(el, base, prefix, structs, depth):
    """The fields of a struct placed at bit base of a command, nested structs inlined (their
    names prefixed with the field's), groups left out."""
    out = []
    for f in el.findall("field"):
        fname = f.get("name")
        if fname is None:
            continue
        fs, fe = base + int(f.get("start")), base + int(f.get("end"))
        t = f.get("type", "uint")
        name = prefix + snake(fname)
        if t in structs and depth < 3:
            out += struct_fields(structs[t], fs, name + "_", structs, depth + 1)
            continue
        if fe - fs >= 64:
            continue
        out.append((name, fs, fe, field_kind(t)))
    return out


def snake(name):
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return s


def field_kind(t):
    if t == "bool":
        return "GD_CMD_F_BOOL"
    if t in ("address", "offset"):
        return "GD_CMD_F_ADDR"
    if not re.match(r"^(uint|int|u\d|s\d|ufixed|sfixed|float|mbo|mbz)", t):
        return "GD_CMD_F_HEX"
    return "GD_CMD_F_UINT"


def mask_bits(start, end):
    return ((1 << (end + 1)) - 1) ^ ((1 << start) - 1)


def describe(el, structs):
    """The def of one instruction element, versions left out."""
    name = el.get("name")
    match = mask = 0
    len_mask = 0
    fields = []
    for f in el.findall("field"):
        fs, fe = int(f.get("start")), int(f.get("end"))
        fname = f.get("name")
        if fname is None:
            continue
        if fe < 32 and fname in LENGTH_FIELDS:
            len_mask = mask_bits(fs, fe)
            continue
        if fe < 32 and f.get("default") is not None and OPCODE_FIELD.search(fname):
            match |= int(f.get("default"), 0) << fs
            mask |= mask_bits(fs, fe)
            continue
        t = f.get("type", "uint")
        if t in structs and fs >= 32:
            # a body ("COMPUTE_WALKER_BODY", "POSTSYNC_DATA"): its fields, at their place
            prefix = "" if snake(fname) == "body" else snake(fname) + "_"
            fields += struct_fields(structs[t], fs, prefix, structs, 1)
            continue
        if fe - fs >= 64:
            continue
        fields.append((snake(fname), fs, fe, field_kind(t)))
    if (mask & 0xe0000000) != 0xe0000000:
        raise SystemExit(f"{name}: header mask 0x{mask:08x} does not cover the command type")
    length = int(el.get("length")) if el.get("length") else 0
    bias = int(el.get("bias", "2"))
    fixed = 0 if len_mask else (length or 1)
    if not len_mask:
        bias = 0
    if not hang_command(name):
        fields = []
    # one name per field (the report's fields are a JSON object): later namesakes get _2, _3
    seen = {}
    named = []
    for (fn, fs, fe, fk) in fields:
        seen[fn] = seen.get(fn, 0) + 1
        named.append((fn if seen[fn] == 1 else "%s_%d" % (fn, seen[fn]), fs, fe, fk))
    fields = named
    return dict(name=name, match=match, mask=mask, len_mask=len_mask, bias=bias, fixed=fixed,
                engines=engines_c(el.get("engine")), fields=tuple(fields), nominal=length)


def widen(d):
    """The lookup bisects on bits 31:24: a def whose mask leaves some of them open (Xe2's
    RESOURCE_BARRIER has a predicate bit at 24) becomes one def per value of those bits."""
    free = [b for b in range(24, 32) if not (d["mask"] >> b) & 1]
    out = []
    for v in range(1 << len(free)):
        m = d["match"]
        for i, b in enumerate(free):
            if (v >> i) & 1:
                m |= 1 << b
        out.append(dict(d, match=m, mask=d["mask"] | 0xff000000))
    return out


def supplement_defs(ver, have):
    out = []
    for entry in SUPPLEMENT:
        (name, (match, mask), len_mask, bias, fixed, eng, (lo, hi)) = entry[:7]
        nominal = entry[7] if len(entry) > 7 else fixed
        if not (lo <= ver <= hi):
            continue
        if name in have or any((m & mask) == match for m in have.values()):
            continue
        out.append(dict(name=name, match=match, mask=mask, len_mask=len_mask, bias=bias,
                        fixed=fixed, engines=engines_c(eng), fields=(), nominal=nominal))
    return out


def apply_overrides(d, lo, hi):
    """Split d by the override ranges; returns [(def, lo, hi)]."""
    rules = OVERRIDES.get(d["name"])
    if not rules:
        return [(d, lo, hi)]
    out = []
    cur = lo
    for (olo, ohi, lm) in sorted(rules):
        a, b = max(lo, olo), min(hi, ohi)
        if a > b:
            continue
        if cur < a:
            out.append((d, cur, a - 1))
        out.append((dict(d, len_mask=lm), a, b))
        cur = b + 1
    if cur <= hi:
        out.append((d, cur, hi))
    return out


def hooks(header):
    with open(header) as f:
        return set(re.findall(r"GD_HOOK_(\w+),", f.read()))


def key(d):
    return (d["name"], d["match"], d["mask"], d["len_mask"], d["bias"], d["fixed"], d["engines"],
            d["fields"], d["nominal"])


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(gdir, outdir):
    cache = {}
    per_ver = []  # (ver, max_ver, [defs], source file)
    for stem, old, ver, max_ver in GENS:
        p = find_file(gdir, stem, old)
        if not p:
            print(f"genxml-cmds: no {stem}.xml in {gdir}, skipped", file=sys.stderr)
            continue
        items, structs = load(gdir, os.path.basename(p), cache)
        defs = [w for el in items.values() for w in widen(describe(el, structs))]
        for d in defs:
            # MI commands mean the same on every engine; genxml's engine marks on them say
            # where Mesa emits them (MI_FLUSH_DW "video" on gen6-9, where the kernel's blitter
            # flushes with it too)
            if d["match"] >> 29 == 0:
                d["engines"] = "0"
        if ver < 600:
            # gen4/5 run everything on the render ring (genxml's engine marks there say where
            # Mesa emits a command, not where the hardware takes it)
            for d in defs:
                d["engines"] = "0"
        have = {d["name"]: d["match"] for d in defs}
        defs += supplement_defs(ver, have)
        per_ver.append((ver, max_ver, defs, os.path.basename(p)))

    hook_names = hooks(os.path.join(outdir, "cmds.h"))
    for stem, sym, family, fmin, fmax in FAMILIES:
        vers = [v for v in per_ver if fmin <= v[0] <= fmax]
        if not vers:
            continue
        # merge identical defs of consecutive versions into one [min, max] range
        ranges = collections.OrderedDict()  # key -> [lo, hi, def]
        for ver, max_ver, defs, _ in vers:
            for d in defs:
                for dd, lo, hi in apply_overrides(d, ver, max_ver):
                    k = key(dd) + (lo,)
                    prev = None
                    for kk, r in ranges.items():
                        if kk[:-1] == key(dd) and r[1] + 1 == lo:
                            prev = r
                            break
                    if prev:
                        prev[1] = hi
                    else:
                        ranges[k] = [lo, hi, dd]
        entries = [(r[2], r[0], r[1]) for r in ranges.values()]

        def engine_rank(e):
            s = e[0]["engines"]
            if s == "0" or "GD_CMD_E_R" in s:
                return 0
            return 1
        # within a top byte: the most specific mask first (3DPRIMITIVE_EXTENDED before
        # 3DPRIMITIVE), then by header, engine, newest version
        entries.sort(key=lambda e: (e[0]["match"] >> 24, -bin(e[0]["mask"]).count("1"),
                                    e[0]["match"], engine_rank(e), -e[2]))

        sources = ", ".join(v[3] for v in vers)
        lines = []
        lines.append("/* SPDX-License-Identifier: MIT */")
        lines.append("/*")
        lines.append(f" * GENERATED by tools/genxml-cmds.py: do not edit. Command table of the {family}")
        lines.append(f" * family (graphics versions {fmin // 100}.{fmin % 100:02d} to "
                     f"{fmax // 100}.{fmax % 100:02d}).")
        lines.append(f" * Source: Mesa's src/intel/genxml/ {sources} (MIT-licensed hardware")
        lines.append(" * descriptions), with the supplement and overrides listed in the generator.")
        lines.append(" */")
        lines.append('#include "cmds.h"')
        lines.append("")
        for i, (d, lo, hi) in enumerate(entries):
            if d["fields"]:
                lines.append(f"static const struct gd_cmd_field f{i}[] = {{")
                for (fn, fs, fe, fk) in d["fields"]:
                    lines.append(f"        {{ {c_str(fn)}, {fs}, {fe}, {fk} }},")
                lines.append("};")
        lines.append("")
        lines.append("static const struct gd_cmd_def defs[] = {")
        for i, (d, lo, hi) in enumerate(entries):
            hook = "GD_HOOK_" + d["name"] if d["name"] in hook_names else "GD_HOOK_NONE"
            if d["fields"]:
                fl = f"f{i}, {len(d['fields'])}"
            else:
                fl = "NULL, 0"
            lines.append(f"        {{ 0x{d['match']:08x}, 0x{d['mask']:08x}, {c_str(d['name'])}, "
                         f"0x{d['len_mask']:x}, {d['bias']}, {d['fixed']}, {d['engines']}, {hook}, "
                         f"{lo}, {hi}, {fl}, {d['nominal']} }},")
        lines.append("};")
        lines.append("")
        lines.append(f"const struct gd_cmd_table {sym} = {{")
        lines.append(f"        {c_str(family)}, {c_str('Mesa genxml ' + sources)}, {fmin}, {fmax},")
        lines.append("        defs, sizeof(defs) / sizeof(defs[0]),")
        lines.append("};")
        path = os.path.join(outdir, stem + ".c")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{path}: {len(entries)} commands from {sources}")


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "lib", "libgpudump",
                                                             "commands")
    generate(sys.argv[1], out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
