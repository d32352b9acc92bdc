#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Wrap every text fixture (xe matrix and the other formats) the way users paste dumps (mail
plain, quoted-printable, base64 MIME, "> " quoting, markdown fence, forum HTML with prose, dmesg,
syslog, journalctl short-precise/short-iso/short-monotonic, dmesg records wrapped at 700 characters,
CRLF, two dumps in one file) and
assert that `gpudump decode --all` finds each and decodes it as the bare fixture (report minus
size, source and diagnostic positions; same signature), that the report's `source` says where
(line range) and what was stripped, that two dumps without --index/--all are refused with a
message saying how to pick, and that --index 1 picks the second. Every report is validated
against the schema.

usage: test-extract.py GPUDUMP VALIDATE SCHEMA OUT_DIR FIXTURE_DIR...
"""
import base64, json, os, quopri, subprocess, sys, html

def run(tool, path, *args):
    p = subprocess.run([tool, 'decode', '--json=short'] + list(args) + [path], capture_output=True)
    if p.returncode != 0:
        raise RuntimeError('%s: gpudump decode %s exited %d: %s' % (path, ' '.join(args), p.returncode,
                                                                    p.stderr.decode(errors='replace')))
    return json.loads(p.stdout)

def norm(rep):
    rep = dict(rep)
    rep.pop('size', None)
    rep.pop('source', None)
    rep['diagnostics'] = [{k: v for k, v in d.items() if k not in ('offset', 'line')}
                          for d in rep.get('diagnostics', [])]
    return rep

def klog(lines, fmt):
    out = []
    for i, l in enumerate(lines):
        out.append(fmt(i) + l)
        if i % 9 == 4:
            out.append(fmt(i).replace('xe 0000:03:00.0: [drm] ', 'usb 1-1: ') + 'new high-speed USB device')
    return out

def wrap(lines, width):
    out = []
    for l in lines:
        while len(l) > width:
            out.append(l[:width])
            l = l[width:]
        out.append(l)
    return out

def forms(text):
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines = lines[:-1]
    body = '\n'.join(lines) + '\n'
    hdr = 'From: A User <user@example.org>\nTo: intel-xe@lists.example.org\nSubject: GPU hang\nDate: Mon, 07 Dec 2026 12:00:00 +0000\nMessage-ID: <1@example.org>\n'
    yield 'mail', hdr + '\nHello, the dump:\n\n' + body + '\nThanks,\nA.\n'
    qp = quopri.encodestring(body.encode()).decode()
    yield 'mail-qp', hdr + 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n' + qp
    b64 = base64.encodebytes(body.encode()).decode()
    yield 'mail-b64', (hdr + 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XYZ"\n\n--XYZ\n'
                       'Content-Type: text/plain\n\nSee the attachment, please.\n--XYZ\nContent-Type: text/plain; name="dump.txt"\n'
                       'Content-Transfer-Encoding: base64\n\n' + b64 + '--XYZ--\n')
    yield 'quoted', 'On Monday, A wrote:\n' + ''.join(('> > ' + l).rstrip(' ') + '\n' for l in lines) + '\nSee above, what is this?\n'
    yield 'fence', 'I got this after a freeze, any idea what it is?\n\n~~~text\n' + body + '~~~\n\nThe machine froze twice today.\n'
    yield 'forum', ('<p>My screen froze, here is the dump:</p>\n<pre>' + html.escape(body, quote=True) +
                    '</pre>\n<p>Thanks for any help, this happens every day.</p>\n')
    yield 'dmesg', '\n'.join(klog(lines, lambda i: '[%6d.%06d] xe 0000:03:00.0: [drm] ' % (100 + i // 50, i))) + '\n'
    # printk's record limit: a long line (a blob) continues in further records of the same source.
    yield 'dmesg-wrapped', '\n'.join(klog(wrap(lines, 700), lambda i: '[%6d.%06d] xe 0000:03:00.0: [drm] ' % (100 + i // 50, i))) + '\n'
    # Mailers and editors trim trailing blanks: the empty messages' "[drm] " loses its space.
    yield 'dmesg-trimmed', '\n'.join(l.rstrip(' ') for l in klog(lines, lambda i: '[%6d.%06d] xe 0000:03:00.0: [drm] ' % (100 + i // 50, i))) + '\n'
    yield 'syslog', '\n'.join(klog(lines, lambda i: 'Dec  7 12:00:%02d myhost kernel: xe 0000:03:00.0: [drm] ' % (i % 60))) + '\n'
    yield 'journal-precise', '\n'.join(klog(lines, lambda i: 'Dec 07 12:00:01.%06d myhost kernel: xe 0000:03:00.0: [drm] ' % i)) + '\n'
    yield 'journal-iso', '\n'.join(klog(lines, lambda i: '2026-12-07T12:00:01+0000 myhost kernel: xe 0000:03:00.0: [drm] ')) + '\n'
    yield 'journal-monotonic', '\n'.join(klog(lines, lambda i: '[  123.%06d] myhost kernel: xe 0000:03:00.0: [drm] ' % i)) + '\n'
    yield 'crlf', ('Here it is, from the laptop today.\r\n\r\n```\r\n' + body.replace('\n', '\r\n') + '```\r\n')
    yield 'two', 'First one, from this morning.\n\n```\n' + body + '```\n\nSecond one, from tonight.\n\n```\n' + body + '```\n'

# Known open cases (to be fixed, listed so that nothing else regresses meanwhile).
KNOWN_OPEN = ()

def check_source(p, form, rep, index, count, n_lines):
    src = rep.get('source')
    if src is None:
        return 'no source object'
    if src['index'] != index or src['count'] != count:
        return 'source index/count %d/%d, want %d/%d' % (src['index'], src['count'], index, count)
    if not (1 <= src['first_line'] <= src['last_line'] <= n_lines):
        return 'source lines %d-%d outside the input\'s 1-%d' % (src['first_line'], src['last_line'], n_lines)
    if not src['stripped']:
        return 'source.stripped is empty'
    return None

def main():
    tool, validate, schema, out_dir, dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    os.makedirs(out_dir, exist_ok=True)
    failed = checked = 0
    to_validate = []

    def fail(msg):
        nonlocal failed
        print('FAIL ' + msg)
        failed += 1

    for d in dirs:
        for name in sorted(os.listdir(d)):
            if not name.endswith('.txt') or name in ('index.txt', 'manifest.txt'):
                continue
            raw = open(os.path.join(d, name), 'rb').read()
            try:
                text = raw.decode()
            except UnicodeDecodeError:
                continue
            if name.startswith(KNOWN_OPEN):
                print('known open, not checked: %s' % name)
                continue
            if not text.startswith(('**** ', 'GPU HANG', 'Time: ', 'Kernel: ', '---\n')):
                continue  # fixtures that are themselves embedded: their truth is elsewhere
            text = text.replace('\r\n', '\n')
            ref_path = os.path.join(out_dir, name + '.ref')
            with open(ref_path, 'w') as f:
                f.write(text if text.endswith('\n') else text + '\n')
            ref = run(tool, ref_path)
            if 'source' in ref:
                fail('%s: a bare dump has a source object' % ref_path)
            for form, wrapped in forms(text):
                p = os.path.join(out_dir, '%s.%s' % (name, form))
                with open(p, 'w', newline='') as f:
                    f.write(wrapped)
                n_lines = wrapped.count('\n') + (not wrapped.endswith('\n'))
                checked += 1
                try:
                    got = run(tool, p, '--all')
                except RuntimeError as e:
                    fail(str(e)); continue
                want_n = 2 if form == 'two' else 1
                if len(got) != want_n:
                    fail('%s: found %d dumps, want %d' % (p, len(got), want_n)); continue
                for i, g in enumerate(got):
                    why = check_source(p, form, g, i, want_n, n_lines)
                    if why:
                        fail('%s: dump %d: %s' % (p, i, why)); break
                    if g['signature'] != ref['signature'] or norm(g) != norm(ref):
                        fail('%s: decode differs from the bare fixture (stripped %s)' % (p, g['source']['stripped']))
                        break
                if form == 'two' and len(got) == 2:
                    if got[0]['source']['last_line'] >= got[1]['source']['first_line']:
                        fail('%s: the two dumps\' line ranges overlap' % p)
                    q = subprocess.run([tool, 'decode', '--json=short', p], capture_output=True)
                    err = q.stderr.decode(errors='replace')
                    if q.returncode != 1 or q.stdout or 'holds 2 dumps' not in err or '--index' not in err or '--all' not in err:
                        fail('%s: without --index or --all: exit %d, stderr %r (want 1 and how to pick)' % (p, q.returncode, err))
                    second = run(tool, p, '--index', '1')
                    if second != got[1]:
                        fail('%s: --index 1 is not the second dump of --all' % p)
                for i, g in enumerate(got):
                    vp = p + '.%d.json' % i
                    with open(vp, 'w') as f:
                        json.dump(g, f)
                    to_validate.append(vp)
    # Validate in batches (one process for many files).
    for k in range(0, len(to_validate), 200):
        q = subprocess.run([validate, schema] + to_validate[k:k + 200], capture_output=True)
        if q.returncode != 0:
            fail('schema: %s' % q.stderr.decode(errors='replace')[:2000])
    print('%d wrapped files, %d reports validated, %d failed' % (checked, len(to_validate), failed))
    return 1 if failed or checked == 0 else 0

sys.exit(main())
