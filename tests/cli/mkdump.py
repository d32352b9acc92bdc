#!/usr/bin/python3
"""Write small deterministic GPU dumps for the CLI tests (the kernel's xe devcoredump format).

usage: mkdump.py KIND OUT
  xe          the newest-layout xe devcoredump of a compute queue hung on MI_SEMAPHORE_WAIT
  xe-vmaerr   the same, with a third VMA the kernel could not capture ([va].error: -14)
  xe-damaged  the same, with a character outside the ascii85 alphabet inside a VMA's data
  xe-chain    the same queue, its batch calling a second-level batch and then jumping to a
              chained batch that holds the MI_SEMAPHORE_WAIT (ACTHD there)
  xe-threads  the same, with 8 more VMAs of 4 MiB (40 MiB of text, enough for 4 decoding
              threads), three of them damaged in different ways and places
  notadump    text that is no GPU dump at all

Built from the kernel's format strings (xe_devcoredump.c, xe_guc_submit.c, xe_lrc.c,
xe_hw_engine.c, xe_vm.c) with our own encoder of the kernel's ascii85 flavour: one group per
little-endian u32 word, most significant base-85 digit first, 'z' for a zero word.
"""
import struct
import sys


def a85_word(w):
    if w == 0:
        return "z"
    digits = []
    for _ in range(5):
        digits.append(chr(33 + w % 85))
        w //= 85
    return "".join(reversed(digits))


def a85(data):
    assert len(data) % 4 == 0
    return "".join(a85_word(w) for (w,) in struct.iter_unpack("<I", data))


def words(n_bytes, values):
    """n_bytes of zeros with the u32 words {index: value} set."""
    buf = bytearray(n_bytes)
    for i, v in values.items():
        struct.pack_into("<I", buf, 4 * i, v)
    return bytes(buf)


# Contents (see the scenario in the module docstring). The batch at 0x1a0000000 waits on
# 0x1b0000040 (MI_SEMAPHORE_WAIT, SAD_EQ_SDD, value 1), then ends (MI_BATCH_BUFFER_END).
LOG = words(0x40, {0: 0xcabba9e6, 2: 0x40, 3: 0x20, 4: 0x4000, 5: 0x20, 7: 0x1,
                   8: 0x1234abcd, 9: 0x5, 10: 0xdeadbeef})
CTB = words(0x40, {0: 0x58, 1: 0x58})
HWSP = words(0x1000, {128: 0x1091, 130: 0x1092, 132: 0x0a3a1f00})
HWCTX = words(0x100, {0: 0x1108101d, 1: 0x1a244, 2: 0x90009, 3: 0x1a034, 4: 0x230, 5: 0x1a030,
                      6: 0x280, 7: 0x1a038, 8: 0xfe0000, 9: 0x1a03c, 10: 0x3001, 11: 0x1a168,
                      12: 0x1, 13: 0x1a140, 14: 0xa0000000, 15: 0x1a3a8, 16: 0x0a3b8c10})
BATCH = words(0x1000, {0: 0x0e00c002, 1: 0x1, 2: 0xb0000040, 3: 0x1, 4: 0x05000000})
# xe-chain: 0x1a0000000 calls 0x1c0000000 (second level), then jumps to 0x1d0000000 (first
# level); the dword after the jump is never run.
CHAIN = words(0x1000, {0: 0x18c00101, 1: 0xc0000000, 2: 0x1, 3: 0x18800101, 4: 0xd0000000, 5: 0x1,
                       6: 0x05000000})
SECOND = words(0x1000, {0: 0x0, 1: 0x05000000})
CHAINED = words(0x1000, {0: 0x0e00c002, 1: 0x1, 2: 0xb0000040, 3: 0x1, 4: 0x05000000})
SEMA = words(0x1000, dict([(i, 0x3f800000) for i in range(16)] + [(17, 0xffffffff)]))

GLOBAL_REGS = [("FORCEWAKE_GT", "0x00010001"), ("RCU_MODE", "0x00010001")]


def engine(name, inst, source, regs):
    out = [f"{name} (physical), logical instance={inst}\n",
           f"\tCapture_source: {source}\n", "\tCoverage: full-capture\n",
           "\tForcewake: domain 0x2, ref 1\n", "\tReserved: no\n"]
    for n, v in GLOBAL_REGS + regs:
        out.append(f"\t{n}: {v}\n")
    for dss in range(2):
        for n in ["SAMPLER_INSTDONE", "ROW_INSTDONE", "SC_INSTDONE", "SC_INSTDONE_EXTRA",
                  "SC_INSTDONE_EXTRA2", "INSTDONE_GEOM_SVGUNIT"]:
            out.append(f"\t{n}[{dss}]: 0xffffffff\n")
    out.append("\n")
    return "".join(out)


def instance_regs(pga, head, tail, ctl, ipehr, instdone, acthd, start, elsp, sq):
    return [("HWSTAM", "0xffffffff"), ("RING_HWS_PGA", pga), ("RING_HEAD", head),
            ("RING_TAIL", tail), ("RING_CTL", ctl), ("RING_MI_MODE", "0x00000000"),
            ("RING_MODE", "0x00000008"), ("RING_ESR", "0x00000000"), ("RING_EMR", "0xfffffffe"),
            ("RING_EIR", "0x00000000"), ("RING_IMR", "0xfffffefe"), ("IPEHR", ipehr),
            ("RING_INSTDONE", instdone), ("INDIRECT_RING_STATE", "0x00000000"),
            ("ACTHD", acthd), ("RING_BBADDR", acthd), ("RING_START", start),
            ("RING_DMA_FADD", acthd), ("RING_EXECLIST_STATUS", elsp),
            ("RING_EXECLIST_SQ_CONTENTS", sq)]


def xe(kind):
    out = []
    w = out.append
    w("**** Xe Device Coredump ****\n")
    w("Reason: Timedout job - seqno=4242, lrc_seqno=4242, guc_id=17, flags=0x0\n")
    w("kernel: 6.16.0-xe-synthetic\n")
    w("module: xe\n")
    w("Snapshot time: 1760433512.418203551\n")
    w("Uptime: 5234.771204883\n")
    w("Process: vkcube [4321]\n")
    w("PCI ID: 0x64a0\n")
    w("PCI revision: 0x04\n")
    for gt, typ, ip in [(0, "main", "20.4.4"), (1, "media", "20.0.4")]:
        w(f"GT id: {gt}\n\tTile: 0\n\tType: {typ}\n\tIP ver: {ip}\n\tCS reference clock: 19200000\n")
    w("\n**** GT #0 ****\n\tTile: 0\n")
    w("\n**** GuC Log ****\n")
    w("GuC firmware: xe/lnl_guc_70.bin\n")
    w("GuC version: 70.44.1 (wanted 70.44.1)\n")
    w("Kernel timestamp: 0x4C2D0AF376A [5234771310442]\n")
    w("GuC timestamp: 0x1856A2C4D1 [104532722897]\n")
    w("Log level: 3\n")
    w(f"[LOG].length: {len(LOG):#x}\n[LOG].data: {a85(LOG)}\n")
    w("\n**** GuC CT ****\n")
    for name, size, resv, pos, space in [("H2G", 1024, 0, 88, 1023), ("G2H", 32768, 8192, 1204, 24575)]:
        w(f"{name} CTB (all sizes in DW):\n\tsize: {size}\n\tresv_space: {resv}\n\thead: {pos}\n"
          f"\ttail: {pos}\n\tspace: {space}\n\tbroken: 0\n\thead (memory): {pos}\n"
          f"\ttail (memory): {pos}\n\tstatus (memory): 0x0\n")
    w("\tg2h outstanding: 0\n")
    w(f"[CTB].length: {len(CTB):#x}\n[CTB].data: {a85(CTB)}\n")
    w("\n**** Contexts ****\n")
    w("GuC ID: 17\n\tName: ccs17\n\tClass: 5\n\tLogical mask: 0x3\n\tWidth: 1\n\tRef: 5\n"
      "\tTimeout: 5000 (ms)\n\tTimeslice: 1000 (us)\n\tPreempt timeout: 640000 (us)\n")
    w("\tHW Context Desc: 0x00fe4000\n\tHW Ring address: 0x00fe0000\n"
      "\tHW Indirect Ring State: 0x00000000\n\tLRC Head: (memory) 560\n"
      "\tLRC Tail: (internal) 640, (memory) 640\n\tRing start: (memory) 0x00fe0000\n"
      "\tStart seqno: (memory) 4242\n\tSeqno: (memory) 4241\n\tTimestamp: 0x0a3b8c10\n"
      "\tJob Timestamp: 0x0a3a1f00\n")
    w(f"\t[HWSP].length: {len(HWSP):#x}\n\t[HWSP].data: {a85(HWSP)}\n")
    w(f"\t[HWCTX].length: {len(HWCTX):#x}\n\t[HWCTX].data: {a85(HWCTX)}\n")
    w("\tSchedule State: 0x201\n\tFlags: 0x0\n")
    w("\tJob: seqno=4241, fence=1, finished=1\n")
    w("\tJob: seqno=4242, fence=0, finished=0\n")
    w("\tJob: seqno=4243, fence=0, finished=0\n")
    w("\n**** Job ****\nbatch_addr[0]: 0x00000001a0000000\n")
    w("\n**** HW Engines ****\n")
    w(engine("ccs0", 0, "GuC", instance_regs(
        "0x00fdf000", "0x00000230", "0x00000280", "0x00003001", "0x0e00c002", "0xfffffffe",
        "0x00000001d0000000" if kind == "xe-chain" else "0x00000001a0000000", "0x0000000000fe0000", "0x0000001100000001", "0x0000001100fe4009")))
    w(engine("ccs1", 1, "Manual", instance_regs(
        "0x00fde000", "0x00000000", "0x00000000", "0x00000000", "0x00000000", "0xffffffff",
        "0x0000000000000000", "0x0000000000000000", "0x0000000000000001", "0x0000000000000000")))
    w("\n**** VM state ****\n")
    batch = a85(BATCH)
    if kind == "xe-damaged":
        # '~' is outside the kernel's alphabet ('!'..'u' and 'z'): the decoder must say where.
        batch = batch[:12] + "~" + batch[13:]
    if kind == "xe-chain":
        batch = a85(CHAIN)
    w(f"[1a0000000].length: {len(BATCH):#x}\n[1a0000000].data: {batch}\n")
    w(f"[1b0000000].length: {len(SEMA):#x}\n[1b0000000].data: {a85(SEMA)}\n")
    if kind == "xe-chain":
        w(f"[1c0000000].length: {len(SECOND):#x}\n[1c0000000].data: {a85(SECOND)}\n")
        w(f"[1d0000000].length: {len(CHAINED):#x}\n[1d0000000].data: {a85(CHAINED)}\n")
    if kind == "xe-vmaerr":
        w("[1c0000000].length: 0x2000\n[1c0000000].error: -14\n")
    if kind == "xe-threads":
        for va, length, text in threads_vmas():
            w(f"[{va:x}].length: {length:#x}\n[{va:x}].data: {text}\n")
    return "".join(out)


THREADS_VMA = 4 << 20


def threads_vma_data(i):
    """VMA i of xe-threads: a 256 KiB block of pseudo-random words (a fifth zero) repeated,
    with the VMA's number in its first word so that no two hash alike."""
    x = 0x9e3779b97f4a7c15 ^ i
    ws = []
    for _ in range(65536):
        x ^= (x << 13) & 0xffffffffffffffff
        x ^= x >> 7
        x ^= (x << 17) & 0xffffffffffffffff
        ws.append(0 if x % 5 == 0 else x >> 32)
    block = struct.pack("<65536I", *ws)
    data = bytearray(block * (THREADS_VMA // len(block)))
    struct.pack_into("<I", data, 0, 0x1000 + i)
    return bytes(data)


def threads_vmas():
    """(va, declared length, text) of the 8 big VMAs; VMAs 2, 5 and 7 are damaged: a bad
    character near the end, a declared length longer than the data, a bad character early."""
    out = []
    for i in range(8):
        text = a85(threads_vma_data(i))
        length = THREADS_VMA
        if i == 2:
            text = text[:len(text) - 1000] + "~" + text[len(text) - 999:]
        elif i == 5:
            length += 0x1000
        elif i == 7:
            text = text[:5000] + "\x7f" + text[5001:]
        out.append((0x300000000 + i * 0x10000000, length, text))
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kind, path = argv[1], argv[2]
    if kind in ("xe", "xe-vmaerr", "xe-damaged", "xe-chain", "xe-threads"):
        text = xe(kind)
    elif kind == "notadump":
        text = "This is a shopping list, not a GPU dump.\neggs\nmilk\n"
    else:
        print(f"mkdump.py: unknown kind '{kind}'", file=sys.stderr)
        return 2
    with open(path, "w", encoding="ascii", newline="") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
