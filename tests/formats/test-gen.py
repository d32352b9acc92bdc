#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hold gen-fixtures.py to facts independent of libgpudump, so the decoder tests cannot pass
on a mistake the generator and the decoder share:
- the kernel ascii85 equals Python's a85encode of the byte-swapped words (spec section 0.1),
  and the spec's sample words encode as documented;
- i915 ':' data decodes with Python's a85decode + zlib back to the object, and is padded to
  whole u32 words only on the last page;
- msm data is cut after the last non-zero dword;
- panfrost/etnaviv header sizes and magics match the uAPI layouts.
"""
import base64
import importlib.util
import os
import random
import struct
import sys
import zlib

sys.dont_write_bytecode = True
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('gen', os.path.join(here, 'gen-fixtures.py'))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


def swap(data):
    return b''.join(struct.pack('>I', w) for (w,) in struct.iter_unpack('<I', data))


def kernel_a85_decode(text):
    """Independent decoder: 'z' is a zero word, else 5 chars via a85decode of the group."""
    out = b''
    i = 0
    while i < len(text):
        if text[i] == 'z':
            out += b'\0\0\0\0'
            i += 1
            continue
        out += swap(base64.a85decode(text[i:i + 5]))
        i += 5
    return out


def main():
    failures = 0

    def check(cond, what):
        nonlocal failures
        if not cond:
            print('FAIL:', what)
            failures += 1

    # spec 0.1 sample words
    for word, text in ((0, 'z'), (1, '!!!!"'), (0xffffffff, 's8W-!'), (0x05000000, '"TSN&')):
        check(gen.a85(struct.pack('<I', word)) == text, 'a85(0x%x) == %s' % (word, text))
    rng = random.Random(7)
    for n in range(200):
        data = gen.random_words(rng, 4 * rng.randint(1, 300), 0.3)
        ref = base64.a85encode(swap(data)).decode()
        # Python writes 'z' for zero groups too, so the two must agree exactly
        check(gen.a85(data) == ref, 'a85 equals a85encode(byteswapped), buffer %d' % n)
        check(kernel_a85_decode(gen.a85(data)) == data, 'a85 round trip, buffer %d' % n)

    # i915 ':' objects
    for pages in (1, 2, 5):
        data = gen.random_words(rng, gen.PAGE * pages, 0.1)
        text = gen.i915_compress(data)
        raw = kernel_a85_decode(text)
        check(len(raw) % 4 == 0, 'i915 zlib output is whole words')
        d = zlib.decompressobj()
        out = d.decompress(raw)
        check(out == data, 'i915 zlib inflates back (%d pages)' % pages)
        check(d.eof and set(d.unused_data) <= {0} and len(d.unused_data) < 4,
              'i915 zlib: only zero padding (< 4 bytes) after the stream')

    # msm cut
    data = struct.pack('<6I', 1, 0, 2, 0, 0, 0)
    obj = gen.msm_object(data)
    check(obj == '    data: !!ascii85 |\n     ' + gen.a85(data[:12]) + '\n', 'msm cut')
    check(gen.msm_object(bytes(16)) == '    data: !!ascii85 |\n     \n', 'msm all zero')

    # binary layouts
    blob, t, lay = gen.gen_panfrost(random.Random(1))
    check(blob[:4] == b'PANF' and lay['hdr_size'] == 2000, 'panfrost magic / header size')
    for k in range(lay['n_obj']):
        magic, typ, size, off = struct.unpack_from('<IIII', blob, k * 2000)
        check(magic == 0x464E4150 and off + size <= len(blob), 'panfrost header %d' % k)
    check(struct.unpack_from('<I', blob, (lay['n_obj'] - 1) * 2000 + 4)[0] == 3, 'panfrost TRAILER last')
    blob, t, lay = gen.gen_etnaviv(random.Random(1))
    check(blob[:4] == b'ETNA' and lay['hdr_size'] == 32, 'etnaviv magic / header size')
    for k in range(lay['n_obj']):
        magic, typ, off, size = struct.unpack_from('<IIII', blob, k * 32)
        check(magic == 0x414e5445 and off + size <= len(blob), 'etnaviv header %d' % k)
    check(struct.unpack_from('<I', blob, (lay['n_obj'] - 1) * 32 + 4)[0] == 6, 'etnaviv END last')

    print('%d failures' % failures)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
