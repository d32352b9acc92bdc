#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hang scenarios for the analysis tests, built with the fixtures generator (tests/fixtures/xegen.py).

Each scenario is a function returning (xegen.XeDump, expectations). The expectations say what
the analysis must find: blamed engine, hung instruction, wait, and which scenarios share a
signature (same hang, different run) or must differ.

    scenarios.py OUTDIR     write <name>.txt for every scenario (used by the C test)
"""
import os
import random
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import xegen  # noqa: E402

MI_NOOP = 0x00000000
MI_ARB_CHECK = 0x02800000
MI_BB_END = 0x05000000
PIPE_CONTROL_6 = 0x7A000004


def sem_wait(addr, value=1, op=4, poll=True):
    """MI_SEMAPHORE_WAIT (4 dwords): wait until *addr <op> value."""
    return [0x0E000002 | (op << 12) | ((1 << 15) if poll else 0), value,
            addr & 0xFFFFFFFF, addr >> 32]


def bb_start(target, second_level=False):
    return [0x18800101 | ((1 << 22) if second_level else 0), target & 0xFFFFFFFF, target >> 32]


def page(words, size=0x1000):
    data = struct.pack("<%dI" % len(words), *words)
    return data + bytes(size - len(data))


def idle_regs():
    return {"RING_HEAD": 0x100, "RING_TAIL": 0x100, "ACTHD": 0, "RING_BBADDR": 0,
            "RING_DMA_FADD": 0, "RING_INSTDONE": 0xFFFFFFFF, "IPEHR": 0,
            "RING_EXECLIST_STATUS": 0x1, "RING_EXECLIST_SQ_CONTENTS": 0}


def busy_regs(acthd, head=0x230, tail=0x280, ipehr=0x0E00C002, bbaddr=None, execlist=None):
    r = {"RING_HEAD": head, "RING_TAIL": tail, "ACTHD": acthd,
         "RING_BBADDR": acthd if bbaddr is None else bbaddr, "RING_DMA_FADD": acthd,
         "RING_INSTDONE": 0xFFFFFFFE, "IPEHR": ipehr}
    if execlist:
        guc_id, desc = execlist
        r["RING_EXECLIST_STATUS"] = (guc_id << 32) | 1
        r["RING_EXECLIST_SQ_CONTENTS"] = (guc_id << 32) | desc | 0x9
    else:
        r["RING_EXECLIST_STATUS"] = 0x1
        r["RING_EXECLIST_SQ_CONTENTS"] = 0
    return r


def _queue(d, guc_id, class_id, seq, desc, mask):
    d.add_context(guc_id=guc_id, class_id=class_id, seqno=seq - 1, start_seqno=seq,
                  jobs=[(seq - 1, 1, 1), (seq, 0, 0), (seq + 1, 0, 0)],
                  logical_mask=mask, lrcs=[{"context_desc": desc}])
    d.reason = "Timedout job - seqno=%u, lrc_seqno=%u, guc_id=%d, flags=0x%x" % (seq, seq, guc_id, 0)


def semwait_a():
    """Compute queue polls a semaphore that never becomes 1; ccs0 (printed first) hung."""
    d = xegen.XeDump(era="6.16", seed=1)
    batch, sem = 0x1A0000000, 0x1B0000040
    d.add_vma(batch, page(sem_wait(sem) + [MI_NOOP, MI_NOOP, MI_BB_END]))
    d.add_vma(0x1B0000000, page([0x3F800000] * 16 + [0, 0xFFFFFFFF]))
    _queue(d, 17, 5, 4242, 0x00FE4000, 0x3)
    d.batch_addrs = [batch]
    d.add_engine("ccs0", regs=busy_regs(batch, execlist=(17, 0x00FE4000)))
    d.add_engine("ccs1", regs=idle_regs(), capture_source="Manual")
    return d, dict(blamed="ccs0", instruction="MI_SEMAPHORE_WAIT", exact=True, offset=0,
                   depth=0, in_ring=False, wait=dict(address=sem, expected=1, actual=0,
                                                     satisfied=False, captured=True),
                   first_unsignalled=4242, sig="semwait")


def semwait_b():
    """The same hang in another run: other addresses, seqnos, GuC id, pid, buffer contents,
    and this time the second engine (printed last) is the busy one, found without execlists."""
    d = xegen.XeDump(era="6.16", seed=2)
    batch, sem = 0x2C0000000, 0x2D0000100
    d.add_vma(batch, page(sem_wait(sem) + [MI_NOOP, MI_BB_END]))
    d.add_vma(0x2D0000000, page([0x12345678] * 64 + [7]))
    _queue(d, 33, 5, 99, 0x00F84000, 0x3)
    d.batch_addrs = [batch]
    d.add_engine("ccs0", regs=idle_regs())
    d.add_engine("ccs1", regs=busy_regs(batch, head=0x40, tail=0x80))
    return d, dict(blamed="ccs1", instruction="MI_SEMAPHORE_WAIT", exact=True, offset=0,
                   depth=0, in_ring=False, wait=dict(address=sem, expected=1, actual=7,
                                                     satisfied=False, captured=True),
                   first_unsignalled=99, sig="semwait")


def semwait_uncaptured():
    """The semaphore lies outside every captured VMA: the wait says so."""
    d = xegen.XeDump(era="6.16", seed=3)
    batch, sem = 0x1A0000000, 0x3F0000000
    d.add_vma(batch, page(sem_wait(sem, value=5, op=1) + [MI_BB_END]))
    _queue(d, 5, 5, 10, 0x00FE8000, 0x1)
    d.batch_addrs = [batch]
    d.add_engine("ccs0", regs=busy_regs(batch, execlist=(5, 0x00FE8000)))
    return d, dict(blamed="ccs0", instruction="MI_SEMAPHORE_WAIT", exact=True, offset=0,
                   depth=0, in_ring=False, wait=dict(address=sem, expected=5, actual=None,
                                                     satisfied=None, captured=False),
                   first_unsignalled=10, sig="semwait")


def unknown_opcode():
    """A render batch runs into a dword that is no instruction; the parser flags it."""
    d = xegen.XeDump(era="6.16", seed=4)
    batch = 0x1A0000000
    words = [MI_NOOP, MI_ARB_CHECK] + [PIPE_CONTROL_6, 1 << 20, 0, 0, 0, 0] + [0x1F800005, 0, MI_BB_END]
    d.add_vma(batch, page(words))
    _queue(d, 9, 0, 500, 0x00FEC000, 0x1)
    d.batch_addrs = [batch]
    regs = busy_regs(batch + 0x20, ipehr=0x1F800005, execlist=(9, 0x00FEC000))
    regs["RING_ESR"] = 0x1
    regs["RING_EIR"] = 0x1
    d.add_engine("rcs0", regs=regs)
    return d, dict(blamed="rcs0", instruction="unknown opcode 0x1f800000", unknown=True, exact=True,
                   offset=0x20, depth=0, in_ring=False, wait=None, first_unsignalled=500,
                   sig="unknown")


def _chained(seed, acthd_delta, guc_id, seq, top, second):
    d = xegen.XeDump(era="6.16", seed=seed)
    sem = 0x1B0000040
    d.add_vma(top, page([MI_NOOP] + bb_start(second, second_level=True) + [MI_NOOP, MI_BB_END]))
    d.add_vma(second, page([PIPE_CONTROL_6, 1 << 20, 0, 0, 0, 0] + sem_wait(sem) + [MI_BB_END]))
    d.add_vma(0x1B0000000, page([0] * 32))
    _queue(d, guc_id, 5, seq, 0x00FD0000, 0x1)
    d.batch_addrs = [top]
    d.add_engine("ccs0", regs=busy_regs(second + 0x18 + acthd_delta, bbaddr=second + 0x18))
    return d


def chained():
    """The hang is in a second-level batch reached through MI_BATCH_BUFFER_START."""
    d = _chained(5, 0, 40, 7000, 0x1A0000000, 0x1C0000000)
    return d, dict(blamed="ccs0", instruction="MI_SEMAPHORE_WAIT", exact=True, offset=0x18,
                   depth=1, in_ring=False, chain=[0x1A0000000, 0x1C0000000],
                   wait=dict(address=0x1B0000040, expected=1, actual=0, satisfied=False, captured=True),
                   first_unsignalled=7000, sig="chained")


def chained_mid():
    """Same chained hang, other run, ACTHD inside the instruction (not on its header)."""
    d = _chained(6, 8, 41, 123, 0x3A0000000, 0x3C0000000)
    return d, dict(blamed="ccs0", instruction="MI_SEMAPHORE_WAIT", exact=False, offset=0x18,
                   depth=1, in_ring=False, chain=[0x3A0000000, 0x3C0000000],
                   wait=dict(address=0x1B0000040, expected=1, actual=0, satisfied=False, captured=True),
                   first_unsignalled=123, sig="chained")


def ring():
    """A copy engine stopped on a semaphore wait placed directly in its ring (no batch)."""
    d = xegen.XeDump(era="6.16", seed=7)
    ring_start, head, tail = 0x00FE0000, 0x100, 0x140
    words = [MI_NOOP] * (head // 4) + [MI_NOOP, MI_ARB_CHECK] + sem_wait(0x1B0000040, value=3, op=0) + \
        [MI_NOOP] * 10
    d.add_vma(ring_start, page(words, 0x4000))
    d.add_vma(0x1B0000000, page([1] * 32))
    _queue(d, 12, 3, 31, 0x00FC0000, 0x1)
    d.batch_addrs = [0x1A0000000]
    regs = busy_regs(ring_start + head + 8, head=head, tail=tail, bbaddr=0)
    regs["RING_DMA_FADD"] = ring_start + head + 0x20
    regs["RING_START"] = ring_start
    regs["RING_CTL"] = 0x3001
    d.add_engine("bcs0", regs=regs)
    return d, dict(blamed="bcs0", instruction="MI_SEMAPHORE_WAIT", exact=True, offset=None,
                   depth=0, in_ring=True,
                   wait=dict(address=0x1B0000040, expected=3, actual=1, satisfied=False, captured=True),
                   first_unsignalled=31, sig="ring")


def tie():
    """Two compute engines look equally busy and nothing ties either to the queue: the analysis
    must not guess (and must not pick the last one printed)."""
    d = xegen.XeDump(era="6.16", seed=8)
    batch = 0x1A0000000
    d.add_vma(batch, page(sem_wait(0x1B0000040) + [MI_BB_END]))
    _queue(d, 21, 5, 300, 0x00FA0000, 0x3)
    d.batch_addrs = [batch]
    d.add_engine("ccs0", regs=busy_regs(batch))
    d.add_engine("ccs1", regs=busy_regs(batch), capture_source="Manual")
    return d, dict(blamed=None, hung=False, first_unsignalled=300, sig="tie")


def batch_error():
    """The batch ACTHD points into could not be copied ([va].error: -14): the engine is still
    blamed, the hang is not located, and the notes say why."""
    d = xegen.XeDump(era="6.16", seed=9)
    batch = 0x1A0000000
    d.add_vma_error(batch, 0x1000, -14)
    _queue(d, 22, 5, 400, 0x00FB0000, 0x1)
    d.batch_addrs = [batch]
    d.add_engine("ccs0", regs=busy_regs(batch + 0x40, execlist=(22, 0x00FB0000)))
    return d, dict(blamed="ccs0", hung=False, first_unsignalled=400, sig="batch_error")


def selfloop():
    """The batch jumps to itself forever (first-level MI_BATCH_BUFFER_START to its own start)
    while ACTHD sits in another buffer: the walk must stop at its caps and still locate the
    instruction from the start of the VMA that holds ACTHD."""
    d = xegen.XeDump(era="6.16", seed=10)
    batch, other = 0x1A0000000, 0x1E0000000
    d.add_vma(batch, page([MI_NOOP] + bb_start(batch) + [MI_BB_END]))
    d.add_vma(other, page([MI_NOOP, MI_NOOP] + [PIPE_CONTROL_6, 1 << 20, 0, 0, 0, 0] + [MI_BB_END]))
    _queue(d, 23, 0, 600, 0x00F90000, 0x1)
    d.batch_addrs = [batch]
    d.add_engine("rcs0", regs=busy_regs(other + 8, ipehr=PIPE_CONTROL_6, execlist=(23, 0x00F90000)))
    return d, dict(blamed="rcs0", instruction="PIPE_CONTROL", exact=True, offset=8, depth=0,
                   in_ring=False, wait=None, first_unsignalled=600, sig="selfloop",
                   note="deeper than")


def _lost(seed, batch, sem, ipehr):
    """A batch whose first dwords the walk cannot follow: a stray dword that is no instruction,
    then one that reads as an MI_LOAD_REGISTER_IMM of 65 dwords, swallowing the semaphore wait
    at +0x40 where ACTHD is."""
    d = xegen.XeDump(era="6.16", seed=seed)
    words = [MI_NOOP, 0x1F800005, 0x1100003F] + [MI_NOOP] * 13 + sem_wait(sem) + [MI_BB_END]
    d.add_vma(batch, page(words))
    d.add_vma(sem & ~0xFFF, page([0] * 64))
    _queue(d, 24, 5, 800 + seed, 0x00F80000, 0x1)
    d.batch_addrs = [batch]
    d.add_engine("ccs0", regs=busy_regs(batch + 0x40, ipehr=ipehr, execlist=(24, 0x00F80000)))
    return d


def lost_sync():
    """The walk's boundaries do not meet ACTHD and IPEHR names another instruction: the hung
    instruction is found again at ACTHD, where IPEHR's header is, and the notes say so."""
    d = _lost(11, 0x1A0000000, 0x1B0000040, 0x0E00C002)
    return d, dict(blamed="ccs0", instruction="MI_SEMAPHORE_WAIT", exact=True, offset=0x40, depth=0,
                   in_ring=False, resync=True, note="resynchronised at ACTHD 0x1a0000040, where IPEHR",
                   wait=dict(address=0x1B0000040, expected=1, actual=0, satisfied=False, captured=True),
                   first_unsignalled=811, sig="lost")


def lost_no_ipehr():
    """The same hang in another run without IPEHR: the walk passed an unknown opcode and ends
    inside an instruction, so it is not trusted; decoding starts again at ACTHD itself."""
    d = _lost(12, 0x2A0000000, 0x2B0000080, 0)
    return d, dict(blamed="ccs0", instruction="MI_SEMAPHORE_WAIT", exact=True, offset=0x40, depth=0,
                   in_ring=False, resync=True, note="at the address itself",
                   wait=dict(address=0x2B0000080, expected=1, actual=0, satisfied=False, captured=True),
                   first_unsignalled=812, sig="lost")


def just_past():
    """ACTHD has moved just past a semaphore wait that IPEHR says is still executing: that wait,
    not the MI_NOOP at ACTHD, is the hung instruction."""
    d = xegen.XeDump(era="6.16", seed=13)
    batch, sem = 0x1A0000000, 0x1B0000040
    d.add_vma(batch, page([PIPE_CONTROL_6, 1 << 20, 0, 0, 0, 0] + sem_wait(sem) + [MI_NOOP, MI_BB_END]))
    d.add_vma(0x1B0000000, page([0] * 32))
    _queue(d, 25, 5, 900, 0x00F70000, 0x1)
    d.batch_addrs = [batch]
    d.add_engine("ccs0", regs=busy_regs(batch + 0x28, ipehr=0x0E00C002, execlist=(25, 0x00F70000)))
    return d, dict(blamed="ccs0", instruction="MI_SEMAPHORE_WAIT", exact=False, offset=0x18, depth=0,
                   in_ring=False, note="is just past MI_SEMAPHORE_WAIT",
                   wait=dict(address=sem, expected=1, actual=0, satisfied=False, captured=True),
                   first_unsignalled=900, sig="just_past")


SCENARIOS = {f.__name__: f for f in (semwait_a, semwait_b, semwait_uncaptured, unknown_opcode,
                                      chained, chained_mid, ring, tie, batch_error, selfloop,
                                      lost_sync, lost_no_ipehr, just_past)}


# ---- i915 error states (written here: the format's engine block and objects are simple) ----

def _a85(data):
    """The kernel's ascii85: one LE u32 at a time, 'z' for zero, most significant digit first."""
    out = []
    for (w,) in struct.iter_unpack("<I", data):
        if w == 0:
            out.append("z")
            continue
        c = []
        for _ in range(5):
            c.append(chr(33 + w % 85))
            w //= 85
        out.append("".join(reversed(c)))
    return "".join(out)


def _i915_object(engine, kind, address, data):
    z = zlib.compress(data)
    z += bytes(-len(z) % 4)
    return "%s --- %s = 0x%08x %08x\n:%s\n" % (engine, kind, address >> 32, address & 0xFFFFFFFF, _a85(z))


def _i915_engine(name, regs, batch=None, hung=0, elsp=None):
    r = dict(regs)
    acthd = r.get("ACTHD", 0)
    bb = r.get("BBADDR", 0)
    fa = r.get("FADDR", 0)
    out = ["%s command stream:\n" % name,
           "  CCID:  0x%08x\n" % r.get("CCID", 0),
           "  START: 0x%08x\n" % r.get("START", 0x00FE0000),
           "  HEAD:  0x%08x [0x%08x]\n" % (r["HEAD"], r["HEAD"]),
           "  TAIL:  0x%08x [0x%08x, 0x%08x]\n" % (r["TAIL"], r["TAIL"], r["TAIL"]),
           "  CTL:   0x%08x\n" % r.get("CTL", 0x3001),
           "  MODE:  0x%08x\n" % 0,
           "  HWS:   0x%08x\n" % 0xFEDF0000,
           "  ACTHD: 0x%08x %08x\n" % (acthd >> 32, acthd & 0xFFFFFFFF),
           "  IPEIR: 0x%08x\n" % 0,
           "  IPEHR: 0x%08x\n" % r.get("IPEHR", 0),
           "  ESR:   0x%08x\n" % r.get("ESR", 0),
           "  INSTDONE: 0x%08x\n" % r.get("INSTDONE", 0xFFFFFFFF)]
    if "FAULT_REG" in r:
        out.append("  FAULT_REG: 0x%08x\n" % r["FAULT_REG"])
    if batch:
        out.append("  batch: [0x%08x_%08x, 0x%08x_%08x]\n" % (batch[0] >> 32, batch[0] & 0xFFFFFFFF,
                                                            (batch[0] + batch[1]) >> 32,
                                                            (batch[0] + batch[1]) & 0xFFFFFFFF))
    out += ["  BBADDR: 0x%08x_%08x\n" % (bb >> 32, bb & 0xFFFFFFFF),
            "  INSTPM: 0x%08x\n" % 0,
            "  FADDR: 0x%08x %08x\n" % (fa >> 32, fa & 0xFFFFFFFF),
            "  GFX_MODE: 0x%08x\n" % 0x8,
            "  ELSP[0]:"]
    out.append(("  pid %d, seqno %8x:%08x+, prio 0, head 00000200, tail 00000280\n" % elsp)
               if elsp else "")
    out += ["  hung: %d\n" % hung, "  engine reset count: 0\n"]
    return "".join(out)


def i915_semwait(seed, batch_addr, sem_addr, pid, comm="vkcube", batch_line=True):
    """A video engine (vcs0, printed between rcs0 and bcs0) stuck in a semaphore wait; the
    other engines hold requests and look busy too. Without the engine's "batch:" line the
    compressed batch object has no declared length (only its inflated size tells)."""
    rng = random.Random(seed)
    batch = page([MI_NOOP] * 4 + [PIPE_CONTROL_6, 1 << 20, 0, 0, 0, 0, MI_NOOP, MI_NOOP] +
                 sem_wait(sem_addr) + [MI_BB_END])
    sem_page = page([rng.getrandbits(32) for _ in range(16)] + [0])
    ecode = rng.getrandbits(32)
    text = ["GPU HANG: ecode 12:4:%08x, in %s [%d]\n" % (ecode, comm, pid),
            "Kernel: 6.8.0-45-generic x86_64\n", "Driver: 20230929\n",
            "Time: %d s %d us\n" % (1760000000 + rng.randint(0, 99999), rng.randint(0, 999999)),
            "Active process (on ring vcs0): %s [%d]\n" % (comm, pid),
            "Platform: TIGERLAKE\n", "PCI ID: 0x9a49\n", "PCI Revision: 0x01\n",
            "EIR: 0x00000000\n"]
    busy_other = dict(HEAD=0x40 * rng.randint(1, 9), TAIL=0x1000, ACTHD=0x7F000000 + 4 * rng.randint(0, 99),
                      INSTDONE=0xFFFFFFFE, IPEHR=0x7A000004)
    text.append(_i915_engine("rcs0", busy_other, elsp=(rng.randint(2, 999), 0x5D2, 0x2A)))
    text.append(_i915_engine("vcs0", dict(HEAD=0x230, TAIL=0x280, ACTHD=batch_addr + 0x30,
                                          BBADDR=batch_addr + 0x30, IPEHR=0x0E00C002,
                                          INSTDONE=0xFFFFFFFE),
                             batch=(batch_addr, len(batch)) if batch_line else None,
                             hung=1, elsp=(pid, 0x5D3, 0x2B)))
    text.append(_i915_engine("bcs0", dict(HEAD=0x100, TAIL=0x100)))
    text.append(_i915_object("vcs0", "ring", 0xFEE00000,
                             page([MI_NOOP] * (0x230 // 4) + [MI_ARB_CHECK] + bb_start(batch_addr) +
                                  [MI_NOOP] * 16)))
    text.append(_i915_object("vcs0", "batch", batch_addr, batch))
    text.append(_i915_object("vcs0", "user", sem_addr & ~0xFFF, sem_page))
    return "".join(text).encode()


def i915_fault(seed):
    """A render batch stores past the end of its buffer: FAULT_REG is valid on rcs0 and the
    header's FAULT_TLB_DATA names the page one page past the batch object."""
    rng = random.Random(seed)
    batch_addr = 0x500000
    target = batch_addr + 0x2010
    batch = page([MI_NOOP, MI_NOOP, 0x10000002, target & 0xFFFFFFFF, target >> 32, 0xDEAD, MI_BB_END])
    text = ["GPU HANG: ecode 12:1:%08x, in fault [77]\n" % rng.getrandbits(32),
            "Kernel: 6.8.0-45-generic x86_64\n", "Platform: TIGERLAKE\n", "PCI ID: 0x9a49\n",
            "FAULT_TLB_DATA: 0x%08x 0x%08x\n" % ((target >> 12) & 0xFFFFFFFF, target >> 44)]
    text.append(_i915_engine("rcs0", dict(HEAD=0x40, TAIL=0x80, ACTHD=batch_addr + 8, BBADDR=batch_addr + 8,
                                          IPEHR=0x10000002, INSTDONE=0xFFFFFFFE, FAULT_REG=0x1),
                             batch=(batch_addr, len(batch)), hung=1, elsp=(77, 0x10, 0x2)))
    text.append(_i915_engine("bcs0", dict(HEAD=0x100, TAIL=0x100)))
    text.append(_i915_object("rcs0", "batch", batch_addr, batch))
    return "".join(text).encode()


def i915_ring_mode(seed, head=0x214, ipehr=0x7A000002):
    """Sandy Bridge in ring mode (no execlists): the batch ended and the render ring itself is
    stuck in a PIPE_CONTROL. ACTHD is the ring offset with the wrap count above bit 21, RING_HEAD
    stops inside the PIPE_CONTROL, and RING_BBADDR still points into the finished batch."""
    rng = random.Random(seed)
    ring_addr, batch_addr = 0x00020000, 0x00439000
    pc = [0x7A000002, 0x00024004 + 0x80 * rng.randint(0, 9), 0, 0]
    ring = [MI_NOOP] * (0x200 // 4) + [0x18800000, batch_addr, MI_ARB_CHECK, MI_NOOP] + pc + pc + \
        [MI_NOOP] * 8
    batch = page([PIPE_CONTROL_6 & ~0xFF | 2, 0, 0, 0, MI_NOOP, MI_BB_END])
    text = ["GPU HANG: ecode 6:0:%08x, in Xorg [%d]\n" % (rng.getrandbits(32), 1000 + seed),
            "Kernel: 3.8.0-30-generic\n", "Platform: SANDYBRIDGE\n", "PCI ID: 0x0116\n"]
    text.append(_i915_engine("rcs0", dict(START=ring_addr, HEAD=head, TAIL=0x240,
                                          ACTHD=(rng.randint(1, 200) << 21) | head,
                                          BBADDR=batch_addr + 0x14, IPEHR=ipehr, INSTDONE=0xFFFFFFFE),
                             hung=1))
    text.append(_i915_engine("bcs0", dict(START=0x00040000, HEAD=0x100, TAIL=0x100)))
    text.append(_i915_object("rcs0", "ring", ring_addr, page(ring, 0x4000)))
    text.append(_i915_object("rcs0", "batch", batch_addr, batch))
    return "".join(text).encode()


I915_SCENARIOS = {
    "i915_ring_mode": lambda: (i915_ring_mode(14),
                               dict(blamed="rcs0", instruction="PIPE_CONTROL", offset=None, exact=False,
                                    in_ring=True, elsp=False, wait_expected=None, sig="i915_ring_mode",
                                    confidence="medium", graphics_version="6.0",
                                    note="(wrap count")),
    # The real Ironlake state's case: ACTHD on the MI_NOOP just past the command IPEHR names.
    "i915_ring_past": lambda: (i915_ring_mode(15, head=0x20C, ipehr=MI_ARB_CHECK),
                               dict(blamed="rcs0", instruction="MI_ARB_CHECK", offset=None, exact=False,
                                    in_ring=True, elsp=False, wait_expected=None, sig="i915_ring_past",
                                    confidence="medium", graphics_version="6.0",
                                    note="is just past MI_ARB_CHECK")),
    # name: (text, expectations); two runs of the same hang
    "i915_semwait_a": lambda: (i915_semwait(11, 0x100000, 0x200040, 1234),
                               dict(blamed="vcs0", instruction="MI_SEMAPHORE_WAIT", offset=0x30,
                                    wait_expected=1, wait_actual=0, sig="i915_semwait")),
    "i915_semwait_b": lambda: (i915_semwait(12, 0x3_4560_0000, 0x3_7890_0040, 4321, comm="glxgears",
                                                            batch_line=False),
                               dict(blamed="vcs0", instruction="MI_SEMAPHORE_WAIT", offset=0x30,
                                    wait_expected=1, wait_actual=0, sig="i915_semwait")),
    "i915_fault": lambda: (i915_fault(13),
                           dict(blamed="rcs0", instruction="MI_STORE_DATA_IMM", offset=0x8, wait_expected=None,
                                fault=dict(address=0x502000, inside=False, vma=0x500000, distance=0x1000),
                                sig="i915_fault")),
}


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    os.makedirs(argv[1], exist_ok=True)
    for name, fn in SCENARIOS.items():
        d, _ = fn()
        path = os.path.join(argv[1], name + ".txt")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
        with os.fdopen(fd, "wb") as f:
            f.write(d.render())
    for name, fn in I915_SCENARIOS.items():
        path = os.path.join(argv[1], name + ".txt")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
        with os.fdopen(fd, "wb") as f:
            f.write(fn()[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
