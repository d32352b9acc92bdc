#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Integration tests of gpudumpd: the real daemon on a umockdev /sys and a private bus.

usage: test-gpudumpd.py TEST   (meson registers one test per name; `list` prints them)
"""

import json
import random
import os
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdtest  # noqa: E402  (re-executes us under the umockdev preload)
from gdtest import check, wait_for, wait_equal, Failure  # noqa: E402

NO_RATE_LIMIT = "[RateLimit]\nBurst=0\n"


def collected_ok(env, entry_id, data, devcd):
    """The common checks of one collected dump."""
    # The kernel's copy is freed right after the entry appears: wait, do not sample.
    wait_for(lambda: env.read_data(devcd) != data, "the kernel's copy of %s to be freed" % devcd)
    check(env.decompress(entry_id) == data,
          "%s does not decompress to the bytes of data" % entry_id)
    path = os.path.join(env.store, entry_id + ".json")
    gdtest.validate_entry(path)
    for suffix in (".json", ".zst"):
        mode = os.stat(os.path.join(env.store, entry_id + suffix)).st_mode & 0o777
        check(mode & 0o027 == 0, "%s%s has mode %o, wider than 0640" % (entry_id, suffix, mode))


def test_collect():
    """A dump appears, is stored, freed, listed, signalled; metadata follows the schema."""
    env = gdtest.Env(NO_RATE_LIMIT)
    try:
        gpu = env.add_gpu()
        env.start()
        mon = subprocess.Popen(["busctl", "--address=" + env.address, "monitor", "--json=short"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=gdtest.plain_env())
        out = bytearray()

        def monitor_lines():
            # Raw reads: a buffered readline() could hold lines select() no longer sees.
            while select.select([mon.stdout], [], [], 0)[0]:
                chunk = os.read(mon.stdout.fileno(), 65536)
                if not chunk:
                    break
                out.extend(chunk)
            return [json.loads(line) for line in bytes(out).split(b"\n")[:-1] if line.strip()]

        def collected_signals():
            return [m.get("payload", {}).get("data") for m in monitor_lines()
                    if m.get("member") == "DumpCollected"]

        def monitor_attached():
            # Ping until the monitor reports traffic: only then can no signal be missed.
            env.busctl("call", gdtest.BUS_NAME, gdtest.BUS_PATH, "org.freedesktop.DBus.Peer",
                       "Ping")
            return monitor_lines()
        wait_for(monitor_attached, "busctl monitor to attach")
        data = gdtest.xe_dump(1)
        devcd = env.add_devcd(gpu, data)
        ids = wait_for(env.entries, "the entry")
        check(len(ids) == 1, "one dump gave %d entries" % len(ids))
        eid = ids[0]
        wait_for(lambda: env.read_data(devcd) != data, "the kernel's copy to be freed")
        collected_ok(env, eid, data, devcd)
        meta = env.meta(eid)
        check(meta["driver"] == "xe", "driver %r" % meta["driver"])
        check(meta["device"]["pci_slot"] == gpu["slot"], "pci slot %r" % meta["device"])
        check(meta["device"]["vendor_id"] == "0x8086", "vendor %r" % meta["device"])
        check(meta["device"]["device_id"] == "0x64a0", "device %r" % meta["device"])
        check(meta["device"]["drm_card"] == "card0", "card %r" % meta["device"])
        check(meta["devname"] == "devcd1" and meta["source"] == "devcoredump", "devname")
        check(meta["size"] == len(data), "size %d != %d" % (meta["size"], len(data)))
        check(meta["compressed_size"] == os.path.getsize(os.path.join(env.store, eid + ".zst")),
              "compressed_size")
        check(meta["state"] == "complete" and meta["occurrences"] == 1, "state/occurrences")
        check(meta["format"] == "xe", "format %r" % meta["format"])
        check(meta["signature"], "no signature")
        with open("/proc/sys/kernel/random/boot_id") as f:
            check(meta["boot_id"] == f.read().strip().replace("-", ""), "boot id")
        check(meta["kernel"] == os.uname().release, "kernel %r" % meta["kernel"])

        # Bus: list, get, version, introspection, the signal.
        listed = env.list_entries()
        check([e["id"] for e in listed] == [eid], "ListEntries: %r" % listed)
        check(env.call_json("GetEntry", "s", eid) == meta, "GetEntry differs from the file")
        r = env.call("GetEntry", "s", "20990101T000000-00000000-000001", check_rc=False)
        check(r.returncode != 0 and "no entry" in r.stderr, "GetEntry of nothing: %s" % r.stderr)
        v = env.busctl("get-property", gdtest.BUS_NAME, gdtest.BUS_PATH, gdtest.BUS_IFACE,
                       "Version").stdout
        check(v.strip() == 's "0.1.0"', "Version: %r" % v)
        intro = env.busctl("introspect", gdtest.BUS_NAME, gdtest.BUS_PATH).stdout
        for member in ("ListEntries", "GetEntry", "OpenDump", "Decode", "DeleteEntry",
                       "DumpCollected", "Version"):
            check(member in intro, "introspection lacks " + member)
        filt = env.call_json("ListEntries", "a{sv}", 1, "driver", "s", "amdgpu")
        check(filt == [], "driver filter: %r" % filt)
        filt = env.call_json("ListEntries", "a{sv}", 1, "since", "t", meta["timestamp_usec"] + 1)
        check(filt == [], "since filter: %r" % filt)
        # The monitor prints asynchronously: wait for the signal, then for the monitor to have
        # seen a later Ping too, so a second (wrong) DumpCollected would be in the output.
        wait_for(collected_signals, "the DumpCollected signal")
        n_pings = sum(m.get("member") == "Ping" for m in monitor_lines())
        env.busctl("call", gdtest.BUS_NAME, gdtest.BUS_PATH, "org.freedesktop.DBus.Peer", "Ping")

        def last_ping_answered():
            msgs = monitor_lines()
            pings = [k for k, m in enumerate(msgs) if m.get("member") == "Ping"]
            return len(pings) > n_pings and any(m.get("type") == "method_return"
                                                for m in msgs[pings[-1]:])
        wait_for(last_ping_answered, "the monitor to see the reply to the last Ping")
        got = collected_signals()
        check(got == [[eid]], "DumpCollected signals: %r" % got)
        mon.terminate()
        mon.wait(timeout=gdtest.TIMEOUT)
    finally:
        env.close()


def test_scan():
    """Dumps that exist before the daemon starts (devcoredump and i915 error) are collected;
    a failing_device link that appears late is waited for."""
    env = gdtest.Env(NO_RATE_LIMIT)
    try:
        gpu = env.add_gpu()
        igpu = env.add_gpu(slot="0000:00:03.0", driver="i915", device=0x9a49, card="card1")
        data = gdtest.xe_dump(2)
        devcd = env.add_devcd(gpu, data, uevent=False)
        card = igpu["syspath"] + "/drm/card1"
        err = b"i915 error state (fake, opaque to the daemon)\n" * 20
        env.write_data(card, err, name="error")
        os.makedirs(env.real("/sys/class/devcoredump"), exist_ok=True)
        with open(env.real("/sys/class/devcoredump/disabled"), "w") as f:
            f.write("1\n")  # lockdown is reported, and dumps already there still collected
        env.start()
        check("devcoredumps are disabled" in env.log_text(), "disabled state not reported")
        wait_for(lambda: len(env.entries()) == 2, "two entries from the scan")
        metas = {env.meta(i)["devname"]: env.meta(i) for i in env.entries()}
        check(set(metas) == {"devcd1", "card1"}, "entries %r" % list(metas))
        collected_ok(env, metas["devcd1"]["id"], data, devcd)
        check(metas["card1"]["source"] == "i915-error", "i915 source")
        check(metas["card1"]["driver"] == "i915", "i915 driver %r" % metas["card1"]["driver"])
        check(env.decompress(metas["card1"]["id"]) == err, "i915 bytes")
        gdtest.validate_entry(os.path.join(env.store, metas["card1"]["id"] + ".json"))
        wait_for(lambda: env.read_data(card, name="error") != err, "the i915 error state to be "
                 "cleared")

        # Late link: the uevent comes before failing_device exists (older kernels). The daemon
        # says it waits; the link made then must end up in the entry (device details).
        data2 = gdtest.xe_dump(3)
        devcd2 = env.add_devcd(gpu, data2, link=False)
        wait_for(lambda: "devcd2: no failing_device link yet" in env.log_text(),
                 "the daemon to wait for the link")
        env.link_failing(devcd2, gpu)
        wait_for(lambda: len(env.entries()) == 3, "the late-linked dump")
        new = [env.meta(i) for i in env.entries() if env.meta(i)["devname"] == "devcd2"]
        check(len(new) == 1 and new[0]["driver"] == "xe" and
              new[0]["device"]["pci_slot"] == gpu["slot"], "late link entry %r" % new)
        collected_ok(env, new[0]["id"], data2, devcd2)

        # i915 change uevent with ERROR=1 (a new error state after the first was cleared).
        err2 = b"second i915 error state\n" * 10
        env.write_data(card, err2, name="error")
        env.tb.set_property(card, "ERROR", "1")
        env.uevent(card, "change")
        wait_for(lambda: len(env.entries()) == 4, "the i915 ERROR=1 uevent")
        wait_for(lambda: env.read_data(card, name="error") != err2,
                 "the second i915 error state to be cleared")
    finally:
        env.close()


def test_kill():
    """SIGKILL at each stage of a collection leaves no corrupt entry, never frees the kernel's
    copy early, and the dump is collected (once) after a restart."""
    for stage in ("streaming", "linked", "complete"):
        env = gdtest.Env(NO_RATE_LIMIT)
        try:
            gpu = env.add_gpu()
            data = gdtest.xe_dump(4)
            env.start(extra_env={"GPUDUMPD_TEST_PAUSE_AT": stage})
            devcd = env.add_devcd(gpu, data)
            wait_for(lambda: "GPUDUMPD_TEST_PAUSED " + stage in env.log_text(),
                     "the daemon to reach " + stage)
            files = env.store_files()
            if stage == "complete":
                check(len(env.entries()) == 1, "complete: %r" % files)
            else:
                check(env.entries() == [], "%s: an entry exists already: %r" % (stage, files))
            if stage == "streaming":
                # The stream runs in a thread: the bus is served meanwhile.
                check(env.list_entries() == [], "ListEntries during a collection")
            # The order that matters: the kernel's copy is untouched until the entry is done.
            check(env.read_data(devcd) == data, "%s: kernel copy freed too early" % stage)
            env.kill()
            env.start()
            wait_for(lambda: env.read_data(devcd) != data, "%s: collection after restart" % stage)
            ids = env.entries()
            check(len(ids) == 1, "%s: %d entries after restart: %r" % (stage, len(ids),
                                                                     env.store_files()))
            collected_ok(env, ids[0], data, devcd)
            check(env.store_files() == [ids[0] + ".json", ids[0] + ".zst"],
                  "%s: leftovers %r" % (stage, env.store_files()))
            if stage == "linked":
                check("removed 1 incomplete file" in env.log_text(),
                      "the orphaned dump was not removed at start")
        finally:
            env.close()


def test_kill_i915():
    """An i915 error state is stored once: SIGKILL after its entry is complete but before
    cardN/error is cleared, and the restart recognises it (source_head) and only clears it."""
    for burst in ("0", "5"):  # without and with the rate limit (which would count it again)
        env = gdtest.Env("[RateLimit]\nBurst=%s\n" % burst)
        try:
            igpu = env.add_gpu(slot="0000:00:03.0", driver="i915", device=0x9a49, card="card1")
            card = igpu["syspath"] + "/drm/card1"
            err = (b"i915 GPU error state\nTime: 1763712900 s 123456 us\n" +
                   b"fake error state, opaque to the daemon\n" * 200)
            env.write_data(card, err, name="error")
            env.start(extra_env={"GPUDUMPD_TEST_PAUSE_AT": "complete"})
            wait_for(lambda: "GPUDUMPD_TEST_PAUSED complete" in env.log_text(),
                     "the daemon to reach complete")
            check(len(env.entries()) == 1, "complete: %r" % env.store_files())
            check(env.read_data(card, name="error") == err, "cardN/error cleared too early")
            first = env.entries()[0]
            head = env.meta(first).get("source_head")
            check(head and head["bytes"] == 4096, "source_head %r" % head)
            gdtest.validate_entry(os.path.join(env.store, first + ".json"))
            env.kill()
            env.start()
            wait_for(lambda: env.read_data(card, name="error") != err,
                     "cardN/error to be cleared after the restart")
            check(env.entries() == [first], "stored again: %r" % env.store_files())
            check(env.meta(first)["occurrences"] == 1, "counted again: %r" % env.meta(first))
            check("card1: already stored as " + first in env.log_text(),
                  "the restart did not say it recognised the error state")
            # A new error state on the same card is a new entry.
            err2 = b"i915 GPU error state\nTime: 1763713000 s 5 us\n" + b"another\n" * 10
            env.write_data(card, err2, name="error")
            env.tb.set_property(card, "ERROR", "1")
            env.uevent(card, "change")
            wait_for(lambda: len(env.entries()) == 2, "the second error state")
            new = [i for i in env.entries() if i != first][0]
            check(env.decompress(new) == err2, "second error state bytes")
            check(env.meta(new)["source_head"]["bytes"] == len(err2), "short source_head")
        finally:
            env.close()


def test_kill_random():
    """SIGKILL at 20 random points of collections (devcoredumps and i915 error states): after
    each restart every dump is stored exactly once, complete, and no file is left over."""
    seed = int(os.environ.get("GPUDUMP_TEST_SEED", "0")) or random.randrange(1, 1 << 30)
    print("seed %d (GPUDUMP_TEST_SEED to repeat)" % seed)
    rnd = random.Random(seed)
    env = gdtest.Env(NO_RATE_LIMIT)
    try:
        gpu = env.add_gpu()
        igpu = env.add_gpu(slot="0000:00:03.0", driver="i915", device=0x9a49, card="card1")
        card = igpu["syspath"] + "/drm/card1"
        expect = []  # the bytes of every dump handed to the kernel so far
        no_error = b"No error state collected\n"
        env.write_data(card, no_error, name="error")

        def settle_card():
            # The kernel answers a write to cardN/error by having none; the testbed keeps the
            # bytes written ("1\n"): put back what the kernel would show.
            if env.read_data(card, name="error") == b"1\n":
                env.write_data(card, no_error, name="error")

        env.start()
        for k in range(20):
            if k % 4 == 3:
                # cardN/error holds one error state at a time: the previous one is cleared.
                wait_for(lambda: env.read_data(card, name="error") in (b"1\n", no_error),
                         "card1 to be clear")
                settle_card()
                data = (b"i915 GPU error state\nTime: %d s %d us\n" % (1763712900 + k, k) +
                        rnd.randbytes(256 * 1024).hex().encode())
                env.write_data(card, data, name="error")
                env.tb.set_property(card, "ERROR", "1")
                env.uevent(card, "change")
            else:
                # Incompressible and a few MiB: a collection that takes a while to kill into.
                data = gdtest.xe_dump(100 + k) + rnd.randbytes(rnd.randrange(1, 4) << 20).hex().encode()
                env.add_devcd(gpu, data)
            expect.append(data)
            time.sleep(rnd.uniform(0, 0.4))
            env.kill()
            settle_card()
            env.start()
            wait_for(lambda: len(env.entries()) == len(expect),
                     "dump %d to be collected after the kill" % k, timeout=120)
        stored = sorted(env.decompress(i) for i in env.entries())
        check(len(stored) == 20 and stored == sorted(expect),
              "%d entries, lost or corrupt ones (seed %d)" % (len(stored), seed))
        for i in env.entries():
            gdtest.validate_entry(os.path.join(env.store, i + ".json"))
        files = sorted(env.store_files())
        check(files == sorted([i + ext for i in env.entries() for ext in (".json", ".zst")]),
              "leftovers %r (seed %d)" % (files, seed))
    finally:
        env.close()


def test_auth():
    """Contents and deletion: root is allowed; an unprivileged caller (no polkit on the bus)
    is denied, but may list."""
    env = gdtest.Env(NO_RATE_LIMIT)
    try:
        gpu = env.add_gpu()
        env.start()
        data = gdtest.xe_dump(5)
        env.add_devcd(gpu, data)
        eid = wait_for(env.entries, "the entry")[0]
        # Unprivileged: listing works, contents and deletion do not.
        listed = env.call_json("ListEntries", "a{sv}", 0, user="nobody")
        check([e["id"] for e in listed] == [eid], "nobody cannot list: %r" % listed)
        for method, sig, args in (("OpenDump", "s", [eid]), ("Decode", "sa{sv}", [eid, 0]),
                                  ("DeleteEntry", "s", [eid])):
            r = env.call(method, sig, *args, user="nobody", check_rc=False)
            check(r.returncode != 0, "nobody was allowed %s" % method)
            check("Access denied" in r.stderr or "AccessDenied" in r.stderr or
                  "Not authorized" in r.stderr, "%s: not an access error: %s" % (method, r.stderr))
        check(env.entries() == [eid], "a denied DeleteEntry deleted")
        # Root: the fd holds the compressed dump.
        r = subprocess.run(
            ["busctl", "--address=" + env.address, "call", gdtest.BUS_NAME, gdtest.BUS_PATH,
             gdtest.BUS_IFACE, "OpenDump", "s", eid], capture_output=True, text=True,
            env=gdtest.plain_env())
        check(r.returncode == 0 and r.stdout.startswith("h "), "OpenDump as root: %s" % r.stderr)
        rep = os.path.join(env.tmp, "report.json")
        with open(rep, "w") as f:
            json.dump(env.call_json("Decode", "sa{sv}", eid, 1, "include_vma_data", "b", "false"),
                      f)
        r = subprocess.run([sys.executable, os.path.join(gdtest.SRC, "tests", "validate-json.py"),
                            os.path.join(gdtest.SRC, "schemas", "gpudump-report.schema.json"), rep],
                           capture_output=True, text=True, env=gdtest.plain_env())
        check(r.returncode == 0, "Decode report invalid: %s%s" % (r.stdout, r.stderr))
        r = env.call("Decode", "sa{sv}", eid, 1, "bogus", "b", "true", check_rc=False)
        check(r.returncode != 0 and "unknown option" in r.stderr,
              "unknown Decode option accepted: %s" % r.stderr)
        env.call("DeleteEntry", "s", eid)
        check(env.entries() == [] and env.store_files() == [], "DeleteEntry left %r"
              % env.store_files())
        r = env.call("DeleteEntry", "s", eid, check_rc=False)
        check(r.returncode != 0 and "no entry" in r.stderr, "second delete: %s" % r.stderr)
    finally:
        env.close()


def test_enospc():
    """A full store keeps the kernel's copy and collects it once space returns."""
    mnt = None
    env = gdtest.Env(NO_RATE_LIMIT + "[Store]\nMaxUse=infinity\nKeepFree=0\n")
    try:
        mnt = os.path.join(env.tmp, "small")
        os.mkdir(mnt)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0750", "tmpfs", mnt],
                       check=True)
        env.store = mnt
        gpu = env.add_gpu()
        env.start()
        # Incompressible: random bytes as hex, ~4x the file system.
        data = os.urandom(128 * 1024).hex().encode()
        devcd = env.add_devcd(gpu, data)
        wait_for(lambda: "No space left on device" in env.log_text(), "the ENOSPC failure")
        check(env.read_data(devcd) == data, "kernel copy freed although nothing was stored")
        check(env.entries() == [], "entry despite ENOSPC: %r" % env.store_files())
        check(env.daemon.poll() is None, "daemon died on ENOSPC")
        subprocess.run(["mount", "-o", "remount,size=4m", mnt], check=True)
        wait_for(env.entries, "collection once space returned")
        eid = env.entries()[0]
        wait_for(lambda: env.read_data(devcd) != data, "the kernel's copy to be freed")
        collected_ok(env, eid, data, devcd)
        check(env.store_files() == [eid + ".json", eid + ".zst"], "leftovers %r"
              % env.store_files())
    finally:
        env.stop()
        if mnt:
            subprocess.run(["umount", mnt])
        env.close()


def test_burst():
    """100 dumps across 4 GPUs: 100 entries, every kernel copy freed."""
    env = gdtest.Env(NO_RATE_LIMIT + "[Store]\nMaxUse=infinity\nKeepFree=0\nMaxEntries=1000\n")
    try:
        gpus = [env.add_gpu(slot="0000:0%d:00.0" % (i + 1), device=0x64a0 + i) for i in range(4)]
        env.start()
        dumps = []
        for i in range(100):
            data = gdtest.xe_dump(100 + i)
            dumps.append((env.add_devcd(gpus[i % 4], data), data))
            env.wait_queued(dumps[-1][0])
        wait_for(lambda: len(env.entries()) == 100, "100 entries", timeout=gdtest.TIMEOUT * 2)
        by_dev = {}
        for eid in env.entries():
            m = env.meta(eid)
            by_dev[m["devname"]] = m
        check(len(by_dev) == 100, "%d distinct dumps stored" % len(by_dev))
        for devcd, data in dumps:
            name = os.path.basename(devcd)
            m = by_dev[name]
            check(m["size"] == len(data), "%s size" % name)
            check(env.decompress(m["id"]) == data, "%s bytes" % name)
            wait_for(lambda: env.read_data(devcd) != data, name + " freed")
        slots = {m["device"]["pci_slot"] for m in by_dev.values()}
        check(len(slots) == 4, "devices %r" % slots)
        newest = env.call_json("ListEntries", "a{sv}", 2, "limit", "u", 5, "reverse", "b", "true")
        check([e["id"] for e in newest] == env.entries()[::-1][:5], "limit+reverse: %r"
              % [e["id"] for e in newest])
        check(len(env.list_entries()) == 100, "ListEntries without filters")
        check(env.daemon.poll() is None, "daemon died")
    finally:
        env.close()


def test_ratelimit():
    """After Burst dumps with one signature per interval, later ones only count."""
    env = gdtest.Env("[RateLimit]\nBurst=3\nInterval=1h\n")
    try:
        gpu = env.add_gpu()
        env.start()
        data = gdtest.xe_dump(7)
        devs = []
        for _ in range(10):
            devs.append(env.add_devcd(gpu, data))
            env.wait_queued(devs[-1])
        for d in devs:
            wait_for(lambda: env.read_data(d) != data, "every kernel copy freed")
        ids = env.entries()
        check(len(ids) == 3, "%d entries for one hang with Burst=3" % len(ids))
        occ = [env.meta(i)["occurrences"] for i in ids]
        check(sum(occ) == 10 and occ[-1] == 8, "occurrences %r" % occ)
        for i in ids:
            gdtest.validate_entry(os.path.join(env.store, i + ".json"))
        # A different hang is stored.
        other = gdtest.xe_dump(8)
        env.add_devcd(gpu, other)
        wait_for(lambda: len(env.entries()) == 4, "a different hang to be stored")
    finally:
        env.close()


def test_faults():
    """A dump that vanishes, one whose read fails part-way, one over DumpSizeMax and a denied
    driver: each logged, nothing crashes, the next dump is still collected."""
    env = gdtest.Env(NO_RATE_LIMIT + "[Collect]\nDumpSizeMax=4K\nDenyDrivers=amdgpu\n")
    try:
        gpu = env.add_gpu()
        amd = env.add_gpu(slot="0000:00:05.0", driver="amdgpu", vendor=0x1002, device=0x744c)
        env.start(extra_env={"GPUDUMPD_TEST_READ_EIO_AT": "devcd2:3000"})
        # 1: vanishes between the uevent and the read.
        d1 = env.add_devcd(gpu, b"x" * 100, uevent=False)
        os.unlink(env.real(d1) + "/data")
        env.uevent(d1, "add")
        wait_for(lambda: "devcd1: the dump vanished" in env.log_text(), "the vanished dump")
        # 2: EIO after 3000 bytes: what was read is kept, marked truncated.
        data2 = gdtest.xe_dump(9)[:3500]
        d2 = env.add_devcd(gpu, data2)
        wait_for(lambda: any(env.meta(i)["devname"] == "devcd2" for i in env.entries()),
                 "the EIO dump")
        m2 = [env.meta(i) for i in env.entries() if env.meta(i)["devname"] == "devcd2"][0]
        check(m2["state"] == "truncated" and m2["truncated_reason"] == "read-error",
              "EIO entry %r" % m2)
        check(m2["size"] == 3000 and env.decompress(m2["id"]) == data2[:3000], "EIO bytes")
        # 3: larger than DumpSizeMax=4K.
        data3 = gdtest.xe_dump(10)
        check(len(data3) > 4096, "fixture too small")
        d3 = env.add_devcd(gpu, data3)
        wait_for(lambda: any(env.meta(i)["devname"] == "devcd3" for i in env.entries()),
                 "the capped dump")
        m3 = [env.meta(i) for i in env.entries() if env.meta(i)["devname"] == "devcd3"][0]
        check(m3["state"] == "truncated" and m3["truncated_reason"] == "size-limit",
              "capped entry %r" % m3)
        check(env.decompress(m3["id"]) == data3[:4096], "capped bytes")
        gdtest.validate_entry(os.path.join(env.store, m3["id"] + ".json"))
        wait_for(lambda: env.read_data(d3) != data3, "capped dump freed")
        # 4: denied driver: left alone.
        data4 = b"amdgpu dump\n" * 10
        d4 = env.add_devcd(amd, data4)
        wait_for(lambda: "driver amdgpu is not collected" in env.log_text(), "the deny list")
        check(env.read_data(d4) == data4, "a denied dump was freed")
        # 6: removed by the kernel (timeout) while waiting for its failing_device link.
        d6 = env.add_devcd(gpu, b"expires\n", link=False, n=6)
        env.wait_queued(d6)
        env.remove_devcd(d6)
        wait_for(lambda: "devcd6: the kernel dropped the dump" in env.log_text(), "the remove")
        # 5: still working.
        data5 = b"small\n"
        d5 = env.add_devcd(gpu, data5, n=5)
        wait_for(lambda: any(env.meta(i)["devname"] == "devcd5" for i in env.entries()),
                 "the next dump")
        check(env.daemon.poll() is None, "daemon died")
        del d2
        check(len(env.entries()) == 3, "entries %r" % env.entries())
        check(not any(env.meta(i)["devname"] == "devcd6" for i in env.entries()), "devcd6")
        m5 = [env.meta(i) for i in env.entries() if env.meta(i)["devname"] == "devcd5"][0]
        check(m5["state"] == "complete" and env.decompress(m5["id"]) == data5, "devcd5")
        wait_for(lambda: env.read_data(d5) != data5, "devcd5 freed")
    finally:
        env.close()


def test_empty():
    """A dump of size 0 is stored and reported as size 0."""
    env = gdtest.Env(NO_RATE_LIMIT)
    try:
        gpu = env.add_gpu()
        env.start()
        env.add_devcd(gpu, b"")
        eid = wait_for(env.entries, "the empty entry")[0]
        m = env.meta(eid)
        check(m["size"] == 0 and m["state"] == "complete", "empty entry %r" % m)
        check(env.decompress(eid) == b"", "empty bytes")
        gdtest.validate_entry(os.path.join(env.store, eid + ".json"))
    finally:
        env.close()


def test_retention():
    """MaxAge at start, MaxEntries and MaxUse after each write (the oldest goes first); a bad
    config is refused with a message naming the key."""
    env = gdtest.Env(NO_RATE_LIMIT + "[Store]\nMaxEntries=3\nMaxUse=infinity\nKeepFree=0\n"
                     "MaxAge=30d\n")
    try:
        gpu = env.add_gpu()
        # An entry from 2020 (ids carry their time): older than MaxAge.
        os.makedirs(env.store)
        old = "20200101T000000-0123abcd-000001"
        for suffix, body in ((".zst", b""), (".json", b'{"id": "%s"}' % old.encode())):
            with open(os.path.join(env.store, old + suffix), "wb") as f:
                f.write(body)
        env.start()
        check(env.entries() == [] and "removed entry %s (MaxAge)" % old in env.log_text(),
              "MaxAge: %r" % env.store_files())
        # Retention follows each write: wait for the settled store, not the first sample.
        for i in range(1, 6):
            env.add_devcd(gpu, gdtest.xe_dump(199 + i))
            wait_for(lambda: "devcd%d" % i in env.devnames(), "devcd%d" % i)
        wait_equal(env.devnames, ["devcd3", "devcd4", "devcd5"], "MaxEntries=3 to keep the newest")
        check(env.daemon.poll() is None, "daemon died")
        env.stop()
        # MaxUse: room for about two incompressible 64 KiB dumps.
        with open(env.conf, "a") as f:
            f.write("[Store]\nMaxEntries=1000\nMaxUse=150K\n")
        env.start()
        for i in range(6, 9):
            env.add_devcd(gpu, os.urandom(64 * 1024))
            wait_for(lambda: "devcd%d" % i in env.devnames(), "devcd%d" % i)
        wait_equal(env.devnames, ["devcd7", "devcd8"], "MaxUse=150K to keep the newest two")
        check("(MaxUse)" in env.log_text(), "no MaxUse removal logged")
        env.stop()
        with open(env.conf, "a") as f:
            f.write("[Store]\nMaxAge=soon\n")
        env.start(wait_ready=False)
        rc = env.daemon.wait(timeout=gdtest.TIMEOUT)
        env.daemon = None
        env.log.close()
        check(rc != 0, "a bad config was accepted")
        check("MaxAge" in env.log_text() and "soon" in env.log_text(),
              "the error does not name the key: %s" % env.log_text())
    finally:
        env.close()


def test_notify():
    """sd_notify READY=1 once started, WATCHDOG=1 pings (sd_event_set_watchdog), STOPPING=1 on
    SIGTERM; and a clean exit."""
    import socket
    env = gdtest.Env(NO_RATE_LIMIT)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        path = os.path.join(env.tmp, "notify")
        sock.bind(path)
        sock.settimeout(gdtest.TIMEOUT)
        env.start(extra_env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"})
        msgs = []
        while sum(m.count("WATCHDOG=1") for m in msgs) < 3:
            msgs.append(sock.recv(4096).decode())
        check(any("READY=1" in m for m in msgs), "no READY=1 in %r" % msgs)
        rc = env.stop()
        check(rc == 0, "exit status %r after SIGTERM" % rc)
        sock.settimeout(1)
        rest = []
        try:
            while True:
                rest.append(sock.recv(4096).decode())
        except socket.timeout:
            pass
        check(any("STOPPING=1" in m for m in rest), "no STOPPING=1 in %r" % rest)
    finally:
        sock.close()
        env.close()


TESTS = {
    "notify": test_notify,
    "collect": test_collect,
    "scan": test_scan,
    "kill": test_kill,
    "kill-i915": test_kill_i915,
    "kill-random": test_kill_random,
    "auth": test_auth,
    "enospc": test_enospc,
    "burst": test_burst,
    "ratelimit": test_ratelimit,
    "faults": test_faults,
    "empty": test_empty,
    "retention": test_retention,
}

if __name__ == "__main__":
    sys.exit(gdtest.run_tests(TESTS))
