#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Analysis on generated hang scenarios (scenarios.py): blamed engine and its evidence, the
hung instruction and its window/chain, the wait (expected vs actual), the first unsignalled
job, signature stability (same hang in another run -> same signature; different hangs ->
different), and every report validated against the report schema.

usage: test-scenarios.py ANALYSIS_REPORT_BINARY SCHEMA VALIDATE_JSON_PY
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scenarios  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def write_private(path, data):
    """Dump contents and reports are private: 0640 like everything the project writes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def hexval(s):
    return int(s, 16) if isinstance(s, str) else s


def run(report_bin, schema, validator, tmp, name, fn):
    d, exp = fn()
    path = os.path.join(tmp, name + ".txt")
    write_private(path, d.render())
    out = subprocess.run([report_bin, path], capture_output=True, text=True)
    if not check(out.returncode == 0, "%s: analysis-report failed: %s" % (name, out.stderr)):
        return None
    jpath = os.path.join(tmp, name + ".json")
    write_private(jpath, out.stdout)
    v = subprocess.run([sys.executable, validator, schema, jpath], capture_output=True, text=True)
    check(v.returncode == 0, "%s: report does not validate: %s" % (name, v.stderr))
    rep = json.loads(out.stdout)
    a = rep.get("analysis")
    if not check(isinstance(a, dict), "%s: no analysis in the report" % name):
        return None
    p = name + ": "

    b = a["blamed"]
    check(b["engine"] == exp["blamed"], p + "blamed %r, want %r" % (b["engine"], exp["blamed"]))
    check(any("guc_id=" in e for e in b["evidence"]), p + "evidence lacks the Reason's guc_id")
    blamed_flags = [e["name"] for e in rep["engines"] if e.get("blamed")]
    if exp["blamed"] is None:
        check(b["confidence"] == "none", p + "confidence %r for no engine" % b["confidence"])
        check(blamed_flags == [], p + "engines[].blamed flags %r" % blamed_flags)
        check(any("not guessing" in e for e in b["evidence"]), p + "evidence %r" % b["evidence"])
    else:
        check(b["confidence"] in ("high", "medium"), p + "confidence %r" % b["confidence"])
        check(any(e.startswith(exp["blamed"] + ":") for e in b["evidence"]),
              p + "evidence lacks the blamed engine's registers: %r" % b["evidence"])
        check(blamed_flags == [exp["blamed"]], p + "engines[].blamed flags %r" % blamed_flags)
    ctx = a["contexts"][0]
    check(ctx["first_unsignalled"] == exp["first_unsignalled"], p + "first unsignalled %r" % ctx["first_unsignalled"])
    check(exp["first_unsignalled"] in ctx["pending"], p + "pending %r" % ctx["pending"])
    check(exp["first_unsignalled"] - 1 in ctx["completed"], p + "completed %r" % ctx["completed"])
    if exp.get("hung") is False:
        check(a["hung_instruction"] is None, p + "unexpected hung instruction")
        check(a["wait"] is None, p + "unexpected wait")
        check(a["signature"]["parts"]["instruction"] == "none", p + "signature parts %r" % a["signature"])
        check(a["signature"]["value"] == rep["signature"], p + "report signature differs")
        check(("Job %d " % exp["first_unsignalled"]) in a["summary"], p + "summary %r" % a["summary"])
        if exp["blamed"]:
            check(any("not captured" in n or "no instruction decoded" in n for n in a["notes"]),
                  p + "notes do not say why: %r" % a["notes"])
        return rep
    summ = a["summary"]
    check(summ.startswith(exp["blamed"] + " (") and exp["instruction"] in summ and
          ("Job %d " % exp["first_unsignalled"]) in summ, p + "summary %r" % summ)
    if "note" in exp:
        check(any(exp["note"] in n for n in a["notes"]), p + "notes %r lack %r" % (a["notes"], exp["note"]))
    h = a["hung_instruction"]
    if not check(h is not None, p + "no hung instruction"):
        return rep
    check(h["engine"] == exp["blamed"], p + "hung engine %r" % h["engine"])
    check(h["instruction"] == exp["instruction"], p + "instruction %r, want %r" % (h["instruction"], exp["instruction"]))
    check(h["exact"] == exp["exact"], p + "exact %r" % h["exact"])
    check(h["resynchronised"] == exp.get("resync", False), p + "resynchronised %r (notes %r)"
          % (h["resynchronised"], h["notes"]))
    check(h["depth"] == exp["depth"], p + "depth %r" % h["depth"])
    check(h["in_ring"] == exp["in_ring"], p + "in_ring %r" % h["in_ring"])
    if exp["offset"] is not None:
        check(hexval(h["batch_offset"]) == exp["offset"], p + "batch offset %r" % h["batch_offset"])
    hung = [w for w in h["window"] if w["hung"]]
    check(len(hung) == 1 and hung[0]["name"] == exp["instruction"], p + "window hung entry %r" % hung)
    if hung:
        check(hexval(hung[0]["address"]) == hexval(h["instruction_address"]), p + "window address")
        check(hung[0]["unknown"] == exp.get("unknown", False), p + "unknown flag")
        if exp.get("unknown"):
            check(hung[0]["length"] == 1, p + "unknown opcode length %r" % hung[0]["length"])
    # every window entry is a decoded instruction starting on a boundary: addresses increase
    addrs = [hexval(w["address"]) for w in h["window"]]
    check(addrs == sorted(addrs), p + "window not in address order")
    if "chain" in exp:
        got = [hexval(c["address"]) for c in h["chain"]]
        check(got == exp["chain"], p + "chain %r" % got)
        check(h["chain"][-1]["second_level"], p + "chain step not second level")

    w = a["wait"]
    ew = exp["wait"]
    if ew is None:
        check(w is None, p + "unexpected wait %r" % w)
    elif check(w is not None, p + "no wait analysis"):
        check(hexval(w["address"]) == ew["address"], p + "wait address %r" % w["address"])
        check(hexval(w["expected"]) == ew["expected"], p + "wait expected %r" % w["expected"])
        check(w["captured"] == ew["captured"], p + "wait captured %r" % w["captured"])
        check((hexval(w["actual"]) if w["actual"] is not None else None) == ew["actual"],
              p + "wait actual %r" % w["actual"])
        check(w["satisfied"] == ew["satisfied"], p + "wait satisfied %r" % w["satisfied"])
        check(w["explanation"] and ("not captured" in w["explanation"]) == (not ew["captured"]),
              p + "explanation %r" % w["explanation"])

    if exp["in_ring"]:
        r = a["ring"]
        check(r is not None and r["captured"], p + "ring not captured: %r" % r)
        if r:
            check(any(i["hung"] and i["name"] == exp["instruction"] for i in r["instructions"]),
                  p + "ring window lacks the hung instruction")
    sig = a["signature"]["value"]
    check(sig == rep["signature"], p + "report signature %r != analysis %r" % (rep["signature"], sig))
    check(sig.startswith("xe:" + {"ccs0": "compute", "ccs1": "compute", "rcs0": "render",
                                   "bcs0": "copy", None: "unknown"}[exp["blamed"]] + ":"),
          p + "signature %r" % sig)
    for bad in ("4242", "0x1a0000000", "1a0000000"):
        check(bad not in sig, p + "signature %r carries a run-specific value" % sig)
    return rep


def run_i915(report_bin, schema, validator, tmp):
    """i915 error states (scenarios.I915_SCENARIOS): the hung video engine is printed between
    two others that hold requests; the semaphore lives in a compressed "user" object."""
    sigs = {}
    for name, fn in scenarios.I915_SCENARIOS.items():
        text, exp = fn()
        path = os.path.join(tmp, name + ".txt")
        write_private(path, text)
        out = subprocess.run([report_bin, path], capture_output=True, text=True)
        if not check(out.returncode == 0, "%s: analysis-report failed: %s" % (name, out.stderr)):
            continue
        jpath = os.path.join(tmp, name + ".json")
        write_private(jpath, out.stdout)
        v = subprocess.run([sys.executable, validator, schema, jpath], capture_output=True, text=True)
        check(v.returncode == 0, "%s: report does not validate: %s" % (name, v.stderr))
        rep = json.loads(out.stdout)
        a = rep["analysis"]
        p = name + ": "
        b = a["blamed"]
        check(b["engine"] == exp["blamed"], p + "blamed %r (evidence %r)" % (b["engine"], b["evidence"]))
        check(b["confidence"] == exp.get("confidence", "high"), p + "confidence %r" % b["confidence"])
        wants = [exp["blamed"] + ": hung: 1"] + (["ELSP[0] holds a request"] if exp.get("elsp", True) else [])
        if exp["blamed"] == "vcs0":
            wants += ["hung class mask 0x4", "Active process (on ring vcs0)"]
        for what in wants:
            check(any(what in e for e in b["evidence"]), p + "evidence lacks %r: %r" % (what, b["evidence"]))
        check([e["name"] for e in rep["engines"] if e.get("blamed")] == [exp["blamed"]], p + "blamed flags")
        h = a["hung_instruction"]
        if check(h is not None, p + "no hung instruction (notes %r)" % a["notes"]):
            check(h["instruction"] == exp["instruction"], p + "instruction %r" % h["instruction"])
            check(h["exact"] == exp.get("exact", True), p + "exact %r" % h["exact"])
            check(h["source"] == "ACTHD", p + "source %r" % h["source"])
            check(h["in_ring"] == exp.get("in_ring", False), p + "in_ring %r (notes %r)" % (h["in_ring"], h["notes"]))
            if exp["offset"] is not None:
                check(hexval(h["batch_offset"]) == exp["offset"], p + "batch offset %r" % h["batch_offset"])
            if "note" in exp:
                check(any(exp["note"] in n for n in h["notes"]), p + "notes %r lack %r" % (h["notes"], exp["note"]))
        w = a["wait"]
        if exp["wait_expected"] is None:
            check(w is None, p + "unexpected wait %r" % w)
        elif check(w is not None, p + "no wait"):
            check(w["captured"] and hexval(w["actual"]) == exp["wait_actual"], p + "wait %r" % w)
            check(hexval(w["expected"]) == exp["wait_expected"] and w["satisfied"] is False, p + "wait %r" % w)
        if exp["blamed"] == "vcs0":
            r = a["ring"]
            names = [i["name"] for i in r["instructions"]] if r else []
            check(r is not None and r["captured"] and hexval(r["start"]) == 0xFEE00000 and
                  hexval(r["head"]) == 0x230 and names[:2] == ["MI_ARB_CHECK", "MI_BATCH_BUFFER_START"],
                  p + "ring %r" % (r and {k: r[k] for k in r if k != "instructions"}, ))
            check(len(names) == (0x280 - 0x230) // 4 - 2, p + "ring head..tail holds %d instructions" % len(names))
        f = a["fault"]
        ef = exp.get("fault")
        if ef is None:
            check(f is None, p + "unexpected fault %r" % f)
        elif check(f is not None, p + "no fault"):
            check(f["engine"] == exp["blamed"], p + "fault engine %r" % f["engine"])
            check(hexval(f["address"]) == ef["address"], p + "fault address %r" % f["address"])
            check(f["inside"] == ef["inside"] and hexval(f["vma"]) == ef["vma"] and f["distance"] == ef["distance"],
                  p + "fault %r" % f)
            check(f["fault_reg_fields"]["VALID"] is True, p + "fault reg %r" % f)
            check(any("FAULT_REG" in e for e in b["evidence"]), p + "evidence lacks FAULT_REG")
            check("Page fault at 0x%x (0x%x past the end of VMA 0x%x)" % (ef["address"], ef["distance"], ef["vma"])
                  in a["summary"], p + "summary %r" % a["summary"])
        check(a["graphics_version"] == exp.get("graphics_version", "12.00"),
              p + "graphics version %r" % a["graphics_version"])
        sig = a["signature"]["value"]
        check(sig == rep["signature"] and sig.startswith("i915:%s:%s-" % (
            "video" if exp["blamed"] == "vcs0" else "render", exp["instruction"])), p + "signature %r" % sig)
        check(a["signature"]["parts"]["reason_kind"] == "gpu-hang", p + "reason kind")
        sigs.setdefault(exp["sig"], set()).add(sig)
    for group, s in sigs.items():
        check(len(s) == 1, "i915 group %s: the same hang got different signatures %r" % (group, s))
    check(len(sigs) == len({fn()[1]["sig"] for fn in scenarios.I915_SCENARIOS.values()}),
          "i915 scenarios did not all report")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    report_bin, schema, validator = argv[1:]
    sigs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in scenarios.SCENARIOS.items():
            rep = run(report_bin, schema, validator, tmp, name, fn)
            if rep and rep.get("analysis"):
                sigs[name] = (fn()[1]["sig"], rep["analysis"]["signature"]["value"])
        run_i915(report_bin, schema, validator, tmp)
    groups = {}
    for name, (group, sig) in sigs.items():
        groups.setdefault(group, set()).add(sig)
    for group, s in groups.items():
        check(len(s) == 1, "group %s: the same hang got different signatures %r" % (group, s))
    distinct = [next(iter(s)) for s in groups.values()]
    check(len(set(distinct)) == len(distinct), "different hangs share a signature: %r" % groups)
    check(len(sigs) == len(scenarios.SCENARIOS), "only %d of %d scenarios reported" %
          (len(sigs), len(scenarios.SCENARIOS)))
    for f in failures:
        print("FAIL:", f)
    print("%d scenarios, %d signature groups, %d failures" % (len(sigs), len(groups), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
