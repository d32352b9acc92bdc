#!/usr/bin/python3
"""End-to-end tests of the gpudump command (suite 'cli').

usage: test-cli.py GPUDUMP CASE

Each CASE runs the real binary on fixtures written by mkdump.py into a fresh temporary directory
and checks exit statuses, stdout/stderr, bytes and golden files. Every JSON report produced is
validated against schemas/gpudump-report.schema.json.
"""
import calendar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("GPUDUMP_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
REPORT_SCHEMA = os.path.join(SRC, "schemas", "gpudump-report.schema.json")
ENTRY_SCHEMA = os.path.join(SRC, "schemas", "gpudump-entry.schema.json")
DISASM_SCHEMA = os.path.join(SRC, "schemas", "gpudump-disasm.schema.json")
VALIDATE = os.path.join(SRC, "tests", "validate-json.py")
GOLDEN = os.path.join(HERE, "golden")

sys.path.insert(0, HERE)
import mkdump  # noqa: E402

GPUDUMP = None
TMP = None


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(*args, stdin=None, input_bytes=None, env=None):
    e = dict(os.environ)
    # Deterministic text: fixed zone, no colour, no pager, no bus of the host.
    e.update({"TZ": "UTC", "LC_ALL": "C", "NO_COLOR": "1", "PAGER": "cat"})
    e.pop("GPUDUMP_PAGER", None)
    for k, v in (env or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    p = subprocess.run([GPUDUMP, *args], stdin=stdin, input=input_bytes, capture_output=True,
                       env=e, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


_auto = [0]


def expect(rc_want, *args, **kw):
    rc, out, err = run(*args, **kw)
    check(rc == rc_want, f"gpudump {' '.join(args)}: exit {rc}, expected {rc_want}\nstderr: {err}")
    # Every JSON report any case produces is validated, not only those a case looks into.
    _auto[0] += 1
    if out.lstrip().startswith(b"{") and b'"schema_version"' in out:
        validate_bytes(out, f"auto-{_auto[0]}.json")
    elif out.startswith(b"## GPU hang"):
        validate_bytes(json_block(out), f"auto-{_auto[0]}.json")
    elif out.lstrip().startswith(b"{") and b'"buffers"' in out:
        validate_bytes(out, f"auto-{_auto[0]}.json", DISASM_SCHEMA)
    return out, err


def fixture(kind):
    path = os.path.join(TMP, kind + ".txt")
    if not os.path.exists(path):
        mkdump.main(["mkdump.py", kind, path])
    return path


def validate(path, schema=REPORT_SCHEMA):
    p = subprocess.run([PYTHON, VALIDATE, schema, path], capture_output=True, text=True)
    check(p.returncode == 0, f"{path} does not validate against {os.path.basename(schema)}:\n{p.stderr}")


def validate_bytes(data, name, schema=REPORT_SCHEMA):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    validate(path, schema)


def golden(name, data):
    path = os.path.join(GOLDEN, name)
    if os.environ.get("GPUDUMP_UPDATE_GOLDEN") == "1":
        # update-golden.sh: record instead of compare.
        with open(path, "wb") as f:
            f.write(data)
        print(f"updated golden/{name}")
        return
    with open(path, "rb") as f:
        want = f.read()
    if data != want:
        got = os.path.join(TMP, name)
        with open(got, "wb") as f:
            f.write(data)
        d = subprocess.run(["diff", "-u", path, got], capture_output=True, text=True).stdout
        raise Failure(f"output differs from golden/{name} (regenerate with tests/cli/update-golden.sh "
                      f"if the change is intended):\n{d[:4000]}")


def json_block(markdown):
    m = re.search(rb"```json\n(.*?)```\n", markdown, re.S)
    check(m is not None, "the report has no ```json block")
    return m.group(1)


# ---- cases ----

def case_exit_codes():
    expect(0, "decode", fixture("xe"))
    out, err = expect(1, "decode", fixture("notadump"))
    check(out == b"", "nothing on stdout for a non-dump")
    check("not a GPU dump" in err and "notadump.txt" in err, f"stderr names the file: {err}")
    out, err = expect(1, "decode", os.path.join(TMP, "missing.txt"))
    check("missing.txt" in err and "No such file" in err, f"stderr: {err}")
    expect(2, "decode")
    expect(2, "decode", "a", "b")
    expect(2)
    expect(2, "frobnicate")
    expect(2, "decode", "--json=yaml", fixture("xe"))
    expect(2, "decode", "--bogus", fixture("xe"))
    expect(2, "decode", "--text", "--json=short", fixture("xe"))
    expect(2, "list", "--vma", "1000")
    expect(2, "report", "--max-size", "ten", fixture("xe"))
    expect(2, "extract", fixture("xe"))                          # neither --vma nor --blob
    expect(2, "extract", fixture("xe"), "--vma", "xyz", "-o", os.path.join(TMP, "x"))
    expect(1, "report", fixture("notadump"))
    expect(1, "extract", fixture("notadump"), "--vma", "0", "-o", os.path.join(TMP, "x"))


def case_help():
    out, _ = expect(0, "--help")
    for verb in ("decode", "disasm", "extract", "report", "list", "info", "dump", "delete", "watch"):
        check(verb.encode() in out, f"--help lists {verb}")
        vout, _ = expect(0, verb, "--help")
        check(vout.startswith(b"Usage: gpudump " + verb.encode()), f"{verb} --help: {vout[:80]!r}")
    out, _ = expect(0, "--version")
    check(re.match(rb"gpudump \d+\.\d+\.\d+ \(report schema \d+\)\n$", out), f"--version: {out!r}")


def case_stdin():
    path = fixture("xe")
    want, _ = expect(0, "decode", "--json=short", path)
    with open(path, "rb") as f:
        # A pipe: the library must read to EOF.
        got, _ = expect(0, "decode", "--json=short", "-", input_bytes=f.read())
    check(got == want, "decode - (pipe) gives the same report as the file")
    with open(path, "rb") as f:
        got, _ = expect(0, "decode", "--json=short", "-", stdin=f)
    check(got == want, "decode - (regular file on stdin) gives the same report")
    validate_bytes(got, "stdin.json")
    _, err = expect(1, "decode", "-", input_bytes=b"hello\n")
    check("stdin" in err, f"stdin is named: {err}")


def case_json_modes():
    path = fixture("xe")
    short, _ = expect(0, "decode", path)               # not a tty: short by default
    check(short.count(b"\n") == 1, "default output off a tty is one line")
    pretty, _ = expect(0, "decode", "--json=pretty", path)
    check(pretty.count(b"\n") > 10, "pretty is indented")
    check(json.loads(short) == json.loads(pretty), "short and pretty are the same object")
    bare, _ = expect(0, "decode", "--json", path)
    check(bare == short, "bare --json off a tty is short")
    off, _ = expect(0, "decode", "--json=off", path)
    text, _ = expect(0, "decode", "--text", path)
    check(off == text, "--json=off is --text")
    validate_bytes(short, "short.json")
    withdata, _ = expect(0, "decode", "--json=short", "--include-vma-data", path)
    validate_bytes(withdata, "withdata.json")
    check(len(withdata) > len(short), "--include-vma-data adds contents")


def case_golden_decode():
    path = fixture("xe")
    out, _ = expect(0, "decode", "--json=pretty", path)
    validate_bytes(out, "golden-decode.json")
    golden("xe-decode.json", out)
    out, _ = expect(0, "decode", "--text", path)
    # The file name is the test's temporary path: neutralise it.
    golden("xe-decode.txt", out.replace(path.encode(), b"xe.txt"))


def case_golden_report():
    path = fixture("xe")
    out, _ = expect(0, "report", path)
    block = json_block(out)
    validate_bytes(block, "golden-report.json")
    golden("xe-report.md", out.replace(path.encode(), b"xe.txt"))
    js, _ = expect(0, "report", "--json=pretty", path)
    check(json.loads(js) == json.loads(block), "report --json is the JSON of the Markdown")
    dest = os.path.join(TMP, "report.md")
    out2, _ = expect(0, "report", path, "-o", dest)
    check(out2 == b"", "-o leaves stdout empty")
    with open(dest, "rb") as f:
        check(f.read() == out, "-o FILE holds the same document")
    check(os.stat(dest).st_mode & 0o777 == 0o640, "report file mode 0640")


def case_report_bounded():
    path = fixture("xe")
    full, _ = expect(0, "report", "--include-vma-data", path)
    check(len(full) > 24 * 1024, f"unbounded report with data is large ({len(full)})")
    out, err = expect(0, "report", "--include-vma-data", "--max-size", "24K", path)
    check(len(out) <= 24 * 1024, f"report bounded to 24K, got {len(out)}")
    check(b"leaves out" in out, "the Markdown says what was left out")
    block = json_block(out)
    validate_bytes(block, "bounded.json")
    rep = json.loads(block)
    notes = [d for d in rep["diagnostics"] if d["severity"] == "info" and "left out" in d["message"]]
    check(len(notes) == 1, f"one info diagnostic says the report is cut: {rep['diagnostics']}")
    # The default 10M bound leaves this small report whole.
    out, _ = expect(0, "report", "--include-vma-data", path)
    check(b"leaves out" not in out, "nothing dropped under the default bound")
    js, _ = expect(0, "report", "--json=short", "--include-vma-data", "--max-size", "16K", path)
    check(len(js) <= 16 * 1024, f"--json report bounded, got {len(js)}")
    validate_bytes(js, "bounded-short.json")


def case_embedded():
    """Dumps pasted into a post: found, said where, and of two none is guessed."""
    with open(fixture("xe"), "rb") as f:
        dump = f.read()
    post = os.path.join(TMP, "post.md")
    with open(post, "wb") as f:
        f.write(b"It froze twice.\n\n```\n" + dump + b"```\n\nAnd again:\n\n```\n" + dump + b"```\n")
    out, err = expect(1, "decode", post)
    check(out == b"" and "holds 2 dumps" in err and "--index N" in err and "--all" in err,
          f"two dumps are refused with how to pick: {err}")
    for verb in ("report", "disasm"):
        _, err = expect(1, verb, post)
        check("holds 2 dumps" in err, f"{verb} refuses too: {err}")
    bare = json.loads(expect(0, "decode", "--json=short", fixture("xe"))[0])
    both = json.loads(expect(0, "decode", "--json=short", "--all", post)[0])
    check(isinstance(both, list) and len(both) == 2, "--all: an array of two reports")
    for i, rep in enumerate(both):
        validate_bytes(json.dumps(rep).encode(), f"embedded-{i}.json")
        check(rep["signature"] == bare["signature"], "each decodes as the bare dump")
        check(rep["source"]["index"] == i and rep["source"]["count"] == 2, f"source: {rep['source']}")
    check(both[0]["source"]["first_line"] == 4 and both[0]["source"]["last_line"] < both[1]["source"]["first_line"],
          f"line ranges: {both[0]['source']} {both[1]['source']}")
    one = json.loads(expect(0, "decode", "--json=short", "--index", "1", post)[0])
    check(one == both[1], "--index 1 is the second of --all")
    text, _ = expect(0, "decode", "--text", "--index", "1", post)
    check(b"Found: lines %d-%d" % (one["source"]["first_line"], one["source"]["last_line"]) in text and
          b"--index 1" in text, f"the summary says where: {text[:400]}")
    md, _ = expect(0, "report", "--all", post)
    check(md.count(b"## GPU hang") == 2 and md.count(b"| Found at |") == 2, "report --all: both, each says where")
    arr = json.loads(expect(0, "report", "--json=pretty", "--all", post)[0])
    check(isinstance(arr, list) and [r["source"]["index"] for r in arr] == [0, 1], "report --json --all: an array")
    js, _ = expect(0, "report", "--json=short", "--index", "0", post)
    check(json.loads(js)["source"]["index"] == 0, "report --index 0")
    got, _ = expect(0, "extract", "--index", "1", "--vma", "0x1a0000000", post)
    check(got == mkdump.BATCH, "extract --index 1 reads the second dump's VMA")
    _, err = expect(1, "decode", "--index", "2", post)
    check("holds 2 dumps" in err, f"--index out of range: {err}")
    expect(2, "decode", "--index", "1", "--all", post)
    expect(2, "decode", "--index", "-1", post)
    expect(2, "list", "--all")
    # One dump in a mail: decoded without asking, the report says where and what was stripped.
    mail = b"From: a@example.org\nSubject: hang\n\nHello,\n\n" + dump + b"\nThanks,\nA.\n"
    rep = json.loads(expect(0, "decode", "--json=short", "-", input_bytes=mail)[0])
    check(rep["signature"] == bare["signature"] and rep["source"]["first_line"] == 6 and
          "mail headers" in rep["source"]["stripped"], f"mail: {rep.get('source')}")
    check("source" not in bare, "a bare dump has no source")


def case_disasm():
    """disasm: every instruction of every batch, chains followed, in JSON (schema) and text."""
    path = fixture("xe-chain")
    js, _ = expect(0, "disasm", "--json=pretty", path)
    validate_bytes(js, "disasm.json", DISASM_SCHEMA)
    golden("xe-chain-disasm.json", js)
    text, _ = expect(0, "disasm", path)
    golden("xe-chain-disasm.txt", text)
    lst = json.loads(js)
    got = [(b["kind"], b["address"], b["from"], b["end"]) for b in lst["buffers"]]
    want = [("batch", "0x1a0000000", None, "MI_BATCH_BUFFER_START"),
            ("second-level batch", "0x1c0000000", "0x1a0000000", "MI_BATCH_BUFFER_END"),
            ("chained batch", "0x1d0000000", "0x1a000000c", "MI_BATCH_BUFFER_END")]
    check(got == want, f"buffers, chains followed: {got}")
    names = [[i["name"] for i in b["instructions"]] for b in lst["buffers"]]
    check(names == [["MI_BATCH_BUFFER_START", "MI_BATCH_BUFFER_START"], ["MI_NOOP", "MI_BATCH_BUFFER_END"],
                    ["MI_SEMAPHORE_WAIT", "MI_BATCH_BUFFER_END"]], f"instructions: {names}")
    check(all(b["engine"] == "ccs0" for b in lst["buffers"]), "the blamed engine runs the job's batches")
    # The instruction object is the report's: same keys, same values for the hung instruction.
    rep = json.loads(expect(0, "decode", "--json=short", path)[0])
    hung = [i for b in lst["buffers"] for i in b["instructions"] if i["hung"]]
    window = [i for i in rep["analysis"]["hung_instruction"]["window"] if i["hung"]]
    check(len(hung) == 1 and hung == window, f"the hung instruction is the report's: {hung} vs {window}")
    with open(REPORT_SCHEMA) as f:
        rdef = json.load(f)["$defs"]["analysis"]["$defs"]["instruction"]
    with open(DISASM_SCHEMA) as f:
        ddef = json.load(f)["$defs"]["instruction"]
    strip = lambda d: {k: v for k, v in d.items() if k not in ("maxItems", "minItems", "description")}
    check(rdef["required"] == ddef["required"] and
          {k: strip(v) for k, v in rdef["properties"].items() if k not in ("address", "fields")} ==
          {k: strip(v) for k, v in ddef["properties"].items() if k not in ("address", "fields")},
          "the disasm schema's instruction is the report's")
    check(b"0x1d0000000: HUNG 0x0e00c002: MI_SEMAPHORE_WAIT" in text, "text marks the hung instruction")
    check(b"0x1a0000004:      0xc0000000:    dword 1" in text, "text lists every dword")
    # --vma: one buffer and what it leads to; an address nothing holds is an error.
    one = json.loads(expect(0, "disasm", "--json=short", "--vma", "0x1c0000000", path)[0])
    check([b["address"] for b in one["buffers"]] == ["0x1c0000000"], f"--vma: {one['buffers']}")
    mid = json.loads(expect(0, "disasm", "--json=short", "--vma", "1a000000c", path)[0])
    check([b["address"] for b in mid["buffers"]] == ["0x1a000000c", "0x1d0000000"],
          f"--vma inside a buffer starts there and follows its jump: {[b['address'] for b in mid['buffers']]}")
    _, err = expect(1, "disasm", "--vma", "0x42", path)
    check("0x42" in err, f"--vma outside the dump names the address: {err}")
    _, err = expect(2, "disasm", "--vma", "zz", path)
    # stdin, and a dump pasted into a mail: the same listing.
    with open(path, "rb") as f:
        data = f.read()
    got, _ = expect(0, "disasm", "--json=pretty", "-", input_bytes=data)
    check(got == js, "disasm - gives the listing of the file")
    mail = b"From: a@example.org\nSubject: hang\n\nHi, this froze:\n\n" + data + b"\nThanks,\nA.\n"
    got, _ = expect(0, "disasm", "--json=pretty", "-", input_bytes=mail)
    check(got == js, "a dump pasted into a mail lists the same")
    expect(1, "disasm", fixture("notadump"))


def case_extract():
    path = fixture("xe")
    out = os.path.join(TMP, "batch.bin")
    expect(0, "extract", path, "--vma", "0x1a0000000", "-o", out)
    with open(out, "rb") as f:
        check(f.read() == mkdump.BATCH, "VMA 0x1a0000000 bytes match what was encoded")
    check(os.stat(out).st_mode & 0o777 == 0o640, "extracted file mode 0640")
    got, _ = expect(0, "extract", path, "--vma", "1b0000000")   # no 0x, to a pipe
    check(got == mkdump.SEMA, "VMA 1b0000000 bytes on stdout")
    got, _ = expect(0, "extract", path, "--blob", "HWCTX")
    check(got == mkdump.HWCTX, "HWCTX blob bytes")
    got, _ = expect(0, "extract", path, "--blob", "LOG")
    check(got == mkdump.LOG, "LOG blob bytes")
    _, err = expect(1, "extract", path, "--vma", "0x1a0001000")
    check("no VMA" in err and "0x1a0000000" in err and "0x1b0000000" in err,
          f"a missing VMA lists those available: {err}")
    _, err = expect(1, "extract", path, "--blob", "NOPE")
    check("NOPE" in err, f"missing blob named: {err}")
    _, err = expect(1, "extract", fixture("xe-vmaerr"), "--vma", "0x1c0000000")
    check("error -14" in err, f"VMA error reported: {err}")
    _, err = expect(1, "extract", fixture("xe-damaged"), "--vma", "0x1a0000000")
    check(re.search(r"xe-damaged\.txt:offset \d+", err) and "damaged" in err,
          f"damaged encoding names file and offset: {err}")


def case_decode_damaged():
    path = fixture("xe-damaged")
    out, err = expect(0, "decode", "--json=short", "--include-vma-data", path)
    validate_bytes(out, "damaged.json")
    rep = json.loads(out)
    errors = [d for d in rep["diagnostics"] if d["severity"] == "error"]
    check(errors, "the damaged VMA is an error diagnostic")
    for d in errors:
        want = f"{path}:offset {d['offset']}"
        check(want in err, f"stderr carries '{want}': {err}")


def case_threads():
    """The report is byte-identical whatever the number of decoding threads (-j and
    GPUDUMP_THREADS), damaged VMAs included: their diagnostics come in VMA order."""
    import hashlib
    path = fixture("xe-threads")
    outs = {}
    for j in ("1", "2", "4"):
        outs["-j" + j], _ = expect(0, "decode", "--json=short", "-j", j, path)
    outs["env3"], _ = expect(0, "decode", "--json=short", path, env={"GPUDUMP_THREADS": "3"})
    outs["env1-j4"], _ = expect(0, "decode", "--json=short", "-j", "4", path, env={"GPUDUMP_THREADS": "1"})
    for k, v in outs.items():
        check(v == outs["-j1"], f"report with {k} differs from the one with -j 1")
    rep = json.loads(outs["-j1"])
    vmas = {v["address"]: v for v in rep["vmas"]}
    for i in range(8):
        v = vmas.get(f"0x{0x300000000 + i * 0x10000000:x}")
        check(v is not None, f"big VMA {i} in the report")
        if i in (2, 5, 7):
            check("sha256" not in v and v.get("damaged") is True, f"damaged VMA {i} has no hash: {v}")
        else:
            want = hashlib.sha256(mkdump.threads_vma_data(i)).hexdigest()
            check(v.get("sha256") == want, f"VMA {i} hash {v.get('sha256')}, expected {want}")
    errors = [d for d in rep["diagnostics"] if d["severity"] == "error"]
    check(len(errors) == 3, f"three damaged VMAs, three errors: {errors}")
    check([d["offset"] for d in errors] == sorted(d["offset"] for d in errors),
          f"errors come in VMA order: {errors}")
    check("invalid ascii85 character 0x7e" in errors[0]["message"] and
          "length mismatch" in errors[1]["message"] and
          "invalid ascii85 character 0x7f" in errors[2]["message"], f"the three errors: {errors}")
    _, err = expect(2, "decode", "-j", "0", path)
    check("--threads" in err, f"-j 0 is a usage error naming the option: {err}")
    _, err = expect(2, "list", "-j", "2")
    check("does not apply" in err, f"-j is only for decode and report: {err}")


# ---- the store (--store DIR), laid out by hand as docs/store.md says ----

def _usec(hour):
    return calendar.timegm((2026, 11, 21, hour, 15, 0, 0, 0, 0)) * 1000000


ENTRIES = [
    ("20261121T081500-1a2b3c4d-000001", _usec(8), "xe", "vkcube", 4321, "card0"),
    ("20261121T091500-1a2b3c4d-000002", _usec(9), "i915", "glxgears", 777, "card1"),
    ("20261121T101500-1a2b3c4d-000003", _usec(10), "xe", "blender", 99, "card0"),
]


def make_store():
    store = os.path.join(TMP, "store")
    os.makedirs(store, exist_ok=True)
    with open(fixture("xe"), "rb") as f:
        raw = f.read()
    for n, (eid, usec, driver, proc, pid, card) in enumerate(ENTRIES):
        zst = os.path.join(store, eid + ".zst")
        subprocess.run(["zstd", "-q", "-f", "-o", zst, fixture("xe")], check=True)
        os.chmod(zst, 0o640)
        meta = {
            "id": eid, "time": f"2026-11-21T{8 + n:02d}:15:00Z", "timestamp_usec": usec,
            "boot_id": "1a2b3c4d" + "0" * 24, "source": "devcoredump", "driver": driver,
            "devname": f"devcd{n}",
            "device": {"syspath": "/sys/devices/pci0000:00/0000:00:02.0", "pci_slot": "0000:00:02.0",
                       "vendor_id": "0x8086", "device_id": "0x64a0", "drm_card": card},
            "kernel": "6.16.0-xe-synthetic", "process": {"name": proc, "pid": pid},
            "reason": "Timedout job - seqno=4242, lrc_seqno=4242, guc_id=17, flags=0x0",
            "blamed_engine": "ccs0", "signature": "xe-%016x" % (0x1234 + n), "format": "xe",
            "size": len(raw), "compressed_size": os.path.getsize(zst), "state": "complete",
            "occurrences": 1, "last_occurrence": f"2026-11-21T{8 + n:02d}:15:00Z",
        }
        with open(os.path.join(store, eid + ".json"), "w") as f:
            json.dump(meta, f)
    # An incomplete entry (no metadata) is not an entry.
    shutil.copy(os.path.join(store, ENTRIES[0][0] + ".zst"),
                os.path.join(store, "20261121T111500-1a2b3c4d-000004.zst"))
    return store, raw


def case_store_list():
    store, _ = make_store()
    out, _ = expect(0, "list", "--store", store, "--json=short")
    arr = json.loads(out)
    check([e["id"] for e in arr] == [e[0] for e in ENTRIES], f"list ids oldest first: {arr}")
    for i, e in enumerate(arr):
        validate_bytes(json.dumps(e).encode(), f"entry{i}.json", ENTRY_SCHEMA)
    out, _ = expect(0, "list", "--store", store)
    golden("store-list.txt", out)
    out, _ = expect(0, "list", "--store", store, "--no-legend", "-r")
    lines = out.decode().splitlines()
    check(len(lines) == 3 and lines[0].split()[4] == ENTRIES[2][0] and "TIME" not in out.decode(),
          f"-r --no-legend: newest first, no header:\n{out.decode()}")
    out, _ = expect(0, "list", "--store", store, "--json=short", "-1")
    check([e["id"] for e in json.loads(out)] == [ENTRIES[2][0]], "-1 is the newest")
    out, _ = expect(0, "list", "--store", store, "--json=short", "--driver", "i915")
    check([e["id"] for e in json.loads(out)] == [ENTRIES[1][0]], "--driver filters")
    out, _ = expect(0, "list", "--store", store, "--json=short", "--since", "2026-11-21 09:00",
                    "--until", "2026-11-21T10:00:00Z")
    check([e["id"] for e in json.loads(out)] == [ENTRIES[1][0]], f"--since/--until: {out}")
    out, _ = expect(0, "list", "--store", store, "--json=short", "--since", "@%d" % (ENTRIES[2][1] // 1000000))
    check([e["id"] for e in json.loads(out)] == [ENTRIES[2][0]], "--since @SECONDS is inclusive")
    expect(2, "list", "--store", store, "--since", "last tuesday")
    out, err = expect(0, "list", "--store", store, "--driver", "amdgpu")
    check(out == b"" and "no dumps" in err, "an empty list says so on stderr")
    expect(1, "list", "--store", os.path.join(TMP, "nostore"))


def case_store_info():
    store, _ = make_store()
    eid = ENTRIES[0][0]
    out, _ = expect(0, "info", "--store", store, "--json=short", eid)
    meta = json.loads(out)
    check(meta["id"] == eid and meta["process"]["pid"] == 4321, f"info --json: {meta}")
    validate_bytes(out, "info.json", ENTRY_SCHEMA)
    out, _ = expect(0, "info", "--store", store, eid)
    golden("store-info.txt", out.replace(store.encode(), b"STORE"))
    _, err = expect(1, "info", "--store", store, "20261121T111500-1a2b3c4d-000004")
    check("no such dump" in err, f"an incomplete entry is no entry: {err}")
    _, err = expect(1, "info", "--store", store, "../etc/passwd")
    check("not a valid dump id" in err, f"ids are checked: {err}")


def case_store_dump():
    store, raw = make_store()
    eid = ENTRIES[1][0]
    out, _ = expect(0, "dump", "--store", store, eid)
    check(out == raw, "dump writes the original bytes")
    dest = os.path.join(TMP, "dumped.txt")
    expect(0, "dump", "--store", store, eid, "-o", dest)
    with open(dest, "rb") as f:
        check(f.read() == raw, "dump -o FILE writes the original bytes")
    check(os.stat(dest).st_mode & 0o777 == 0o640, "dump file mode 0640")
    expect(1, "dump", "--store", store, "20261121T000000-00000000-000000")


def case_store_decode():
    store, _ = make_store()
    eid = ENTRIES[2][0]
    out, _ = expect(0, "decode", "--store", store, "--json=short", eid)
    validate_bytes(out, "stored.json")
    want, _ = expect(0, "decode", "--json=short", fixture("xe"))
    check(json.loads(out) == dict(json.loads(want), compressed=True) or
          json.loads(out) == json.loads(want), "a stored dump decodes like its original")
    out, _ = expect(0, "report", "--store", store, eid)
    validate_bytes(json_block(out), "stored-report.json")
    got, _ = expect(0, "extract", "--store", store, eid, "--vma", "1a0000000")
    check(got == mkdump.BATCH, "extract from a stored entry")
    _, err = expect(1, "decode", "--store", store, "20261121T000000-00000000-000000")
    check("no such dump" in err, f"unknown id: {err}")


def case_store_delete():
    store, _ = make_store()
    eid = ENTRIES[0][0]
    expect(0, "delete", "--store", store, eid)
    check(not os.path.exists(os.path.join(store, eid + ".json")), "metadata removed")
    check(not os.path.exists(os.path.join(store, eid + ".zst")), "dump removed")
    out, _ = expect(0, "list", "--store", store, "--json=short")
    check(eid not in [e["id"] for e in json.loads(out)], "deleted entry no longer listed")
    _, err = expect(1, "delete", "--store", store, eid)
    check("no such dump" in err, f"deleting twice: {err}")


def watch_store(store, new_id, *args):
    """Run `gpudump watch --store STORE -n 1 ARGS`, publish new_id like gpudumpd does (temp file,
    rename) until the watcher reports it; returns its stdout."""
    e = dict(os.environ, TZ="UTC", NO_COLOR="1")
    p = subprocess.Popen([GPUDUMP, "watch", "--store", store, "-n", "1", *args],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
    try:
        # The watch is armed once inotify is set up; keep publishing the entry until it reports
        # it (publishing is idempotent: same id), so no sleep guesses how long start-up takes.
        src = os.path.join(store, ENTRIES[0][0] + ".json")
        with open(src) as f:
            meta = json.load(f)
        meta["id"] = new_id
        shutil.copy(os.path.join(store, ENTRIES[0][0] + ".zst"), os.path.join(store, new_id + ".zst"))
        for _ in range(600):
            tmp = os.path.join(store, f".tmp-{new_id}.json")
            with open(tmp, "w") as f:
                json.dump(meta, f)
            os.rename(tmp, os.path.join(store, new_id + ".json"))
            try:
                out, err = p.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            raise Failure("watch never reported the new entry")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    check(p.returncode == 0, f"watch -n 1 exits 0: {p.returncode} {err}")
    return out


def case_store_watch():
    store, _ = make_store()
    new_id = "20261121T121500-1a2b3c4d-000005"
    out = watch_store(store, new_id, "--json=short")
    lines = out.decode().splitlines()
    check(len(lines) == 1 and json.loads(lines[0])["id"] == new_id, f"watch printed the entry: {out}")
    new_id = "20261121T131500-1a2b3c4d-000006"
    out = watch_store(store, new_id)
    lines = out.decode().splitlines()
    check(len(lines) == 2 and lines[0].startswith("TIME") and new_id in lines[1],
          f"watch prints a header and the row: {out}")


def on_tty(*args, env=None):
    """Run gpudump with stdout on a pseudo-terminal (script(1)); returns (rc, output)."""
    e = dict(os.environ, TZ="UTC", TERM="xterm", GPUDUMP_PAGER="sed s/^/PAGED:/")
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    cmd = " ".join("'" + a.replace("'", "'\\''") + "'" for a in [GPUDUMP, *args])
    p = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, env=e, timeout=120)
    return p.returncode, p.stdout.replace(b"\r\n", b"\n")


def case_tty():
    """On a terminal: colour, the pager, pretty JSON, no binary; none of it off a terminal."""
    path = fixture("xe")
    rc, out = on_tty("decode", "--text", path)
    check(rc == 0 and b"PAGED:" in out and b"\x1b[" in out, f"tty: paged and coloured: {out[:200]!r}")
    rc, out = on_tty("decode", "--text", "--no-pager", path)
    check(rc == 0 and b"PAGED:" not in out and b"\x1b[" in out, f"--no-pager: {out[:200]!r}")
    rc, out = on_tty("decode", "--text", "--no-pager", path, env={"NO_COLOR": "1"})
    check(rc == 0 and b"\x1b[" not in out, f"NO_COLOR: {out[:200]!r}")
    rc, out = on_tty("decode", "--text", path, env={"GPUDUMP_PAGER": "cat"})
    check(rc == 0 and b"PAGED:" not in out and b"Format:" in out, "GPUDUMP_PAGER=cat: no pager")
    rc, out = on_tty("decode", "--no-pager", path)
    check(rc == 0 and out.lstrip().startswith(b"{\n"), f"JSON is pretty on a tty: {out[:40]!r}")
    rc, out = on_tty("extract", path, "--vma", "1a0000000")
    check(rc == 2 and b"refusing" in out, f"no binary to a tty: {rc} {out!r}")
    rc, out = on_tty("dump", "--store", TMP, "20261121T000000-00000000-000000")
    check(rc == 2 and b"refusing" in out, f"no dump to a tty: {rc} {out!r}")
    store, _ = make_store()
    rc, out = on_tty("list", "--store", store)
    check(rc == 0 and b"PAGED:" in out and ENTRIES[0][0].encode() in out, f"list is paged: {out!r}")
    # Off a terminal: no colour even with TERM set, no pager.
    out, _ = expect(0, "decode", "--text", path, env={"TERM": "xterm", "NO_COLOR": None, "PAGER": None,
                                                              "GPUDUMP_PAGER": "sed s/^/PAGED:/"})
    check(b"\x1b[" not in out and b"PAGED:" not in out, "no colour, no pager off a tty")


def case_robust():
    """Truncated and corrupted dumps: always a report (exit 0) or "not a dump" (exit 1), never a
    crash; every error on stderr is in the FILE:offset N form."""
    import random
    with open(fixture("xe"), "rb") as f:
        data = f.read()
    rnd = random.Random(1)
    for i in range(40):
        if i < 20:
            d = data[:rnd.randrange(len(data))]
        else:
            b = bytearray(data)
            for _ in range(8):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
            d = bytes(b)
        for args in (["decode", "--text", "-"], ["report", "-"], ["decode", "-"]):
            rc, out, err = run(*args, input_bytes=d)
            check(rc in (0, 1), f"case {i} {args}: exit {rc}: {err[-500:]}")
            for line in err.splitlines():
                check(line.startswith("stdin:offset ") or line.startswith("gpudump: "),
                      f"case {i} {args}: stray stderr line {line!r}")
            if rc == 0 and args[0] == "decode" and args[1] == "-":
                validate_bytes(out, f"robust-{i}.json")


def case_manpage():
    """Every verb and option in --help is documented in man/gpudump.1."""
    with open(os.path.join(SRC, "man", "gpudump.1"), encoding="utf-8") as f:
        man = f.read().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "")
    out, _ = expect(0, "--help")
    opts = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z1])\b", out.decode()))
    check(len(opts) > 15, f"--help lists the options: {opts}")
    for o in sorted(opts):
        check(o in man, f"man/gpudump.1 documents {o}")
    for verb in ("decode", "disasm", "extract", "report", "list", "info", "dump", "delete", "watch"):
        check(f".B {verb}" in man, f"man/gpudump.1 documents the verb {verb}")
    for section in ("EXIT STATUS", "REPORT LAYOUT", "OPTIONS", "ENVIRONMENT"):
        check(f".SH {section}" in man, f"man/gpudump.1 has {section}")


COMPLETION = os.path.join(SRC, "packaging", "bash-completion", "gpudump")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"


def complete(*words, path_dir):
    """COMPREPLY of the bash completion for the command line WORDS (the last one is being
    completed), as bash (with bash-completion) would compute it."""
    script = (f"source {BASH_COMPLETION}; source {COMPLETION}; "
              'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE=$CL; COMP_POINT=${#COMP_LINE}; '
              'COMPREPLY=(); _gpudump gpudump "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; '
              '((${#COMPREPLY[@]})) && printf "%s\\n" "${COMPREPLY[@]}"; exit 0')
    e = dict(os.environ)
    # The line as typed: bash splits "--json=" into "--json" "=" "", without blanks between.
    line = " ".join(("gpudump",) + words).replace(" = ", "=")
    e.update({"PATH": path_dir + ":" + e.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "CL": line})
    p = subprocess.run(["bash", "-c", script, "bash", "gpudump", *words], capture_output=True,
                       text=True, env=e, cwd=TMP, timeout=60)
    check(p.returncode == 0, f"completion of {words}: exit {p.returncode}: {p.stderr}")
    return set(p.stdout.split("\n")) - {""}


OPT_RE = r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z1])\b"


def case_completion():
    """The bash completion (packaging/bash-completion/gpudump) offers every verb of --help and
    gpudump(1), exactly the options each verb's --help lists, option values, and the IDs of
    the stored dumps from gpudump list: a verb or option added to the CLI without the
    completion fails here."""
    check(os.path.exists(BASH_COMPLETION), f"{BASH_COMPLETION} (bash-completion) is installed")
    bindir = os.path.join(TMP, "bin")
    os.makedirs(bindir, exist_ok=True)
    os.symlink(os.path.abspath(GPUDUMP), os.path.join(bindir, "gpudump"))
    out, _ = expect(0, "--help")
    text = out.decode()
    verbs_part = text.split("Verbs:\n", 1)[1].split("\n\n", 1)[0]
    verbs = [line.split()[0] for line in verbs_part.splitlines() if line.strip()]
    check(len(verbs) >= 8, f"--help lists the verbs: {verbs}")
    all_opts = set(re.findall(OPT_RE, text.split("Options:", 1)[1]))
    check({"--help", "--version", "--store", "-o", "-1"} <= all_opts, f"--help options: {all_opts}")
    with open(os.path.join(SRC, "man", "gpudump.1"), encoding="utf-8") as f:
        man = f.read().replace("\\-", "-")
    man_verbs = set(re.findall(r"^\.TP\n\.B (\w+)", man.split(".SH VERBS", 1)[1].split(".SH OPTIONS", 1)[0], re.M))
    man_opts = set(re.findall(OPT_RE, re.sub(r"\\f[BIR]", "", man.split(".SH OPTIONS", 1)[1].split("\n.SH ", 1)[0])))
    check(len(man_verbs) >= 8 and len(man_opts) >= 15, f"man page verbs {man_verbs}, options {man_opts}")

    got = complete("", path_dir=bindir)
    check(got == set(verbs) | man_verbs, f"verbs completed {sorted(got)}, --help and gpudump(1) have "
          f"{sorted(set(verbs) | man_verbs)}")
    got = complete("-", path_dir=bindir)
    check(got == all_opts | man_opts, f"options before the verb: completed {sorted(got)}, --help and "
          f"gpudump(1) have {sorted(all_opts | man_opts)}")
    for verb in verbs:
        vout, _ = expect(0, verb, "--help")
        want = set(re.findall(OPT_RE, vout.decode().split("Options:", 1)[1]))
        got = complete(verb, "-", path_dir=bindir)
        check(got == want, f"{verb}: completed {sorted(got)}, {verb} --help has {sorted(want)}")
        got = complete("--no-pager" if verb != "extract" else "--store", *([] if verb != "extract" else ["/x"]),
                       verb, "--", path_dir=bindir)
        check(got == {o for o in want if o.startswith("--")},
              f"{verb} after an option: completed {sorted(got)}")

    check(complete("list", "--json", "=", "", path_dir=bindir) == {"pretty", "short", "off"},
          "--json= values")
    check({"xe", "i915"} <= complete("list", "--driver", "", path_dir=bindir), "--driver values")
    check(complete("extract", "x", "--blob", "HW", path_dir=bindir) == {"HWCTX", "HWSP"}, "--blob values")
    check(complete("list", "--json", path_dir=bindir) == {"--json="}, "--json completes with its =")

    store, _ = make_store()
    ids = {e[0] for e in ENTRIES}
    for verb in ("info", "dump", "delete"):
        got = complete("--store", store, verb, "", path_dir=bindir)
        check(got == ids, f"{verb}: IDs completed {sorted(got)}, the store has {sorted(ids)}")
        got = complete(verb, f"--store={store}", "", path_dir=bindir)
        check(got == ids, f"{verb} --store=DIR: IDs completed {sorted(got)}")
    got = complete("info", "--store", store, ENTRIES[1][0][:12], path_dir=bindir)
    check(got == {ENTRIES[1][0]}, f"an ID prefix completes to its ID: {got}")
    got = complete("decode", "--store", store, "", path_dir=bindir)
    check(ids <= got and "bin" in got, f"decode: IDs and files: {sorted(got)}")
    check(complete("info", "--store", store, ENTRIES[0][0], "", path_dir=bindir) == set(),
          "nothing after the one ID info takes")
    check(complete("list", "--store", store, "", path_dir=bindir) == set(), "list takes no ID")


def case_xegen_eras():
    """Dumps of every xe era from the fixtures generator: each decodes (exit 0, valid report),
    summarises and reports; the compressed (vxe) and dmesg variants too."""
    xegen = os.path.join(SRC, "tests", "fixtures", "xegen.py")
    sys.path.insert(0, os.path.dirname(xegen))
    import xegen as xg
    variants = [[f"--era={e}"] for e in xg.ERAS] + [["--zstd"], ["--dmesg"], ["--spec"]]
    for i, v in enumerate(variants):
        out = os.path.join(TMP, f"era{i}")
        p = subprocess.run([PYTHON, xegen, "--out", out, "--name", "d", "--seed", str(i + 1), *v],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"xegen {v}: {p.stderr}")
        path = os.path.join(out, "d.txt")
        js, err = expect(0, "decode", "--json=short", path)
        validate_bytes(js, f"era{i}.json")
        rep = json.loads(js)
        check(rep["format"] == "xe", f"{v}: format xe, got {rep['format']}")
        text, _ = expect(0, "decode", "--text", path)
        check(b"Format: xe" in text, f"{v}: the summary names the format")
        md, _ = expect(0, "report", path)
        validate_bytes(json_block(md), f"era{i}-report.json")


def case_bus():
    """The store verbs through gpudumpd on a private system bus (tests/daemon/gdtest.py: a real
    gpudumpd on a umockdev testbed and a real dbus-daemon)."""
    sys.path.insert(0, os.path.join(SRC, "tests", "daemon"))
    import gdtest  # re-executes this script under the umockdev preload, as the daemon tests do
    env = gdtest.Env()
    try:
        gpu = env.add_gpu()
        env.start()
        cli_env = dict(gdtest.plain_env(), DBUS_SYSTEM_BUS_ADDRESS=env.address)
        cli_env.pop("LD_PRELOAD", None)
        data = gdtest.xe_dump(1, process="vkcube")
        env.add_devcd(gpu, data)
        gdtest.wait_for(lambda: len(env.list_entries()) == 1, "the first entry")
        eid = env.list_entries()[0]["id"]

        out, _ = expect(0, "list", "--json=short", env=cli_env)
        arr = json.loads(out)
        check([e["id"] for e in arr] == [eid], f"list over the bus: {arr}")
        validate_bytes(json.dumps(arr[0]).encode(), "bus-entry.json", ENTRY_SCHEMA)
        out, _ = expect(0, "list", env=cli_env)
        check(eid.encode() in out and b"vkcube" in out and out.startswith(b"TIME"), f"list table: {out}")
        out, _ = expect(0, "list", "--json=short", "--driver", "i915", env=cli_env)
        check(json.loads(out) == [], "--driver filter over the bus")
        out, _ = expect(0, "info", "--json=short", eid, env=cli_env)
        check(json.loads(out)["id"] == eid, "info over the bus")
        out, _ = expect(0, "info", eid, env=cli_env)
        check(b"Process: vkcube" in out, f"info text: {out}")
        out, _ = expect(0, "decode", "--json=short", eid, env=cli_env)
        validate_bytes(out, "bus-decode.json")
        check(json.loads(out)["format"] == "xe", "decoded by gpudumpd")
        out, _ = expect(0, "decode", "--text", eid, env=cli_env)
        check(b"Process: vkcube" in out, f"decode --text of an id: {out}")
        out, _ = expect(0, "report", eid, env=cli_env)
        validate_bytes(json_block(out), "bus-report.json")
        out, _ = expect(0, "dump", eid, env=cli_env)
        check(out == data, "dump over the bus gives the original bytes")
        expect(0, "extract", eid, "--blob", "HWCTX", env=cli_env)

        p = subprocess.Popen([GPUDUMP, "watch", "--json=short", "-n", "1"], env=cli_env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            # New dumps until the watcher (subscribing concurrently) has seen one.
            for seed in range(2, 200):
                env.add_devcd(gpu, gdtest.xe_dump(seed, process="seed%d" % seed))
                try:
                    wout, werr = p.communicate(timeout=2)
                    break
                except subprocess.TimeoutExpired:
                    continue
            else:
                raise Failure("watch never reported a new dump")
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        check(p.returncode == 0, f"watch -n 1: {p.returncode} {werr}")
        seen = json.loads(wout.decode().splitlines()[0])
        gdtest.wait_for(lambda: seen["id"] in [e["id"] for e in env.list_entries()], "the watched entry")

        expect(0, "delete", eid, env=cli_env)
        _, err = expect(1, "info", eid, env=cli_env)
        check(eid in err, f"a deleted entry is gone: {err}")
        _, err = expect(1, "decode", "20261121T000000-00000000-000000", env=cli_env)
        check("20261121T000000-00000000-000000" in err, f"unknown id: {err}")
        env.stop()
        _, err = expect(1, "list", env=cli_env)
        check("gpudumpd is not running" in err, f"no daemon: {err}")
    finally:
        env.close()


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main(argv):
    global GPUDUMP, TMP
    if len(argv) != 3 or argv[2] not in CASES:
        print(f"usage: test-cli.py GPUDUMP CASE\ncases: {' '.join(CASES)}", file=sys.stderr)
        return 2
    GPUDUMP = os.path.abspath(argv[1])
    if argv[2] == "bus":
        # gdtest re-executes us under the umockdev preload on import: before any temp dir exists.
        sys.path.insert(0, os.path.join(SRC, "tests", "daemon"))
        import gdtest  # noqa: F401
    TMP = tempfile.mkdtemp(prefix="gpudump-cli-")
    try:
        CASES[argv[2]]()
    except Failure as e:
        print(f"FAIL {argv[2]}: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print(f"ok {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
