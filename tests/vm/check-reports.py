#!/usr/bin/python3
"""Check the `gpudump decode --json` reports the VM printed on its console.

usage: check-reports.py CONSOLE_LOG SOURCE_ROOT

For every scenario block (VXE-EXPECT / VXE-SHA / VXE-JSON-BEGIN..END lines
written by tests/vm/vm-init.sh) validates the report against
schemas/gpudump-report.schema.json with tests/validate-json.py and checks that
it names the blamed engine, the pending job and its seqno, the batch address
and VMA contents (sha256) equal to what vxe-hang wrote before submitting.
Prints "VXE-RESULT <scenario> PASS|FAIL json-<check> ..." lines; exits 1 on
any failure.
"""
import json
import os
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    log, src = argv[1], argv[2]
    validator = os.path.join(src, "tests", "validate-json.py")
    schema = os.path.join(src, "schemas", "gpudump-report.schema.json")

    expect, shas, reports = {}, {}, {}
    cur, buf = None, []
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if cur is not None:
                if line == "VXE-JSON-END " + cur:
                    reports[cur] = "\n".join(buf)
                    cur = None
                else:
                    buf.append(line)
                continue
            parts = line.split(" ", 2)
            if parts[0] == "VXE-EXPECT" and len(parts) == 3:
                expect.setdefault(parts[1], []).append(parts[2])
            elif parts[0] == "VXE-SHA" and len(parts) == 3:
                va, sha = parts[2].split()
                shas.setdefault(parts[1], {})[int(va, 16)] = sha
            elif parts[0] == "VXE-JSON-BEGIN" and len(parts) == 2:
                cur, buf = parts[1], []

    failures = 0

    def result(scenario, ok, check, why=""):
        nonlocal failures
        if ok:
            print(f"VXE-RESULT {scenario} PASS json-{check}")
        else:
            failures += 1
            print(f"VXE-RESULT {scenario} FAIL json-{check}: {why}")

    if not expect:
        print("VXE-RESULT reports FAIL json-none: no scenario reports on the console")
        return 1
    for scenario, lines in expect.items():
        text = reports.get(scenario)
        if text is None:
            result(scenario, False, "present", "no VXE-JSON block")
            continue
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            result(scenario, False, "parse", f"line {e.lineno} column {e.colno}: {e.msg}")
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as t:
            t.write(text)
        try:
            v = subprocess.run([sys.executable, validator, schema, t.name],
                               capture_output=True, text=True, check=False)
        finally:
            os.unlink(t.name)
        result(scenario, v.returncode == 0, "schema", (v.stdout + v.stderr).strip()[:300])

        want = {}
        vmas = []
        for ln in lines:
            k, _, rest = ln.partition(" ")
            if k == "vma":
                va, length, err = rest.split()
                vmas.append((int(va, 16), int(length, 16), int(err)))
            else:
                want[k] = rest
        engines = want.get("engine", "").split(",")
        seqno = int(want.get("seqno", "-1"))
        batch = int(want.get("batch", "0x0"), 16)

        blamed = [e.get("name") for e in doc.get("engines", []) if e.get("blamed")]
        result(scenario, len(blamed) == 1 and blamed[0] in engines, "blamed-engine",
               f"blamed {blamed}, expected one of {engines}")
        jobs = [j for c in doc.get("contexts", []) for j in c.get("jobs", [])]
        pending = [j for j in jobs if j.get("seqno") == seqno and not j.get("fence_signaled")]
        result(scenario, len(pending) == 1, "pending-job", f"jobs {jobs}, expected seqno {seqno} pending")
        started = [c.get("start_seqno") for c in doc.get("contexts", [])]
        result(scenario, seqno in started, "start-seqno", f"start seqnos {started}, expected {seqno}")
        addrs = [int(a, 16) for a in doc.get("batch_addrs", [])]
        result(scenario, addrs == [batch], "batch-addr", f"{addrs} != [{batch:#x}]")
        result(scenario, doc.get("reason", "").startswith(want.get("reason", "?")), "reason",
               f"{doc.get('reason')!r} does not start with {want.get('reason')!r}")
        encoding = "ascii85-zstd" if want.get("encoding") == "zstd" else "ascii85"

        errors = [d for d in doc.get("diagnostics", []) if d.get("severity") == "error"]
        result(scenario, not errors, "no-errors", str(errors)[:300])

        got = {int(v["address"], 16): v for v in doc.get("vmas", [])}
        for va, length, err in vmas:
            v = got.get(va)
            name = f"vma-{va:x}"
            if v is None:
                result(scenario, False, name, "missing from the report")
                continue
            if v.get("length") != length:
                result(scenario, False, name, f"length {v.get('length')} != {length}")
            elif err:
                result(scenario, v.get("error") == err, name, f"error {v.get('error')} != {err}")
            else:
                want_sha = shas.get(scenario, {}).get(va)
                result(scenario, want_sha is not None and v.get("sha256") == want_sha
                       and v.get("encoding") == encoding, name,
                       f"sha256 {v.get('sha256')} (encoding {v.get('encoding')}) != client's {want_sha} "
                       f"({encoding})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
