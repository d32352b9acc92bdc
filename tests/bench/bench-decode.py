#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Decode benchmark (a run target, not a test; no figure here is asserted anywhere).

On generated xe devcoredumps (tests/bench/gen-bench.c: 64 MiB, 256 MiB and 1 GiB of VMA contents in 4 MiB
VMAs, and one VMA of 256 MiB), measures side by side in the same run:
`wc -l` (the cost of reading the file), `openssl dgst -sha256` (hashing it), `zstd -3`
(compressing it), the library alone (bench-decode, JSON with every VMA hashed) and
`gpudump decode --json=short` on one core (taskset, GPUDUMP_THREADS=1) and on all cores.
Every command runs RUNS times (default 5), interleaved run by run so that load from other
processes falls on all of them alike; the table gives medians of wall time, CPU time
(user + sys, from wait4's rusage) and peak RSS, and the ratios of gpudump's medians to the
file hash's (the issue 12 targets: CPU <= 1.4x, wall <= 0.8x on 2 cores, peak <= 32 MiB).

usage: bench-decode.py GEN-BENCH BENCH-DECODE [GPUDUMP-CLI]
environment: GPUDUMP_BENCH_DIR (default /tmp), GPUDUMP_BENCH_RUNS (default 5),
GPUDUMP_BENCH_SETS (default "64 256 1024 256x1").
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(argv, env=None):
    """(wall s, CPU s, peak RSS KiB) of one run, output discarded. The peak comes from
    /usr/bin/time: a child forked from Python would inherit Python's peak (ru_maxrss survives
    exec), /usr/bin/time's own is smaller than any command's."""
    with tempfile.NamedTemporaryFile("r") as out:
        t0 = time.monotonic()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", out.name] + argv,
                             stdout=subprocess.DEVNULL, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            sys.exit("bench: %s exited with %d" % (" ".join(argv), p.returncode))
        peak = int(out.read().split()[-1])
    return wall, ru.ru_utime + ru.ru_stime, peak


def make(gen, path, run):
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return
    mib, _, one = run.partition("x")
    args = [gen, path, mib] + ([mib] if one else [])
    subprocess.run(args, check=True)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    gen, drv = sys.argv[1], sys.argv[2]
    cli = sys.argv[3] if len(sys.argv) > 3 else None
    bdir = os.environ.get("GPUDUMP_BENCH_DIR", "/tmp")
    runs = int(os.environ.get("GPUDUMP_BENCH_RUNS", "5"))
    sets = os.environ.get("GPUDUMP_BENCH_SETS", "64 256 1024 256x1").split()
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("bench: /usr/bin/time missing (scripts/deps.sh test installs package 'time')")
    cpus = os.cpu_count() or 1
    one = dict(os.environ, GPUDUMP_THREADS="1")

    summary = {}
    print("decode benchmark: %d CPUs, %d interleaved runs per command, medians; "
          "load average %.2f %.2f %.2f at start" % ((cpus, runs) + os.getloadavg()))
    for run in sets:
        path = os.path.join(bdir, "gpudump-bench-%s.txt" % run)
        make(gen, path, run)
        os.chmod(path, 0o640)  # dump contents are private
        mib = run.partition("x")[0]
        what = ("one VMA of %s MiB" % mib) if "x" in run else ("%s MiB of VMA contents in 4 MiB VMAs" % mib)
        size = os.path.getsize(path)
        print("\n== %s: %d bytes, %s" % (path, size, what))
        cmds = [("wc -l", ["wc", "-l", path], None),
                ("openssl dgst -sha256", ["openssl", "dgst", "-sha256", path], None)]
        if shutil.which("zstd"):
            cmds.append(("zstd -3", ["zstd", "-3", "-q", "-c", path], None))
        cmds.append(("bench-decode (library, JSON+sha)", [drv, path], None))
        if cli:
            cmds.append(("gpudump decode, 1 core", ["taskset", "-c", "0", cli, "decode",
                                                      "--json=short", path], one))
            cmds.append(("gpudump decode, %d cores" % cpus, [cli, "decode", "--json=short", path], None))
        subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
        res = {name: [] for name, _, _ in cmds}
        for _ in range(runs):
            for name, argv, env in cmds:
                res[name].append(run_once(argv, env))
        med = {name: tuple(statistics.median(r[k] for r in rs) for k in range(3))
               for name, rs in res.items()}
        hw, hc, _ = med["openssl dgst -sha256"]
        print("%-36s %8s %8s %9s %8s %8s %9s" % ("command", "wall s", "CPU s", "peak MiB",
                                                 "wall/sha", "CPU/sha", "MB/CPU-s"))
        for name, _, _ in cmds:
            w, c, m = med[name]
            print("%-36s %8.3f %8.3f %9.1f %7.2fx %7.2fx %9.0f"
                  % (name, w, c, m / 1024, w / hw, c / max(hc, 1e-6), size / max(c, 1e-6) / 1e6))
        if cli:
            w, c, m = med["gpudump decode, %d cores" % cpus]
            summary[run] = (w / hw, c / max(hc, 1e-6), m / 1024, size / max(c, 1e-6) / 1e6)
    if summary:
        print("\nsummary, gpudump decode on all cores:")
        for run, (wr, cr, m, rate) in summary.items():
            print("  %-6s wall %.2fx, CPU %.2fx the hash's, peak %.1f MiB, %.0f MB per CPU-second"
                  % (run, wr, cr, m, rate))
        peaks = [v[2] for k, v in summary.items() if "x" not in k]
        if len(peaks) > 1:
            print("  peak RSS over the 4 MiB-VMA dumps: %.1f .. %.1f MiB (spread %.1f MiB)"
                  % (min(peaks), max(peaks), max(peaks) - min(peaks)))
        one = [(k, v) for k, v in summary.items() if "x" in k]
        many = summary.get(one[0][0].partition("x")[0]) if one else None
        if one and many:
            print("  one huge VMA vs 4 MiB VMAs of the same total: %.0f vs %.0f MB per CPU-second"
                  % (one[0][1][3], many[3]))
    print("\ntargets (issue 12, 2 cores): gpudump CPU <= 1.40x and wall <= 0.80x the hash's, "
          "peak RSS <= 32 MiB, flat (+-2 MiB) from 64 MiB to 1 GiB; one huge VMA not slower per byte")
    print("the machine may be shared: compare the ratios (interleaved runs), not absolute times")
    print("load average %.2f %.2f %.2f at end" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
