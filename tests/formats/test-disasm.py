#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`gpudump disasm` over every fixture: each listing validates against
schemas/gpudump-disasm.schema.json, and holds together: buffers listed once, instructions
contiguous (each starts where the previous one's dwords end), every chained or second-level
batch led to by an MI_BATCH_BUFFER_START of a listed buffer at its `from` address, targeting the
buffer's address, and the text listing has one line per dword.

usage: test-disasm.py GPUDUMP VALIDATE SCHEMA OUT_DIR FIXTURE_DIR...
"""
import json, os, subprocess, sys


def main():
    tool, validate, schema, out_dir, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    os.makedirs(out_dir, exist_ok=True)
    failed, listed, buffers, instrs, paths = 0, 0, 0, 0, []

    def fail(msg):
        nonlocal failed
        print('FAIL ' + msg)
        failed += 1

    for d in dirs:
        for name in sorted(os.listdir(d)):
            if name.endswith('.json') or name in ('index.txt', 'manifest.txt'):
                continue
            path = os.path.join(d, name)
            p = subprocess.run([tool, 'disasm', '--json=short', path], capture_output=True)
            if p.returncode == 1 and b'not a GPU dump' in p.stderr:
                continue
            if p.returncode == 1 and b'holds' in p.stderr and b'--index' in p.stderr:
                continue  # several dumps: test-extract.py covers choosing
            if p.returncode != 0:
                fail('%s: exit %d: %s' % (name, p.returncode, p.stderr.decode(errors='replace')[:300]))
                continue
            lst = json.loads(p.stdout)
            out = os.path.join(out_dir, name + '.disasm.json')
            with open(out, 'wb') as f:
                f.write(p.stdout)
            paths.append(out)
            listed += 1
            starts = {}
            for b in lst['buffers']:
                buffers += 1
                if b['address'] in starts:
                    fail('%s: buffer %s listed twice' % (name, b['address']))
                starts[b['address']] = b
                at = int(b['address'], 16)
                for i in b['instructions']:
                    instrs += 1
                    if int(i['address'], 16) != at:
                        fail('%s: %s: instruction at %s, expected 0x%x' % (name, b['address'], i['address'], at))
                        break
                    at += 4 * len(i['dwords'])
                if at - int(b['address'], 16) > b['size']:
                    fail('%s: %s: instructions run past its %d bytes' % (name, b['address'], b['size']))
            by_addr = {i['address']: i for b in lst['buffers'] for i in b['instructions']}
            for b in lst['buffers']:
                if b['from'] is None:
                    continue
                src = by_addr.get(b['from'])
                if not src or src['name'] != 'MI_BATCH_BUFFER_START' or int(src['fields'].get('address', '0x0'), 16) != int(b['address'], 16):
                    fail('%s: %s is not led to by an MI_BATCH_BUFFER_START at %s' % (name, b['address'], b['from']))
            t = subprocess.run([tool, 'disasm', path], capture_output=True)
            n_dw = sum(len(i['dwords']) for b in lst['buffers'] for i in b['instructions'])
            got = sum(1 for l in t.stdout.decode(errors='replace').splitlines() if l.startswith('0x'))
            if t.returncode != 0 or got != n_dw:
                fail('%s: text lists %d dword lines (exit %d), JSON %d dwords' % (name, got, t.returncode, n_dw))
    for k in range(0, len(paths), 200):
        q = subprocess.run([validate, schema] + paths[k:k + 200], capture_output=True)
        if q.returncode != 0:
            fail('schema: %s' % q.stderr.decode(errors='replace')[:2000])
    print('%d dumps listed: %d buffers, %d instructions; %d failed' % (listed, buffers, instrs, failed))
    return 1 if failed or listed == 0 or instrs == 0 else 0


sys.exit(main())
