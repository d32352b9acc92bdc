# SPDX-License-Identifier: MIT
"""The command tables of lib/libgpudump/commands/cmds-*.c, read back for test generators.

Each def line of those files is
    { match, mask, "NAME", len_mask, bias, fixed, engines, hook, min_ver, max_ver, fields, n, nominal },
(cmds.h). The generators build command streams from the same data the decoder uses, so the
differential test against IGT covers every command of the tables.
"""
import glob
import os
import re

DEF = re.compile(r'^\s+\{ 0x([0-9a-f]+), 0x([0-9a-f]+), "([^"]+)", 0x([0-9a-f]+), (\d+), (\d+), '
                 r'([^,]+), (GD_HOOK_\w+), (\d+), (\d+), (\w+), (\d+), (\d+) \},$')

HERE = os.path.dirname(os.path.abspath(__file__))
COMMANDS = os.path.join(HERE, "..", "..", "lib", "libgpudump", "commands")


def load(commands_dir=COMMANDS):
    defs = []
    for path in sorted(glob.glob(os.path.join(commands_dir, "cmds-*.c"))):
        with open(path) as f:
            for line in f:
                m = DEF.match(line)
                if not m:
                    continue
                eng = m.group(7)
                defs.append({
                    "match": int(m.group(1), 16), "mask": int(m.group(2), 16), "name": m.group(3),
                    "len_mask": int(m.group(4), 16), "bias": int(m.group(5)),
                    "fixed": int(m.group(6)),
                    "engines": set() if eng == "0" else {e.strip() for e in eng.split("|")},
                    "hook": m.group(8), "min_ver": int(m.group(9)), "max_ver": int(m.group(10)),
                    "nominal": int(m.group(13)), "file": os.path.basename(path),
                })
    if not defs:
        raise SystemExit(f"cmd_tables: no command defs under {commands_dir}")
    return defs


ENGINE_BIT = {"render": "GD_CMD_E_R", "compute": "GD_CMD_E_C", "copy": "GD_CMD_E_B",
              "video": "GD_CMD_E_V", "video-enhance": "GD_CMD_E_VE"}


def for_version(defs, ver, engine):
    """The defs a stream of engine (a class name) at graphics version ver can use."""
    bit = ENGINE_BIT[engine]
    return [d for d in defs if d["min_ver"] <= ver <= d["max_ver"]
            and (not d["engines"] or bit in d["engines"])]
