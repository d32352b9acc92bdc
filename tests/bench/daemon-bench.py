#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""gpudumpd benchmark (a run target, not a test): collect a 1 GiB devcoredump from a umockdev
/sys and report seconds from the uevent to the kernel's copy being freed, MB/s, the daemon's
peak RSS (the collector process's, from the daemon's debug log, and the daemon's VmHWM), its
idle RSS before and after, then after 9 more (small) dumps, and its
wakeups while idle (context switches over GPUDUMP_BENCH_IDLE seconds, default 30: an idle
daemon without WatchdogSec= has no timer and should wake 0 times). Targets: >= 400 MB/s,
<= 32 MiB peak, <= 4 MiB idle after 10 dumps, 0 idle wakeups.

usage: daemon-bench.py [GEN-BENCH]   (GPUDUMP_SOURCE_ROOT/GPUDUMP_BUILD_ROOT set by meson)
The dump comes from GEN-BENCH (tests/bench/gen-bench.c) when given, else from repeating a
tests/fixtures/xegen.py dump; GPUDUMP_BENCH_MIB changes its size (default 1024),
GPUDUMP_BENCH_LEVEL the zstd level (default: the daemon's).
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("GPUDUMP_SOURCE_ROOT", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")), "tests", "daemon"))
import gdtest  # noqa: E402  (re-executes us under the umockdev preload)

MIB = int(os.environ.get("GPUDUMP_BENCH_MIB", "1024"))
LEVEL = os.environ.get("GPUDUMP_BENCH_LEVEL", "")  # default: the daemon's
IDLE = float(os.environ.get("GPUDUMP_BENCH_IDLE", "30"))


def status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])  # kB
    return -1


def cpu_seconds(pid):
    """The daemon's CPU time and its reaped children's (the collector processes)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def collector_peaks(env):
    """Peak RSS (KiB) of each collector process, from the daemon's debug log."""
    return [int(m) for m in re.findall(r"collector process: peak RSS (\d+) KiB", env.log_text())]


def private_kib(pid):
    """Pss: the daemon's share of its pages (shared libraries split among their users)."""
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return -1


def rss_by_object(pid):
    """Resident KiB per mapped file (anonymous memory as "[anon]"), from /proc/PID/smaps."""
    out = {}
    name = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            parts = line.split()
            if parts and "-" in parts[0] and not parts[0].endswith(":"):
                name = os.path.basename(parts[5]) if len(parts) > 5 else "[anon]"
            elif parts and parts[0] == "Rss:":
                out[name] = out.get(name, 0) + int(parts[1])
    return out


def make_dump(path, gen):
    if gen:
        subprocess.run([gen, path, str(MIB)], check=True, env=gdtest.plain_env(),
                       stdout=subprocess.DEVNULL)
        return
    unit = b"".join(gdtest.xe_dump(s) for s in range(64))
    with open(path, "wb") as f:
        left = MIB << 20
        while left > 0:
            f.write(unit[:left])
            left -= min(left, len(unit))


def main():
    gen = sys.argv[1] if len(sys.argv) > 1 else None
    env = gdtest.Env("[RateLimit]\nBurst=0\n[Store]\nMaxUse=infinity\nKeepFree=0\n"
                     "[Collect]\nDumpSizeMax=infinity\n" +
                     ("CompressionLevel=%s\n" % LEVEL if LEVEL else ""))
    try:
        gpu = env.add_gpu()
        env.start(args=["--no-scan"])
        time.sleep(1)
        pid = env.daemon.pid
        idle = status(pid, "VmRSS")
        idle_anon = status(pid, "RssAnon")
        idle_pss = private_kib(pid)
        idle_objs = rss_by_object(pid)
        devcd = env.add_devcd(gpu, b"", uevent=False)  # dump 1 of 10: the big one
        data = env.real(devcd) + "/data"
        make_dump(data, gen)
        size = os.path.getsize(data)
        with open(data, "rb") as f:
            head = f.read(64)
        subprocess.run(["cat", data], stdout=subprocess.DEVNULL, env=gdtest.plain_env())
        cpu0 = cpu_seconds(pid)
        t0 = time.monotonic()
        env.uevent(devcd, "add")

        def freed():
            with open(data, "rb") as f:
                return f.read(64) != head
        gdtest.wait_for(freed, "the kernel's copy to be freed", timeout=600, interval=0.005)
        secs = time.monotonic() - t0
        cpu = cpu_seconds(pid) - cpu0
        peak = status(pid, "VmHWM")
        gdtest.wait_for(lambda: collector_peaks(env), "the collector's figures in the log")
        peak_collector = collector_peaks(env)[0]
        time.sleep(1)
        idle_after = status(pid, "VmRSS")
        idle_after_anon = status(pid, "RssAnon")
        after_objs = rss_by_object(pid)
        eid = env.entries()[0]
        comp = os.path.getsize(os.path.join(env.store, eid + ".zst"))
        meta = env.meta(eid)
        gdtest.check(meta["size"] == size, "stored %d of %d bytes" % (meta["size"], size))
        # The daemon dlopen()s libgpudump for the analysis: make sure it did run.
        gdtest.check(meta["format"] != "unknown", "the dump was not analysed (libgpudump?)")
        print("gpudumpd collect: %d bytes (%.0f MiB) -> %d compressed (%.1f%%), format %s"
              % (size, size / 2**20, comp, 100.0 * comp / size, meta["format"]))
        print("  uevent -> kernel copy freed: %.2f s, %.0f MB/s" % (secs, size / secs / 1e6))
        print("  daemon CPU time: %.2f s, %.0f MB per CPU second (wall time suffers when the "
              "machine is loaded: load average %.1f)" % (cpu, size / max(cpu, 0.01) / 1e6,
                                                         os.getloadavg()[0]))
        print("  peak RSS: collector process %.1f MiB, daemon (VmHWM) %.1f MiB; idle RSS: %.1f MiB "
              "before (%.1f MiB anonymous, %.1f MiB Pss), %.1f MiB after (%.1f MiB anonymous)"
              % (peak_collector / 1024, peak / 1024, idle / 1024, idle_anon / 1024,
                 idle_pss / 1024, idle_after / 1024, idle_after_anon / 1024))
        # Nine more dumps (small ones: the idle figure is about what stays mapped afterwards).
        for seed in range(9):
            env.add_devcd(gpu, gdtest.xe_dump(100 + seed))
            gdtest.wait_for(lambda: len(env.entries()) >= seed + 2, "dump %d to be stored" % (seed + 2),
                            timeout=120)
        time.sleep(1)
        idle10 = status(pid, "VmRSS")
        idle10_anon = status(pid, "RssAnon")
        idle10_pss = private_kib(pid)
        sw0 = (status(pid, "voluntary_ctxt_switches"), status(pid, "nonvoluntary_ctxt_switches"))
        cpu_idle0 = cpu_seconds(pid)
        time.sleep(IDLE)
        sw1 = (status(pid, "voluntary_ctxt_switches"), status(pid, "nonvoluntary_ctxt_switches"))
        cpu_idle = cpu_seconds(pid) - cpu_idle0
        print("  idle RSS after 10 dumps: %.1f MiB VmRSS (%.1f MiB anonymous, %.1f MiB Pss)"
              % (idle10 / 1024, idle10_anon / 1024, idle10_pss / 1024))
        print("  idle wakeups over %.0f s: %d voluntary + %d involuntary context switches, "
              "%.2f s CPU" % (IDLE, sw1[0] - sw0[0], sw1[1] - sw0[1], cpu_idle))
        print("  targets: >= 400 MB/s, <= 32 MiB peak, <= 4 MiB idle after 10 dumps, "
              "0 idle wakeups")
        print("  idle RSS by object, KiB before -> after (>= 64 KiB):")
        for name in sorted(set(idle_objs) | set(after_objs),
                           key=lambda n: -max(idle_objs.get(n, 0), after_objs.get(n, 0))):
            b, a = idle_objs.get(name, 0), after_objs.get(name, 0)
            if max(a, b) >= 64:
                print("    %6d -> %6d  %s" % (b, a, name))
    finally:
        env.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
