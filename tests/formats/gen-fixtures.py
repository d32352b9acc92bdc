#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate non-xe dump fixtures (i915, amdgpu, msm, panfrost, etnaviv) with a truth file each.

The dumps are printed the way the kernel prints them (its format strings, its ascii85 flavour,
i915's page-chunked zlib output padded to whole u32, msm's cut after the last non-zero dword,
the panfrost/etnaviv header arrays), filled with random contents from a fixed seed. Next to
every dump <name> sits <name>.truth.json, which says what a decoder must find: header fields,
engines with registers in dump order, VMAs in address order with their decoded bytes (hex),
named blobs, and how many diagnostics are allowed. Damaged variants (bad ascii85 character,
truncated zlib, the input cut at every object boundary, bad binary magic / offsets) carry
truths that demand diagnostics and still check what lies before the damage.

Usage: gen-fixtures.py OUTDIR [SEED] [--stamp FILE]   (OUTDIR/manifest.txt lists the dumps)
       gen-fixtures.py --igt OUTDIR [SEED]   i915 error states of gen2 .. gen12 whose batches
                                             are random command mixes from gpudump's tables,
                                             for the differential test against IGT (test-igt.py;
                                             OUTDIR/igt.json lists them)
"""
import json
import os
import random
import struct
import sys
import zlib

PAGE = 4096


def a85(data):
    """The kernel's ascii85 (include/linux/ascii85.h): per LE u32, 'z' for 0, 5 digits MSB first."""
    assert len(data) % 4 == 0
    out = []
    for (w,) in struct.iter_unpack('<I', data):
        if w == 0:
            out.append('z')
            continue
        c = []
        for _ in range(5):
            c.append(chr(33 + w % 85))
            w //= 85
        out.append(''.join(reversed(c)))
    return ''.join(out)


def a85_words(data):
    return [a85(data[i:i + 4]) for i in range(0, len(data), 4)]


def random_words(rng, nbytes, zero_ratio=0.3):
    """Random contents with runs of zero words, like real buffers (exercises 'z')."""
    words = []
    while len(words) * 4 < nbytes:
        if rng.random() < zero_ratio:
            words.extend([0] * rng.randint(1, 16))
        else:
            words.append(rng.getrandbits(32))
    return struct.pack('<%dI' % (nbytes // 4), *words[:nbytes // 4])


def i915_compress(data):
    """i915_gpu_error.c compress_page()/compress_flush(): deflate page by page (Z_NO_FLUSH),
    finish, output collected in 4 KiB pages; the last page is printed up to its used length
    rounded up to whole u32 words, the rest of the word zero."""
    z = zlib.compressobj(-1, zlib.DEFLATED, 15)
    out = b''
    for i in range(0, len(data), PAGE):
        out += z.compress(data[i:i + PAGE])
    out += z.flush(zlib.Z_FINISH)
    pages = [out[i:i + PAGE] for i in range(0, len(out), PAGE)]
    text = ''
    for p in pages:
        if len(p) % 4:
            p = p + b'\0' * (4 - len(p) % 4)
        text += a85(p)
    return text


def hexs(data):
    return data.hex() if data is not None else None


def reg(name, value, width=32):
    return [name, '0x%x' % value, width]


class Truth:
    def __init__(self, fmt):
        self.t = {
            'format': fmt, 'empty': False, 'reason': None, 'kernel': None, 'driver': None,
            'process_name': None, 'pid': -1, 'pci_id': -1, 'pci_revision': -1,
            'engines': [], 'vmas': [], 'blobs': [], 'exact': True,
            'diagnostics': {'min': 0, 'max': 0},
        }

    def __getitem__(self, k):
        return self.t[k]

    def __setitem__(self, k, v):
        self.t[k] = v

    def vma(self, address, length, kind, engine, data, read=0):
        self.t['vmas'].append({'address': '0x%x' % address, 'length': length, 'kind': kind,
                               'engine': engine, 'data': hexs(data), 'read': read})

    def dump(self):
        t = dict(self.t)
        t['vmas'] = sorted(t['vmas'], key=lambda v: int(v['address'], 16))
        return t


# ------------------------------------------------------------------------------------------
# i915

I915_CLASSES = {'rcs': 'render', 'bcs': 'copy', 'vcs': 'video', 'vecs': 'video-enhance',
                'ccs': 'compute'}


def i915_class(name):
    for p in ('vecs', 'rcs', 'bcs', 'vcs', 'ccs'):
        if name.startswith(p):
            return I915_CLASSES[p], int(name[len(p):])
    if name.startswith('render'):
        return 'render', -1
    if name.startswith('blitter') or name.startswith('blt'):
        return 'copy', -1
    if name.startswith('bsd'):
        return 'video', -1
    return 'other', -1


class I915Gen:
    """Builds an i915 error state line by line, remembering where every object starts so
    damaged variants can cut there."""

    def __init__(self, rng, mode, guc=False):
        self.rng = rng
        self.mode = mode  # 'zlib', 'raw', 'hex'
        self.guc = guc
        self.out = []  # list of str pieces
        self.truth = Truth('i915')
        self.truth['driver'] = 'i915'
        self.objects = []  # (header_offset, data_offset, data_end_offset, truth_vma)
        self.used_addrs = set()

    def w(self, s):
        self.out.append(s)

    def pos(self):
        return sum(len(x) for x in self.out)

    def addr(self, pages):
        while True:
            a = self.rng.randrange(0x100000, 0xfff00000, PAGE)
            if self.rng.random() < 0.3:
                a |= self.rng.randrange(1, 0x10) << 32
            if all(abs(a - b) > 64 * PAGE for b in self.used_addrs):
                self.used_addrs.add(a)
                return a

    def header(self, platform, pci_id, rev, comm, pid, hung_mask):
        t = self.truth
        ecode = self.rng.getrandbits(32)
        reason = 'GPU HANG: ecode 12:%x:%08x, in %s [%d]' % (hung_mask, ecode, comm, pid)
        t['reason'] = reason
        t['process_name'] = comm
        t['pid'] = pid
        t['kernel'] = '6.8.0-%d-generic' % self.rng.randint(1, 99)
        t['pci_id'] = pci_id
        t['pci_revision'] = rev
        w = self.w
        if self.mode == 'hex':
            # < v4.10: no GPU HANG line in this variant, Time first
            t['reason'] = None
            t['process_name'] = None
            t['pid'] = -1
            t['kernel'] = '4.4.0-%d-generic' % self.rng.randint(1, 99)
            w('%s\n' % 'Time: 1460000000 s 123456 us')
            w('Kernel: %s\n' % t['kernel'])
            w('PCI ID: 0x%04x\n' % pci_id)
            w('PCI Revision: 0x%02x\n' % rev)
            w('EIR: 0x00000000\n')
            w('IER: 0x02408000\n')
            w('PGTBL_ER: 0x00000000\n')
            w('FORCEWAKE: 0x00000001\n')
            return
        w(reason + '\n')
        w('Kernel: %s x86_64\n' % t['kernel'])
        w('Driver: 20230929\n')
        w('Time: %d s %d us\n' % (1760433512 + self.rng.randint(0, 9999), self.rng.randint(0, 999999)))
        w('Boottime: 5234 s 771204 us\n')
        w('Uptime: 5101 s 337912 us\n')
        w('Capture: 4300201234 jiffies; 35 ms ago\n')
        w('Active process (on ring rcs0): %s [%d]\n' % (comm, pid))
        w('Reset count: 0\n')
        w('Suspend count: 0\n')
        w('Platform: %s\n' % platform)
        w('Subplatform: 0x0\n')
        w('PCI ID: 0x%04x\n' % pci_id)
        w('PCI Revision: 0x%02x\n' % rev)
        w('PCI Subsystem: 8086:3001\n')
        w('IOMMU enabled?: 0\n')
        w('DMC loaded: yes\n')
        w('DMC fw version: 2.12\n')
        w('RPM wakelock: yes\n')
        w('PM suspended: no\n')
        w('IER: 0x00000000\n')
        w('DERRMR: 0xffffffff\n')
        w('GT awake: yes\n')
        w('CS timestamp frequency: 19200000 Hz, 53 ns\n')
        w('EIR: 0x00000000\n')
        w('PGTBL_ER: 0x00000000\n')
        for i in range(2):
            w('GTIER[%d]: 0x%08x\n' % (i, self.rng.getrandbits(32)))
        for i in range(3):
            w('  fence[%d] = %08x\n' % (i, self.rng.getrandbits(32)))
        if not self.guc:
            w('FORCEWAKE: 0x00010001\n')
            w('FAULT_TLB_DATA: 0x%08x 0x%08x\n' % (self.rng.getrandbits(32), self.rng.getrandbits(32)))
            w('AUX_ERR_DBG: 0x00000000\n')
            w('  GAM_DONE: 0x%08x\n' % self.rng.getrandbits(32))

    def request(self):
        return '  pid %d, seqno %8x:%08x%s%s, prio %d, head %08x, tail %08x\n' % (
            self.rng.randint(1, 99999), self.rng.getrandbits(12), self.rng.getrandbits(32),
            self.rng.choice(['', '!']), self.rng.choice(['', '+']), self.rng.randint(-10, 10),
            self.rng.getrandbits(12), self.rng.getrandbits(12))

    def engine_block(self, name, ports, batch=None):
        """error_print_engine(); ports: list of booleans (port holds a request)."""
        r = self.rng
        regs = []
        w = self.w
        self.props = []

        def r32(k, spaces=' '):
            v = r.getrandbits(32)
            w('  %s:%s0x%08x\n' % (k, spaces, v))
            regs.append(reg(k, v))

        if self.mode == 'hex':
            w('%s command stream:\n' % name)
        else:
            w('%s command stream:\n' % name)
        r32('CCID', '  ')
        r32('START', ' ')
        head, rqh = r.getrandbits(32), r.getrandbits(32)
        w('  HEAD:  0x%08x [0x%08x]\n' % (head, rqh))
        regs.append(reg('HEAD', head))
        self.props.append(['HEAD request', '[0x%08x]' % rqh])
        tail = r.getrandbits(32)
        rqt = '[0x%08x, 0x%08x]' % (r.getrandbits(32), r.getrandbits(32))
        w('  TAIL:  0x%08x %s\n' % (tail, rqt))
        regs.append(reg('TAIL', tail))
        self.props.append(['TAIL request', rqt])
        r32('CTL', '   ')
        r32('MODE', '  ')
        r32('HWS', '   ')
        acthd = r.getrandbits(48) if batch is None else batch[0] + r.randrange(0, batch[1], 4)
        w('  ACTHD: 0x%08x %08x\n' % (acthd >> 32, acthd & 0xffffffff))
        regs.append(reg('ACTHD', acthd, 64))
        r32('IPEIR')
        r32('IPEHR')
        r32('ESR', '   ')
        r32('INSTDONE')
        if name.startswith('rcs'):
            r32('SC_INSTDONE')
            r32('SC_INSTDONE_EXTRA')
            r32('SC_INSTDONE_EXTRA2')
            for s in range(1):
                for ss in range(2):
                    r32('SAMPLER_INSTDONE[%d][%d]' % (s, ss))
            for s in range(1):
                for ss in range(2):
                    r32('ROW_INSTDONE[%d][%d]' % (s, ss))
        if batch is not None:
            start, size = batch
            end = start + size
            bl = '[0x%08x_%08x, 0x%08x_%08x]' % (start >> 32, start & 0xffffffff,
                                                 end >> 32, end & 0xffffffff)
            w('  batch: %s\n' % bl)
            self.props.append(['batch', bl])
        bb = r.getrandbits(48)
        w('  BBADDR: 0x%08x_%08x\n' % (bb >> 32, bb & 0xffffffff))
        regs.append(reg('BBADDR', bb, 64))
        r32('BB_STATE')
        r32('INSTPS')
        r32('INSTPM')
        fa = r.getrandbits(48)
        w('  FADDR: 0x%08x %08x\n' % (fa >> 32, fa & 0xffffffff))
        regs.append(reg('FADDR', fa, 64))
        r32('RC PSMI')
        r32('FAULT_REG')
        if self.mode != 'hex':
            for k in ('NOPID', 'EXCC', 'CMD_CCTL', 'CSCMDOP', 'CTX_SR_CTL', 'DMA_FADDR_HI',
                      'DMA_FADDR_LO'):
                r32(k)
        r32('GFX_MODE')
        for i in range(4):
            v = r.getrandbits(40)
            w('  PDP%d: 0x%016x\n' % (i, v))
            regs.append(reg('PDP%d' % i, v, 64))
        for n, busy in enumerate(ports):
            w('  ELSP[%d]:' % n)
            if busy:
                rq = self.request()
                w(rq)
                self.props.append(['ELSP[%d]' % n, rq.strip()])
            else:
                self.props.append(['ELSP[%d]' % n, ''])
        return regs

    def engine_tail(self, name, hung, comm, pid):
        w = self.w
        rc = self.rng.randint(0, 3)
        ctx = '%s[%d] prio %d, guilty %d active %d, runtime total %dns, avg %dns' % (
            comm, pid, 0, hung, 0, self.rng.getrandbits(30), self.rng.getrandbits(20))
        seq = self.rng.getrandbits(16)
        w('  hung: %u\n' % hung)
        w('  engine reset count: %u\n' % rc)
        w('  Active context: %s\n' % ctx)
        w('  context timeline seqno %u\n' % seq)
        self.props += [['hung', '%u' % hung], ['engine reset count', '%u' % rc],
                       ['Active context', ctx], ['context timeline seqno %u' % seq, '']]

    def obj(self, engine, kind, data, address=None, page_sizes=False):
        address = self.addr(len(data) // PAGE) if address is None else address
        hdr_off = self.pos()
        if self.mode == 'hex' and kind == 'batch':
            pass
        self.w('%s --- %s = 0x%08x %08x\n' % (engine, kind, address >> 32, address & 0xffffffff))
        if page_sizes:
            self.w('gtt_page_sizes = 0x%08x\n' % 0x10000)
        data_off = self.pos()
        if self.mode == 'zlib':
            self.w(':' + i915_compress(data) + '\n')
        elif self.mode == 'raw':
            self.w('~' + a85(data) + '\n')
        else:
            lines = []
            for i in range(0, len(data), 4):
                lines.append('%08x :  %08x\n' % (i, struct.unpack_from('<I', data, i)[0]))
            self.w(''.join(lines))
        length = len(data) if self.mode in ('raw', 'hex') else None
        if kind == 'batch' and self.mode != 'hex' and not self.guc:
            length = len(data)  # from the engine's "batch: [start, end]" line
        self.truth.vma(address, length, kind, engine, data)
        self.objects.append({'header': hdr_off, 'data': data_off, 'end': self.pos(),
                             'address': address, 'kind': kind, 'engine': engine})
        return address

    def text(self):
        return ''.join(self.out)


def batch_contents(rng, pages):
    # MI_NOOPs, some random dwords, MI_SEMAPHORE_WAIT-ish, then MI_BATCH_BUFFER_END, zero tail
    words = []
    n = pages * PAGE // 4
    body = rng.randint(16, n // 2)
    for _ in range(body):
        words.append(rng.choice([0, 0x1c000002, rng.getrandbits(32), 0x7a000004]))
    words.append(0x05000000)
    words.extend([0] * (n - len(words)))
    return struct.pack('<%dI' % n, *words)


def gen_i915(rng, mode):
    g = I915Gen(rng, mode)
    comm, pid = 'glxgears', rng.randint(100, 65535)
    g.header('TIGERLAKE', 0x9a49, 0x01, comm, pid, 1)
    engines = [('rcs0', [True, False], 1), ('bcs0', [False, False], 0), ('vcs0', [True, True], 0)]
    if mode == 'hex':
        engines = [('render ring', [], 1), ('blitter ring', [], 0)]
    for name, ports, hung in engines:
        batch = None
        batch_pages = rng.randint(1, 2)
        if hung:
            batch_addr = g.addr(batch_pages)
            batch = (batch_addr, batch_pages * PAGE)
        regs = g.engine_block(name, ports, batch)
        cls, inst = i915_class(name)
        g.truth['engines'].append({'name': name, 'class': cls, 'instance': inst, 'registers': regs})
        g.engine_tail(name, hung, comm, pid)
        g.truth['engines'][-1]['properties'] = g.props
        if mode != 'hex':
            g.obj(name, 'WA context', random_words(rng, PAGE))
            g.obj(name, 'HW Status', random_words(rng, PAGE, 0.8))
        g.obj(name, 'ring', random_words(rng, PAGE * rng.randint(1, 4), 0.5), page_sizes=(mode != 'hex'))
        g.obj(name, 'HW context', random_words(rng, PAGE * 2, 0.6))
        if batch:
            g.obj(name, 'batch', batch_contents(rng, batch_pages), address=batch[0])
            if mode != 'hex':
                g.obj(name, 'user', random_words(rng, PAGE * rng.randint(1, 3)))
    g.w('GuC timestamp: 0x%08x\n' % rng.getrandbits(32))
    g.w('GuC CTB fence: %d\n' % rng.randint(0, 1000))
    g.w('i915.enable_guc: 0\n')
    g.w('i915.error_capture: yes\n')
    return g


# ---- i915 error states for the differential test against IGT's intel_error_decode ----------

# (graphics version as the model writes it (4.5 -> 405), PCI id IGT knows, platform, era): one
# device per generation IGT decodes.
IGT_DEVICES = [
    (200, 0x3577, 'I830', 'hex'),
    (300, 0x2772, 'I945G', 'hex'),
    (400, 0x29a2, 'I965G', 'hex'),
    (405, 0x2a42, 'GM45', 'hex'),
    (500, 0x0046, 'IRONLAKE', 'hex'),
    (600, 0x0116, 'SANDYBRIDGE', 'zlib'),
    (700, 0x0166, 'IVYBRIDGE', 'zlib'),
    (705, 0x0416, 'HASWELL', 'zlib'),
    (800, 0x1616, 'BROADWELL', 'zlib'),
    (900, 0x1916, 'SKYLAKE', 'zlib'),
    (1100, 0x8a52, 'ICELAKE', 'zlib'),
    (1200, 0x9a49, 'TIGERLAKE', 'zlib'),
]

# How often each command appears in a batch, beside every other command of the table at weight 1:
# real batches are mostly state, flushes, register writes and draws.
IGT_WEIGHTS = {'MI_NOOP': 30, 'PIPE_CONTROL': 30, '3DPRIMITIVE': 15, 'MI_LOAD_REGISTER_IMM': 15,
               'MI_STORE_DATA_IMM': 8, 'MI_FLUSH': 10, 'MI_FLUSH_DW': 10,
               'MI_BATCH_BUFFER_START': 3, 'XY_SRC_COPY_BLT': 10, 'XY_COLOR_BLT': 10,
               'XY_FAST_COPY_BLT': 10, 'XY_BLOCK_COPY_BLT': 5}
# Never in a generated batch: the end is placed by the generator, and these lengths depend on
# the body (an index list up to a terminator) or are the pre-gen6 display/overlay commands.
IGT_SKIP = {'MI_BATCH_BUFFER_END', 'MI_BATCH_BUFFER', 'MI_OVERLAY_FLIP'}


def igt_command(rng, d):
    """Header and body of one command of def d: the nominal length where the description gives
    one, else a short random length; body dwords random, a third zero."""
    if d['len_mask'] == 0:
        length = d['fixed']
    elif d['nominal']:
        length = d['nominal']
    else:
        length = d['bias'] + rng.randint(0, min(d['len_mask'], 14))
    length = max(length, 1)
    h = d['match']
    if d['len_mask']:
        h |= (length - d['bias']) & d['len_mask']
    words = [h]
    for _ in range(length - 1):
        words.append(0 if rng.random() < 0.33 else rng.getrandbits(32))
    return words


def igt_batch(rng, defs, n_cmds, ver):
    import igt_compare
    pool = [d for d in defs if d['name'] not in IGT_SKIP and d['hook'] != 'GD_HOOK_PRIM_GEN2_3'
            and not igt_compare.igt_excluded(d['name'], ver)]
    weights = [IGT_WEIGHTS.get(d['name'], 1) for d in pool]
    words = []
    for d in rng.choices(pool, weights, k=n_cmds):
        words += igt_command(rng, d)
    words.append(0x05000000)  # MI_BATCH_BUFFER_END
    while len(words) % (PAGE // 4):
        words.append(0)
    return struct.pack('<%dI' % len(words), *words)


def gen_i915_igt(rng, ver, pci_id, platform, mode, defs_all):
    import cmd_tables
    g = I915Gen(rng, mode)
    comm, pid = 'glxgears', rng.randint(100, 65535)
    g.header(platform, pci_id, 0x01, comm, pid, 1)
    engines = [('render', 'rcs0' if mode != 'hex' else 'render ring')]
    if ver >= 600:
        engines.append(('copy', 'bcs0' if mode != 'hex' else 'blitter ring'))
    batches = []
    for cls, name in engines:
        data = igt_batch(rng, cmd_tables.for_version(defs_all, ver, cls), rng.randint(150, 400), ver)
        addr = g.addr(len(data) // PAGE)
        regs = g.engine_block(name, [] if mode == 'hex' else [True, False], (addr, len(data)))
        _, inst = i915_class(name)
        g.truth['engines'].append({'name': name, 'class': cls, 'instance': inst, 'registers': regs})
        g.engine_tail(name, 1 if cls == 'render' else 0, comm, pid)
        g.truth['engines'][-1]['properties'] = g.props
        g.obj(name, 'batch', data, address=addr)
        batches.append({'address': '0x%x' % addr, 'engine': cls, 'size': len(data)})
    return g, batches


def main_igt(args):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import cmd_tables
    stamp = None
    if '--stamp' in args:
        i = args.index('--stamp')
        stamp = args[i + 1]
        del args[i:i + 2]
    outdir = args[0]
    seed = int(args[1]) if len(args) > 1 else 20251208
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    defs = cmd_tables.load()
    listing = []
    for ver, pci_id, platform, mode in IGT_DEVICES:
        for k in range(2):
            g, batches = gen_i915_igt(rng, ver, pci_id, platform, mode, defs)
            name = 'i915-igt-%d-%d.txt' % (ver, k)
            path = os.path.join(outdir, name)
            with open(path, 'w') as f:
                f.write(g.text())
            os.chmod(path, 0o640)
            listing.append({'file': name, 'version': '%d.%d' % (ver // 100, ver % 100),
                            'pci_id': '0x%04x' % pci_id, 'batches': batches})
    with open(os.path.join(outdir, 'igt.json'), 'w') as f:
        json.dump(listing, f, indent=1)
    if stamp:
        with open(stamp, 'w') as f:
            f.write('%d IGT fixtures in %s\n' % (len(listing), outdir))


def gen_i915_v44(rng):
    """The v4.4 layout: short engine names in the register blocks ("render command stream:"),
    "<ring> --- gtt_offset" batches decorated with the process, "%08x :  %08x" word lines,
    "[%04x] %08x %08x %08x %08x" lines for the status and semaphore pages."""
    g = I915Gen(rng, 'hex')
    t = g.truth
    comm, pid = 'Xorg', rng.randint(100, 65535)
    t['reason'] = 'GPU HANG: ecode 8:0:0x%08x, in %s [%d], reason: Ring hung, action: reset' % (
        rng.getrandbits(32), comm, pid)
    t['process_name'] = comm
    t['pid'] = pid
    t['kernel'] = '4.4.0-%d-generic' % rng.randint(1, 99)
    t['pci_id'] = 0x1616
    w = g.w
    w(t['reason'] + '\n')
    w('Time: 1460000000 s 123456 us\n')
    w('Kernel: %s\n' % t['kernel'])
    w('Active process (on ring render ring): %s [%d]\n' % (comm, pid))
    w('Reset count: 0\n')
    w('Suspend count: 1\n')
    w('PCI ID: 0x%04x\n' % 0x1616)
    w('IOMMU enabled?: 0\n')
    w('EIR: 0x00000000\n')
    w('IER: 0x02408000\n')
    w('PGTBL_ER: 0x00000000\n')
    w('FORCEWAKE: 0x00000001\n')
    w('DERRMR: 0x00000000\n')
    w('CCID: 0x00000000\n')
    w('Missed interrupts: 0x00000000\n')
    w('  fence[0] = 00000000\n')
    rings = [('render', 'render ring'), ('blt', 'blitter ring')]
    for short, _ in rings:
        w('%s command stream:\n' % short)
        regs = []
        for k in ('START', 'HEAD', 'TAIL', 'CTL', 'HWS'):
            v = rng.getrandbits(32)
            w('  %s: 0x%08x\n' % (k, v))
            regs.append(reg(k, v))
        a = rng.getrandbits(40)
        w('  ACTHD: 0x%08x %08x\n' % (a >> 32, a & 0xffffffff))
        regs.append(reg('ACTHD', a, 64))
        for k in ('IPEIR', 'IPEHR', 'INSTDONE', 'INSTPS'):
            v = rng.getrandbits(32)
            w('  %s: 0x%08x\n' % (k, v))
            regs.append(reg(k, v))
        bb = rng.getrandbits(40)
        w('  BBADDR: 0x%08x_%08x\n' % (bb >> 32, bb & 0xffffffff))
        regs.append(reg('BBADDR', bb, 64))
        w('  waiting: %s\n' % rng.choice(['yes', 'no']))
        w('  ring->head: 0x%08x\n' % rng.getrandbits(16))
        w('  ring->tail: 0x%08x\n' % rng.getrandbits(16))
        w('  hangcheck: %s [%d]\n' % ('hung', rng.randint(0, 40)))
        cls, inst = i915_class(short)
        t['engines'].append({'name': short, 'class': cls, 'instance': inst, 'registers': regs})

    def quads(data):
        out = []
        for i in range(0, len(data), 16):
            out.append('[%04x] %08x %08x %08x %08x\n' % ((i,) + struct.unpack_from('<4I', data, i)))
        return ''.join(out)

    def words(data):
        return ''.join('%08x :  %08x\n' % (i, struct.unpack_from('<I', data, i)[0])
                       for i in range(0, len(data), 4))

    def obj(header, engine, kind, data, printer, addr):
        g.objects.append({'header': g.pos(), 'address': addr, 'kind': kind, 'engine': engine})
        w(header + '\n')
        g.objects[-1]['data'] = g.pos()
        w(printer(data))
        g.objects[-1]['end'] = g.pos()
        t.vma(addr, len(data), kind, engine, data)

    for i, (short, ring) in enumerate(rings):
        name = short  # the decoder files "render ring" objects under the "render" engine
        a = g.addr(1)
        data = batch_contents(rng, 1)
        hdr = '%s (%s [%d]) --- gtt_offset = 0x%08x %08x' % (ring, comm, pid, a >> 32, a & 0xffffffff) \
            if i == 0 else '%s --- gtt_offset = 0x%08x %08x' % (ring, a >> 32, a & 0xffffffff)
        obj(hdr, name, 'batch', data, words, a)
        if i == 0:
            a = g.addr(1) & 0xffffffff
            obj('%s (w/a) --- gtt_offset = 0x%08x' % (ring, a), name, 'WA batch',
                random_words(rng, PAGE), words, a)
        w('%s --- 2 requests\n' % ring)
        for _ in range(2):
            w('  seqno 0x%08x, emitted %d, tail 0x%08x\n' % (rng.getrandbits(32), rng.getrandbits(31),
                                                            rng.getrandbits(16)))
        a = g.addr(1) & 0xffffffff
        obj('%s --- ringbuffer = 0x%08x' % (ring, a), name, 'ring',
            random_words(rng, PAGE * 2, 0.5), words, a)
        a = g.addr(1) & 0xffffffff
        obj('%s --- HW Status = 0x%08x' % (ring, a), name, 'HW Status',
            random_words(rng, PAGE, 0.8), quads, a)
        a = g.addr(1) & 0xffffffff
        obj('%s --- HW Context = 0x%08x' % (ring, a), name, 'HW context',
            random_words(rng, PAGE, 0.6), words, a)
    a = g.addr(1) & 0xffffffff
    obj('Semaphore page = 0x%08x' % a, None, 'Semaphore page', random_words(rng, PAGE, 0.9),
        quads, a)
    w('Display power wells: 0x00000001\n')
    return g


def gen_i915_guc(rng):
    """DG2: GuC submission, the engine block replaced by the GuC error-capture node."""
    g = I915Gen(rng, 'zlib', guc=True)
    comm, pid = 'vkcube', rng.randint(100, 65535)
    g.header('DG2', 0x56a0, 0x08, comm, pid, 0x11)
    for name, hung, missing in (('rcs0', 1, False), ('ccs0', 1, False), ('bcs0', 0, True)):
        cls, inst = i915_class(name)
        regs = []
        g.props = []
        if missing:
            g.w('  Missing GuC capture node for %s\n' % name)
        else:
            g.w('global --- GuC Error Capture on %s command stream:\n' % name)
            g.w('    Coverage:  %s\n' % rng.choice(['full-capture', 'partial-capture']))
            for lt in ('Global', 'Engine-Class', 'Engine-Instance'):
                g.w('    RegListType: %s\n' % lt)
                g.w('      Owner-Id: %d\n' % 0)
                g.props += [['RegListType', lt], ['Owner-Id', '0']]
                if lt == 'Engine-Class':
                    g.w('    GuC-Eng-Class: %d\n' % 0)
                    g.w('    i915-Eng-Class: %d\n' % 0)
                if lt == 'Engine-Instance':
                    g.w('    i915-Eng-Name: %s command stream\n' % name)
                    g.w('    i915-Eng-Inst-Class: 0x%02x\n' % 0)
                    g.w('    i915-Eng-Inst-Id: 0x%02x\n' % inst)
                    g.w('    i915-Eng-LogicalMask: 0x%08x\n' % 1)
                    g.w('    GuC-Context-Id: 0x%08x\n' % rng.getrandbits(16))
                    lrca = '0x%08x' % rng.getrandbits(32)
                    g.w('    LRCA: %s\n' % lrca)
                    g.props.append(['LRCA', lrca])
                names = {'Global': ['FORCEWAKE_GT', 'GEN12_AUX_ERR_DBG', 'GEN12_GAM_DONE'],
                         'Engine-Class': ['SFC_DONE[0]', 'SAMPLER_INSTDONE[0][0]',
                                          'SAMPLER_INSTDONE[0][1]', 'ROW_INSTDONE[0][0]'],
                         'Engine-Instance': ['RING_ESR', 'RING_EMR', 'RING_EIR', 'RING_IMR',
                                             'IPEHR', 'RING_INSTDONE', 'RING_HEAD',
                                             'RING_TAIL', 'RING_CTL', 'RING_ACTHD',
                                             'RING_ACTHD_UDW', 'RING_BBADDR',
                                             'REG-0x%08x' % rng.getrandbits(16)]}[lt]
                g.w('    NumRegs: %d\n' % len(names))
                for n in names:
                    v = rng.getrandbits(32)
                    g.w('      %s:  0x%08x\n' % (n, v))
                    regs.append(reg(n, v))
        g.truth['engines'].append({'name': name, 'class': cls, 'instance': inst, 'registers': regs})
        g.engine_tail(name, hung, comm, pid)
        g.truth['engines'][-1]['properties'] = g.props
        if not missing:
            g.obj(name, 'ring', random_words(rng, PAGE * 2, 0.5))
            g.obj(name, 'HW context', random_words(rng, PAGE * 3, 0.6))
            g.obj(name, 'batch', batch_contents(rng, 1))
    g.w('GuC firmware: i915/dg2_guc_70.bin\n')
    g.w('\tstatus: RUNNING\n')
    g.w('GuC timestamp: 0x%08x\n' % rng.getrandbits(32))
    g.obj('global', 'GuC log buffer', random_words(rng, PAGE * 4, 0.7))
    g.w('GuC CTB fence: %d\n' % rng.randint(0, 1000))
    g.obj('global', 'GuC CT buffer', random_words(rng, PAGE * 2, 0.7))
    return g


# ------------------------------------------------------------------------------------------
# amdgpu

def gen_amdgpu(rng):
    t = Truth('amdgpu')
    out = []
    w = out.append
    kernel = '6.10.%d-arch1-1' % rng.randint(0, 14)
    comm, pid = 'steam', rng.randint(100, 65535)
    dev, rev = 0x73bf, 0xc1
    t['kernel'] = kernel
    t['driver'] = 'amdgpu'
    t['process_name'] = comm
    t['pid'] = pid
    t['pci_id'] = dev
    t['pci_revision'] = rev
    w('**** AMDGPU Device Coredump ****\n')
    w('version: 1\n')
    w('kernel: %s\n' % kernel)
    w('module: amdgpu\n')
    w('time: %d.%09d\n' % (rng.randint(100, 99999), rng.randint(0, 999999999)))
    w('process_name: %s PID: %d\n' % (comm, pid))
    w('\nSOC Information\n')
    w('SOC Device id: %d\n' % dev)
    w('SOC PCI Revision id: %d\n' % rev)
    w('SOC Family: %d\n' % 143)
    w('SOC Revision id: %d\n' % 0)
    w('SOC External Revision id: %d\n' % 40)
    w('\nSOC Memory Information\n')
    w('real vram size: %d\n' % (16 << 30))
    w('visible vram size: %d\n' % (256 << 20))
    w('gtt size: %d\n' % (8 << 30))
    w('\nGDS Config\n')
    w('gds: total size: %d\n' % 4096)
    w('gds: compute partition size: %d\n' % 4096)
    w('gds: gws per compute partition: %d\n' % 64)
    w('gds: os per compute partition: %d\n' % 16)
    w('\nHW IP Version Information\n')
    w('HWIP: GC[1][0]: v10.3.0.0.0\n')
    w('HWIP: SDMA0[5][0]: v5.2.0.0.0\n')
    w('\nIP Firmwares\n')
    w('VCE feature version: 0, fw version: 0x00000000\n')
    w('MEC feature version: 35, fw version: 0x%08x\n' % rng.getrandbits(16))
    w('\nVBIOS Information\n')
    w('vbios name       : NAVI21\n')
    ring_name = 'gfx_0.0.0'
    w('\nRing timed out details\n')
    w('IP Type: %d Ring Name: %s\n' % (0, ring_name))
    fault = rng.getrandbits(44) << 12
    status = rng.getrandbits(20)
    w('\n[gfxhub] Page fault observed\n')
    w('Faulty page starting at address: 0x%016x\n' % fault)
    w('Protection fault status register: 0x%x\n\n' % status)
    t['reason'] = 'ring %s timed out; gfxhub page fault at 0x%016x (status 0x%x)' % (ring_name, fault, status)
    w('IP Dump\n')
    # gfx_v10: "%-50s \t 0x%08x" core registers, then per-queue registers
    regs = []
    w('IP: gfx_v10_0\n')
    w('num_xcc: 1\n')
    for n in ('mmGRBM_STATUS', 'mmGRBM_STATUS2', 'mmCP_CPF_STATUS', 'mmCP_RB0_BASE',
              'mmCP_RB0_RPTR', 'mmCP_RB0_WPTR', 'mmCP_IB1_BASE_LO', 'mmCP_IB1_BASE_HI'):
        v = rng.getrandbits(32)
        w('%-50s \t 0x%08x\n' % (n, v))
        regs.append(reg(n, v))
    w('\nnum_mec: %d num_pipe: %d num_queue: %d\n' % (1, 1, 2))
    for q in range(2):
        w('\nmec %d, pipe %d, queue %d\n' % (1, 0, q))
        for n in ('mmCP_HQD_ACTIVE', 'mmCP_HQD_PQ_RPTR', 'mmCP_HQD_PQ_WPTR_LO'):
            v = rng.getrandbits(32)
            w('%-50s \t 0x%08x\n' % (n, v))
            regs.append(reg('mec1.pipe0.queue%d.%s' % (q, n), v))
    w('\n')
    t['engines'].append({'name': 'gfx_v10_0', 'class': 'other', 'instance': -1, 'registers': regs,
                         'properties': [['num_xcc', '1'], ['num_mec', '1'], ['num_pipe', '1'],
                                        ['num_queue', '2']]})
    regs = []
    w('IP: sdma_v5_2\n')
    for n in ('mmSDMA0_STATUS_REG', 'mmSDMA0_STATUS1_REG', 'mmSDMA0_GFX_RB_RPTR'):
        v = rng.getrandbits(32)
        w('%-50s \t 0x%08x\n' % (n, v))
        regs.append(reg(n, v))
    w('\n')
    t['engines'].append({'name': 'sdma_v5_2', 'class': 'other', 'instance': -1, 'registers': regs})
    w('Ring buffer information\n')
    for name, cls in ((ring_name, 'render'), ('comp_1.0.0', 'compute'), ('sdma0', 'copy')):
        dwords = rng.choice([64, 128])
        rptr, wptr = rng.getrandbits(20), rng.getrandbits(20)
        mask = dwords - 1
        w('ring name: %s\n' % name)
        w('Rptr: 0x%x Wptr: 0x%x RB mask: %x\n' % (rptr, wptr, mask))
        w('Ring size in dwords: %d\n' % dwords)
        w('Ring contents\n')
        w('Offset \t Value\n')
        data = random_words(rng, dwords * 4, 0.4)
        for j in range(0, dwords * 4, 4):
            w('0x%x \t 0x%x\n' % (j, struct.unpack_from('<I', data, j)[0]))
        t['engines'].append({'name': name, 'class': cls, 'instance': -1,
                             'registers': [reg('RPTR', rptr, 64), reg('WPTR', wptr, 64),
                                           reg('RB_MASK', mask)]})
        t['blobs'].append({'name': name, 'data': data.hex()})
    w('VRAM is lost due to GPU reset!\n')
    return ''.join(out), t


# ------------------------------------------------------------------------------------------
# msm

def msm_object(data):
    """adreno_show_object(): the ascii85 of the buffer cut after its last non-zero dword."""
    words = struct.unpack('<%dI' % (len(data) // 4), data)
    last = 0
    for i, v in enumerate(words):
        if v:
            last = i + 1
    return '    data: !!ascii85 |\n' + '     ' + a85(data[:last * 4]) + '\n'


def gen_msm(rng):
    t = Truth('msm')
    out = []
    w = out.append
    kernel = '6.9.%d' % rng.randint(0, 12)
    t['kernel'] = kernel
    t['driver'] = 'msm'
    t['process_name'] = 'deqp-vk'
    w('---\n')
    w('kernel: %s\n' % kernel)
    w('module: msm\n')
    w('time: %d.%09d\n' % (rng.randint(100, 99999), rng.randint(0, 999999999)))
    w('comm: deqp-vk\n')
    w('cmdline: ./deqp-vk --deqp-case=dEQP-VK.*\n')
    w('revision: 630 (6.3.0.2)\n')
    iova = rng.getrandbits(40) << 12
    w('fault-info:\n')
    w('  - ttbr0=%.16x\n' % rng.getrandbits(48))
    w('  - iova=%.16x\n' % iova)
    w('  - dir=WRITE\n')
    w('  - type=TRANSLATION\n')
    w('  - source=CP\n')
    t['reason'] = 'iova fault at 0x%.16x (WRITE, type=TRANSLATION, source=CP)' % iova
    status = rng.getrandbits(32)
    w('rbbm-status: 0x%08x\n' % status)
    gpu_regs = [reg('rbbm-status', status)]
    w('ringbuffer:\n')
    used = set()

    def newaddr(size):
        while True:
            a = (rng.getrandbits(28) << 12) | 0x100000000
            if all(abs(a - b) > 0x100000 for b in used):
                used.add(a)
                return a

    ring_engines = []
    for i in range(2):
        size = 4096 * rng.choice([1, 2])
        a = newaddr(size)
        seq = rng.getrandbits(16)
        rptr, wptr = rng.randrange(0, size // 4), rng.randrange(0, size // 4)
        w('  - id: %d\n' % i)
        w('    iova: 0x%016x\n' % a)
        w('    last-fence: %u\n' % seq)
        w('    retired-fence: %u\n' % (seq - 1))
        w('    rptr: %u\n' % rptr)
        w('    wptr: %u\n' % wptr)
        w('    size: %u\n' % size)
        if i == 0:
            data = random_words(rng, size // 2, 0.3) + bytes(size // 2)  # trailing zeros cut
        else:
            data = bytes(size)  # all zero: an empty data line
        w(msm_object(data))
        ring_engines.append({'name': 'ring%d' % i, 'class': 'render', 'instance': i,
                             'registers': [reg('iova', a, 64), reg('last-fence', seq),
                                           reg('retired-fence', seq - 1), reg('rptr', rptr),
                                           reg('wptr', wptr), reg('size', size)]})
        t.vma(a, size, 'ring', 'ring%d' % i, data)
    w('bos:\n')
    for i, (name, has_data) in enumerate((('cmdstream', True), ('vertex', True), ('texture', False))):
        size = 4096 * rng.randint(1, 3)
        a = newaddr(size)
        w('  - iova: 0x%016x\n' % a)
        w('    size: %d\n' % size)
        w('    flags: 0x%x\n' % rng.choice([0, 1, 3]))
        w('    name: %-32s\n' % name)
        if has_data:
            data = random_words(rng, size - 64, 0.3) + bytes(64)
            w(msm_object(data))
            t.vma(a, size, name, None, data)
        else:
            t.vma(a, size, name, None, None, read=-61)
    w('registers:\n')
    for i in range(12):
        off, v = rng.randrange(0, 0x3fff) << 2, rng.getrandbits(32)
        w('  - { offset: 0x%04x, value: 0x%08x }\n' % (off, v))
        gpu_regs.append(reg('0x%04x' % off, v))
    t['engines'] = [{'name': 'gpu', 'class': 'render', 'instance': -1, 'registers': gpu_regs}] + ring_engines
    return ''.join(out), t


# ------------------------------------------------------------------------------------------
# panfrost

def gen_panfrost(rng):
    t = Truth('panfrost')
    t['driver'] = 'panfrost'
    regs = [(r, rng.getrandbits(32)) for r in (0x0, 0x4, 0x8, 0x2c, 0x1000, 0x1004, 0x1008,
                                               0x2000, 0x2400, 0x2404)]
    bos = []
    for i in range(3):
        size = PAGE * rng.randint(1, 3)
        bos.append({'iova': (0x1000000 * (i + 1)) | (rng.getrandbits(8) << 12), 'size': size,
                    'data': random_words(rng, size, 0.3), 'valid': 0 if i == 1 else 1})
    n_pages = sum(b['size'] // PAGE for b in bos)
    n_obj = 2 + 1 + len(bos)
    hdr = bytearray()
    data = bytearray()
    base = n_obj * 2000

    def header(typ, payload, union):
        off = base + len(data)
        h = struct.pack('<IIII', 0x464E4150, typ, len(payload), off) + union
        h += bytes(2000 - len(h))
        data.extend(payload)
        hdr.extend(h)
        return off

    jc = rng.getrandbits(40)
    gpu_id = 0x7402
    reg_payload = b''.join(struct.pack('<II', r, v) for r, v in regs)
    header(0, reg_payload, struct.pack('<QIIIIQ', jc, gpu_id, 1, 0, 0, len(bos)))
    bomap = b''.join(struct.pack('<Q', rng.getrandbits(36) << 12) for _ in range(n_pages))
    header(1, bomap, b'')
    page = 0
    for b in bos:
        payload = b['data'] if b['valid'] else bytes(b['size'])
        header(2, payload, struct.pack('<IIQII', b['valid'], 0, b['iova'], page, 0))
        page += b['size'] // PAGE
        t.vma(b['iova'], b['size'], None, None, b['data'] if b['valid'] else None,
              read=0 if b['valid'] else -61)
    header(3, b'', b'')
    t['engines'] = [{'name': 'gpu', 'class': 'render', 'instance': -1,
                     'registers': [reg('0x%04x' % r, v) for r, v in regs]}]
    t['blobs'] = [{'name': 'BOMAP', 'data': bomap.hex()}]
    # one info diagnostic: the BO that was not mapped
    t['diagnostics'] = {'min': 1, 'max': 1}
    layout = {'n_obj': n_obj, 'hdr_size': 2000}
    return bytes(hdr + data), t, layout


def gen_etnaviv(rng):
    t = Truth('etnaviv')
    t['driver'] = 'etnaviv'
    regs = [(r, rng.getrandbits(32)) for r in (0x004, 0x00c, 0x010, 0x014, 0x018, 0x01c, 0x020,
                                               0x100, 0x104, 0x430, 0x660, 0x664, 0x668)]
    mmu = random_words(rng, PAGE, 0.5)
    ring_iova = 0x80000000 | (rng.getrandbits(12) << 12)
    ring = random_words(rng, PAGE * 4, 0.4)
    cmd_iova = 0x90000000 | (rng.getrandbits(12) << 12)
    cmd = random_words(rng, PAGE, 0.2)
    bos = []
    for i in range(3):
        size = PAGE * rng.randint(1, 2)
        bos.append((0x10000000 * (i + 1) | (rng.getrandbits(12) << 12), random_words(rng, size, 0.3)))
    n_pages = sum(len(d) // PAGE for _, d in bos)
    n_obj = 5 + len(bos) + 1
    hdr = bytearray()
    data = bytearray()
    base = n_obj * 32

    def header(typ, payload, iova=0, d0=0):
        off = base + len(data)
        hdr.extend(struct.pack('<IIIIQII', 0x414e5445, typ, off, len(payload), iova, d0, 0))
        data.extend(payload)

    header(0, b''.join(struct.pack('<II', r, v) for r, v in regs))
    header(1, mmu)
    header(2, ring, ring_iova)
    header(3, cmd, cmd_iova)
    bomap = b''.join(struct.pack('<Q', rng.getrandbits(36) << 12) for _ in range(n_pages))
    header(4, bomap)
    page = 0
    for iova, d in bos:
        header(5, d, iova, page)
        page += len(d) // PAGE
        t.vma(iova, len(d), 'bo', None, d)
    header(6, b'')
    t.vma(ring_iova, len(ring), 'ring', None, ring)
    t.vma(cmd_iova, len(cmd), 'cmd', None, cmd)
    t['engines'] = [{'name': 'gpu', 'class': 'render', 'instance': -1,
                     'registers': [reg('0x%04x' % r, v) for r, v in regs]}]
    t['blobs'] = [{'name': 'MMU', 'data': mmu.hex()}, {'name': 'BOMAP', 'data': bomap.hex()}]
    return bytes(hdr + data), t, {'n_obj': n_obj, 'hdr_size': 32}


# ------------------------------------------------------------------------------------------

def damaged(truth, keep_vmas=None, min_diags=1):
    """A truth for a damaged variant: header/engines as before, only the listed VMAs checked,
    at least min_diags diagnostics."""
    t = json.loads(json.dumps(truth.dump() if isinstance(truth, Truth) else truth))
    t['exact'] = False
    t['diagnostics'] = {'min': min_diags, 'max': None}
    if keep_vmas is not None:
        t['vmas'] = [v for v in t['vmas'] if keep_vmas(v)]
    return t


def main():
    args = sys.argv[1:]
    if args and args[0] == '--igt':
        return main_igt(args[1:])
    stamp = None
    if '--stamp' in args:
        i = args.index('--stamp')
        stamp = args[i + 1]
        del args[i:i + 2]
    outdir = args[0]
    seed = int(args[1]) if len(args) > 1 else 20251121
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    manifest = []

    def emit(name, content, truth):
        path = os.path.join(outdir, name)
        mode = 'wb' if isinstance(content, (bytes, bytearray)) else 'w'
        with open(path, mode) as f:
            f.write(content)
        os.chmod(path, 0o640)
        t = truth.dump() if isinstance(truth, Truth) else truth
        t['file'] = name
        with open(path + '.truth.json', 'w') as f:
            json.dump(t, f, indent=1)
        manifest.append(name)

    # i915, every era
    gens = {}
    for mode in ('zlib', 'raw', 'hex'):
        g = gen_i915(rng, mode)
        gens[mode] = g
        emit('i915-%s.txt' % mode, g.text(), g.truth)
    g = gen_i915_v44(rng)
    gens['v44'] = g
    emit('i915-v4.4.txt', g.text(), g.truth)
    g = gen_i915_guc(rng)
    emit('i915-guc.txt', g.text(), g.truth)
    e = Truth('i915')
    e['empty'] = True
    e['driver'] = 'i915'
    emit('i915-empty.txt', 'No error state collected\n', e)

    # i915 damage
    g = gens['zlib']
    text = g.text()
    batch = next(o for o in g.objects if o['kind'] == 'batch')
    # a character outside ascii85 inside the batch's data
    pos = batch['data'] + 1 + (batch['end'] - batch['data']) // 2
    bad = text[:pos] + '{' + text[pos + 1:]
    emit('i915-bad-char.txt', bad,
         damaged(g.truth, lambda v: int(v['address'], 16) != batch['address']))
    # truncated zlib: keep the first half of the encoded words of the ring object
    ring = next(o for o in g.objects if o['kind'] == 'ring')
    line = text[ring['data'] + 1:ring['end'] - 1]
    words = []
    i = 0
    while i < len(line):
        n = 1 if line[i] == 'z' else 5
        words.append(line[i:i + n])
        i += n
    cut = ':' + ''.join(words[:max(1, len(words) // 2)]) + '\n'
    trunc = text[:ring['data']] + cut + text[ring['end']:]
    emit('i915-truncated-zlib.txt', trunc,
         damaged(g.truth, lambda v: int(v['address'], 16) != ring['address']))
    # an object header whose address does not parse: that object is lost, with diagnostics
    user = next(o for o in g.objects if o['kind'] == 'user')
    hdr_line = text[user['header']:text.index('\n', user['header'])]
    bad_hdr = hdr_line.replace(' = 0x', ' = 0xZZ', 1)
    emit('i915-bad-header.txt', text[:user['header']] + bad_hdr + text[user['header'] + len(hdr_line):],
         damaged(dict(g.truth.dump(), vmas=[v for v in g.truth.dump()['vmas']
                                            if int(v['address'], 16) != user['address']]),
                 min_diags=2))
    # cut at every object boundary: after the header line, and inside the data line
    for k, o in enumerate(g.objects):
        before = {x['address'] for x in g.objects[:k]}
        keep = (lambda b: lambda v: int(v['address'], 16) in b)(before)
        hdr_end = text.index('\n', o['header']) + 1
        # engines printed after the cut are not there: check only header and VMAs
        emit('i915-cut-%02d-header.txt' % k, text[:hdr_end],
             damaged(dict(g.truth.dump(), engines=[]), keep))
        emit('i915-cut-%02d-data.txt' % k, text[:(o['data'] + o['end']) // 2],
             damaged(dict(g.truth.dump(), engines=[]), keep))
    # hex era: lines lost in the middle of an object
    h = gens['hex']
    htext = h.text()
    ho = h.objects[1]
    lines_start = ho['data']
    cut_a = lines_start + 21 * 10
    cut_b = lines_start + 21 * 20
    emit('i915-hex-gap.txt', htext[:cut_a] + htext[cut_b:],
         damaged(h.truth, lambda v: int(v['address'], 16) != ho['address']))
    # v4.4: every object cut off after a few of its lines
    h = gens['v44']
    htext = h.text()
    for k, o in enumerate(h.objects):
        before = {x['address'] for x in h.objects[:k]}
        cut = htext.index('\n', o['data'] + 100) + 1
        emit('i915-v4.4-cut-%02d.txt' % k, htext[:cut],
             damaged(dict(h.truth.dump(), engines=[]),
                     (lambda b: lambda v: int(v['address'], 16) in b)(before)))

    # amdgpu
    text, t = gen_amdgpu(rng)
    emit('amdgpu.txt', text, t)
    cut = text.index('Ring buffer information')
    cut = text.index('\n', text.index('0x10 \t', cut)) - 3
    emit('amdgpu-cut.txt', text[:cut], damaged(dict(t.dump(), blobs=[], engines=t['engines'][:2])))

    # msm
    text, t = gen_msm(rng)
    emit('msm.txt', text, t)
    bos_at = text.index('bos:\n')
    dpos = text.index('    data: !!ascii85 |\n', bos_at) + 22 + 5 + 7
    first_bo = int(text[text.index('iova: 0x', bos_at) + 8:text.index('iova: 0x', bos_at) + 24], 16)
    emit('msm-bad-char.txt', text[:dpos] + '\x7f' + text[dpos + 1:],
         damaged(t, lambda v: int(v['address'], 16) != first_bo))
    # a BO's data line lost: the BO has no contents, the next BO is still read
    dline = text.index('    data: !!ascii85 |\n', bos_at) + 22
    emit('msm-missing-data.txt', text[:dline] + text[text.index('\n', dline) + 1:],
         damaged(t, lambda v: int(v['address'], 16) != first_bo))
    emit('msm-cut.txt', text[:dpos + 40],
         damaged(dict(t.dump(), engines=t['engines'][1:]),
                 lambda v: v['kind'] == 'ring'))

    # panfrost
    blob, t, lay = gen_panfrost(rng)
    emit('panfrost.bin', blob, t)
    # bad magic in the second BO header (object 3): objects before it stay
    tt = t.dump()
    first_bo = tt['vmas'][0]
    bad = bytearray(blob)
    bad[3 * 2000:3 * 2000 + 4] = b'PANX'
    emit('panfrost-bad-magic.bin', bytes(bad),
         damaged(dict(tt, vmas=[first_bo]), lambda v: True))
    bad = bytearray(blob)
    struct.pack_into('<I', bad, 2 * 2000 + 12, len(blob) - 16)  # first BO offset past the end
    emit('panfrost-bad-offset.bin', bytes(bad), damaged(dict(tt, vmas=[]), lambda v: True))
    emit('panfrost-truncated.bin', blob[:len(blob) - 100],
         damaged(dict(tt, vmas=tt['vmas'][:1]), lambda v: True))
    emit('panfrost-cut-headers.bin', blob[:2000 + 1000],
         damaged(dict(tt, vmas=[], engines=[], blobs=[]), lambda v: True))

    # etnaviv
    blob, t, lay = gen_etnaviv(rng)
    emit('etnaviv.bin', blob, t)
    tt = t.dump()
    bad = bytearray(blob)
    bad[5 * 32:5 * 32 + 4] = b'ETNX'  # first BO header
    emit('etnaviv-bad-magic.bin', bytes(bad),
         damaged(dict(tt, vmas=[v for v in tt['vmas'] if v['kind'] in ('ring', 'cmd')]),
                 lambda v: True))
    bad = bytearray(blob)
    struct.pack_into('<I', bad, 2 * 32 + 12, 0x7fffffff)  # RING size past the end
    emit('etnaviv-bad-offset.bin', bytes(bad),
         damaged(dict(tt, vmas=[], blobs=tt['blobs'][:1]), lambda v: True))
    emit('etnaviv-truncated.bin', blob[:len(blob) - 8],
         damaged(dict(tt, vmas=[v for v in tt['vmas'] if v['kind'] in ('ring', 'cmd')]),
                 lambda v: True))

    with open(os.path.join(outdir, 'manifest.txt'), 'w') as f:
        f.write(''.join(m + '\n' for m in manifest))
    if stamp:
        with open(stamp, 'w') as f:
            f.write('%d fixtures in %s\n' % (len(manifest), outdir))


if __name__ == '__main__':
    main()
