#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""gpudumpd with the real system services it talks to: systemd-journald and polkitd.

usage: test-services.py {journal|polkit|list}

Each test runs in its own mount namespace (the script re-executes itself under
`unshare --mount --propagation private`): tmpfs mounts hide the host's journal sockets and
files, polkit actions and rules, so the private journald and polkitd see only what the test
puts there and nothing on the host changes. Everything is unmounted when the test exits.
"""

import json
import os
import shutil
import subprocess
import sys

MNTNS_MARK = "GPUDUMPD_TEST_MNTNS"
if __name__ == "__main__" and len(sys.argv) == 2 and sys.argv[1] != "list" \
        and os.geteuid() == 0 and os.environ.get(MNTNS_MARK) != str(os.getpid()):
    # unshare (without --fork) execs us in the same process: the mark holds our pid, so a
    # mark inherited from an outer run does not count.
    os.environ[MNTNS_MARK] = str(os.getpid())
    os.environ[MNTNS_MARK + "_OUTER"] = os.readlink("/proc/self/ns/mnt")
    os.execvp("unshare", ["unshare", "--mount", "--propagation", "private", "--",
                          sys.executable] + sys.argv)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdtest  # noqa: E402  (re-executes us under the umockdev preload)
from gdtest import check, wait_for, Failure  # noqa: E402

MESSAGE_ID = "5a3326f06881430f9e57269a37d1c13d"
JOURNALD = "/lib/systemd/systemd-journald"
POLKITD = "/usr/lib/polkit-1/polkitd"
POLKIT_BUS_POLICY = "/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf"
PKG = os.path.join(gdtest.SRC, "packaging")


def run(*cmd, **kw):
    """A helper program on the real system (no umockdev preload); failure is a test failure."""
    p = subprocess.run(list(cmd), capture_output=True, text=True, env=kw.pop("env", None) or
                       gdtest.plain_env(), **kw)
    check(p.returncode == 0, "%s failed (%d): %s%s" % (" ".join(cmd), p.returncode, p.stdout,
                                                       p.stderr))
    return p.stdout


def in_private_namespace():
    """The safety net under every mount below: never mount over the host's directories."""
    check(os.environ.get(MNTNS_MARK) == str(os.getpid()),
          "not re-executed under unshare (%s=%s, pid %d)"
          % (MNTNS_MARK, os.environ.get(MNTNS_MARK), os.getpid()))
    check(os.readlink("/proc/self/ns/mnt") != os.environ.get(MNTNS_MARK + "_OUTER"),
          "still in the caller's mount namespace: refusing to mount over system directories")


def tmpfs(path, mode="0755"):
    """Hide path (which must exist) behind an empty tmpfs in this mount namespace."""
    check(os.path.isdir(path), "%s does not exist to mount over" % path)
    run("mount", "-t", "tmpfs", "-o", "mode=" + mode + ",size=64m", "tmpfs", path)


def stop(proc):
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=gdtest.TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


# ---- journal ------------------------------------------------------------------------------

JOURNALD_CONF = """[Journal]
Storage=volatile
ReadKMsg=no
ForwardToSyslog=no
ForwardToKMsg=no
ForwardToConsole=no
ForwardToWall=no
RateLimitBurst=0
"""


def expected_fields(env, meta, deduplicated, gpu_name):
    """The GPUDUMP_* fields journal.c derives from an entry's metadata; gpu_name is how the
    message names the GPU."""
    def s(v):
        return "" if v is None else str(v)
    dev = meta.get("device") or {}
    proc = meta.get("process") or {}
    return {
        "MESSAGE_ID": MESSAGE_ID,
        "PRIORITY": "4",
        "GPUDUMP_ID": meta["id"],
        "GPUDUMP_GPU": gpu_name,
        "GPUDUMP_DRIVER": s(meta["driver"]),
        "GPUDUMP_DEVNAME": s(meta["devname"]),
        "GPUDUMP_PCI_SLOT": s(dev.get("pci_slot")),
        "GPUDUMP_VENDOR_ID": s(dev.get("vendor_id")),
        "GPUDUMP_DEVICE_ID": s(dev.get("device_id")),
        "GPUDUMP_DRM_CARD": s(dev.get("drm_card")),
        "GPUDUMP_PROCESS": s(proc.get("name")),
        "GPUDUMP_PID": s(proc.get("pid")),
        "GPUDUMP_REASON": s(meta["reason"]),
        "GPUDUMP_BLAMED_ENGINE": s(meta["blamed_engine"]),
        "GPUDUMP_SIGNATURE": s(meta["signature"]),
        "GPUDUMP_FORMAT": s(meta["format"]),
        "GPUDUMP_SIZE": s(meta["size"]),
        "GPUDUMP_COMPRESSED_SIZE": s(meta["compressed_size"]),
        "GPUDUMP_STATE": s(meta["state"]),
        "GPUDUMP_OCCURRENCES": s(meta["occurrences"]),
        "GPUDUMP_DEDUPLICATED": "1" if deduplicated else "0",
        "GPUDUMP_FILENAME": os.path.join(env.store, meta["id"] + ".zst"),
        "GPUDUMP_BOOT_ID": s(meta["boot_id"]),
    }


def test_journal():
    """A collected dump and a rate-limited repeat each leave one journal entry in a real
    systemd-journald, with the documented MESSAGE_ID and GPUDUMP_* fields matching the store;
    the packaged catalog explains the entry (journalctl -x)."""
    in_private_namespace()
    with open("/etc/machine-id") as f:
        machine_id = f.read().strip()
    # sd_journal_send() writes to /run/systemd/journal/socket; journald keeps volatile
    # journals in /run/log/journal and would use /var/log/journal if it existed.
    for d in ("/run/systemd", "/run/log", "/var/log/journal"):
        if d != "/var/log/journal" or os.path.isdir(d):
            tmpfs(d)
    os.makedirs("/run/systemd/journal")
    os.makedirs("/run/systemd/journald.conf.d")
    with open("/run/systemd/journald.conf.d/50-gpudump-test.conf", "w") as f:
        f.write(JOURNALD_CONF)
    env = gdtest.Env("[RateLimit]\nBurst=1\nInterval=1h\n")
    jlog_path = os.path.join(env.tmp, "journald.log")
    journald = None
    try:
        with open(jlog_path, "wb") as jlog:
            journald = subprocess.Popen([JOURNALD], stdin=subprocess.DEVNULL, stdout=jlog,
                                        stderr=subprocess.STDOUT, env=gdtest.plain_env())
        wait_for(lambda: os.path.exists("/run/systemd/journal/socket") or
                 journald.poll() is not None, "journald's socket")
        check(journald.poll() is None, "journald exited (%s):\n%s"
              % (journald.returncode, read(jlog_path)))
        jdir = "/run/log/journal/" + machine_id

        gpu = env.add_gpu()
        env.start()
        data = gdtest.xe_dump(21)
        devcd = env.add_devcd(gpu, data)
        wait_for(lambda: env.read_data(devcd) != data, "the kernel's copy to be freed")
        ids = env.entries()
        check(len(ids) == 1, "one dump gave entries %r" % ids)
        eid = ids[0]
        meta1 = env.meta(eid)
        # The same hang again: with Burst=1 it is only counted into the entry.
        devcd2 = env.add_devcd(gpu, data)
        wait_for(lambda: env.read_data(devcd2) != data, "the second kernel copy to be freed")
        check(env.entries() == [eid], "the repeat was stored: %r" % env.entries())
        meta2 = env.meta(eid)
        check(meta2["occurrences"] == 2, "occurrences %r after a repeat" % meta2["occurrences"])
        # A dump whose GPU stays unknown (no failing_device link) is named by its devcdN.
        data3 = gdtest.xe_dump(22)
        devcd3 = env.add_devcd(gpu, data3, link=False)
        wait_for(lambda: env.read_data(devcd3) != data3, "the unlinked dump to be collected")
        meta3 = [m for m in env.metas() if m["devname"] == "devcd3"]
        check(len(meta3) == 1 and meta3[0]["device"]["pci_slot"] is None and
              meta3[0]["driver"] == "xe", "the unlinked dump's entry: %r" % meta3)
        meta3 = meta3[0]
        gpu_name = "%s (xe, %s)" % (gpu["card"], gpu["slot"])

        def entries():
            run("journalctl", "--sync")
            out = run("journalctl", "--directory=" + jdir, "-o", "json", "--no-pager",
                      "MESSAGE_ID=" + MESSAGE_ID)
            return [json.loads(line) for line in out.splitlines() if line.strip()] or None
        got = wait_for(lambda: (lambda e: e if e and len(e) >= 3 else None)(entries()),
                       "three journal entries with MESSAGE_ID=" + MESSAGE_ID)
        check(len(got) == 3, "%d journal entries for three dumps" % len(got))
        daemon_pid = None
        for e, meta, dedup, name in ((got[0], meta1, False, gpu_name),
                                     (got[1], meta2, True, gpu_name),
                                     (got[2], meta3, False, "devcd3 (xe)")):
            for k, v in expected_fields(env, meta, dedup, name).items():
                check(e.get(k) == v, "journal field %s=%r, expected %r (entry %s)"
                      % (k, e.get(k), v, json.dumps(e, sort_keys=True)))
            check(e.get("_TRANSPORT") == "journal", "_TRANSPORT=%r" % e.get("_TRANSPORT"))
            check(e.get("_BOOT_ID") == meta["boot_id"], "_BOOT_ID %r, entry boot_id %r"
                  % (e.get("_BOOT_ID"), meta["boot_id"]))
            check(e.get("_UID") == "0", "_UID=%r" % e.get("_UID"))
            daemon_pid = daemon_pid or e.get("_PID")
            check(e.get("_PID") == daemon_pid == str(env.daemon.pid),
                  "_PID %r, daemon pid %d" % (e.get("_PID"), env.daemon.pid))
        check(got[0]["MESSAGE"] == "GPU hang on card0 (xe, 0000:00:02.0): %s; dump stored as %s"
              % (meta1["reason"], eid), "MESSAGE=%r" % got[0]["MESSAGE"])
        check(got[1]["MESSAGE"] == "GPU hang on card0 (xe, 0000:00:02.0): %s; counted into "
              "entry %s" % (meta2["reason"], eid), "MESSAGE=%r" % got[1]["MESSAGE"])
        check(got[2]["MESSAGE"] == "GPU hang on devcd3 (xe): %s; dump stored as %s"
              % (meta3["reason"], meta3["id"]), "MESSAGE=%r" % got[2]["MESSAGE"])
        check(meta1["reason"] and meta1["signature"] and meta1["device"]["pci_slot"] ==
              gpu["slot"], "the entry lacks the analysed fields the journal should carry: %r"
              % meta1)

        # The catalog, compiled into a private database, explains the entry (-x). journalctl
        # reads the database only from /var/lib/systemd/catalog: hide the host's.
        root = os.path.join(env.tmp, "root")
        catdir = os.path.join(root, "usr", "lib", "systemd", "catalog")
        os.makedirs(catdir)
        shutil.copy(os.path.join(PKG, "gpudump.catalog"), catdir)
        run("journalctl", "--root=" + root, "--update-catalog")
        db = os.path.join(root, "var", "lib", "systemd", "catalog", "database")
        check(os.path.isfile(db), "journalctl --update-catalog made no " + db)
        if not os.path.isdir("/var/lib/systemd/catalog"):
            tmpfs("/var/lib/systemd")
            os.makedirs("/var/lib/systemd/catalog")
        else:
            tmpfs("/var/lib/systemd/catalog")
        shutil.copy(db, "/var/lib/systemd/catalog/database")
        out = run("journalctl", "--directory=" + jdir, "-x", "-o", "short", "--no-pager",
                  "MESSAGE_ID=" + MESSAGE_ID, "GPUDUMP_DEDUPLICATED=0")
        want = [
            "-- Subject: GPU hang on card0 (xe, 0000:00:02.0) collected as %s" % eid,
            "-- Defined-By: gpudump",
            "-- The GPU at PCI slot %s (driver xe, %s) hung or" % (gpu["slot"], gpu["card"]),
            "-- state), %s. gpudumpd copied it into its store before the kernel dropped it,"
            % meta1["devname"],
            "-- Reason given by the driver: %s" % meta1["reason"],
            "-- Hang signature: %s (seen 1 time(s))" % meta1["signature"],
            "-- Stored dump: %s (%d bytes, state %s)" % (os.path.join(env.store, eid + ".zst"),
                                                         len(data), meta1["state"]),
        ]
        # Catalog lines start with "-- ", or "░░ " in a UTF-8 locale.
        lines = [("-- " + line[3:] if line.startswith("\u2591\u2591 ") else line).rstrip()
                 for line in out.splitlines()]
        for w in want:
            check(w in lines, "journalctl -x does not show %r:\n%s" % (w, out))
        check("@" not in "".join(line for line in lines if line.startswith("-- ")),
              "an unexpanded @FIELD@ in the catalog text:\n" + out)
        check(env.stop() == 0, "gpudumpd did not exit cleanly:\n" + env.log_text())
        check(journald.poll() is None, "journald died:\n" + read(jlog_path))
    finally:
        stop(journald)
        env.close()


# ---- polkit -------------------------------------------------------------------------------

# The system bus' own policy (Debian's /usr/share/dbus-1/system.conf: nobody owns or calls
# anything unless a policy file allows it) plus the two policies that matter here: polkit's
# as installed, and gpudumpd's from packaging/.
STRICT_BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"
          send_member="UpdateActivationEnvironment"/>
  </policy>
  <include>%s</include>
  <include>%s</include>
</busconfig>
"""

# Test rules: nobody may read dumps but not delete them; SLOW_USER may read, once the test
# lets polkitd answer (it removes a flag file the test creates: a check that takes as long as
# someone typing a password); anyone else falls back to the action's defaults
# (auth_admin_keep: no agent, so "no").
SLOW_USER = "games"
TEST_RULES = """// gpudump test rules (tests/daemon/test-services.py)
polkit.addRule(function(action, subject) {
        if (subject.user == "%s" && action.id == "org.gpudump.read-dumps") {
                polkit.spawn(["/bin/sh", "-c",
                              "while ! rm %s 2>/dev/null; do sleep 0.05; done"]);
                return polkit.Result.YES;
        }
        if (subject.user != "nobody")
                return polkit.Result.NOT_HANDLED;
        if (action.id == "org.gpudump.read-dumps")
                return polkit.Result.YES;
        if (action.id == "org.gpudump.delete-dumps")
                return polkit.Result.NO;
        return polkit.Result.NOT_HANDLED;
});
"""

OTHER_USER = "daemon"  # an account with no rule


def denied(r):
    return r.returncode != 0 and ("Access denied" in r.stderr or "AccessDenied" in r.stderr or
                                  "Not authorized" in r.stderr)


def test_polkit():
    """A real polkitd on the private bus, with the packaged actions and test rules: nobody may
    read (OpenDump, Decode) but is refused DeleteEntry; another user is refused everything;
    each refusal is polkitd's answer, not a failure to ask it. While polkitd takes its time the
    daemon keeps working, and a caller that leaves has its check dropped."""
    in_private_namespace()
    # polkitd reads actions from /usr/share/polkit-1/actions and rules from these two
    # directories: replace them with just gpudump's.
    for d in ("/usr/share/polkit-1/actions", "/usr/share/polkit-1/rules.d",
              "/etc/polkit-1/rules.d"):
        tmpfs(d)
    shutil.copy(os.path.join(PKG, "org.gpudump.policy"), "/usr/share/polkit-1/actions")
    bus_config = STRICT_BUS_CONFIG % (POLKIT_BUS_POLICY,
                                      os.path.join(PKG, "org.gpudump.GpuDump1.conf"))
    env = gdtest.Env("[RateLimit]\nBurst=0\n", bus_config=bus_config)
    plog_path = os.path.join(env.tmp, "polkitd.log")
    polkitd = None
    try:
        # polkitd may run its rules as its own user: the flag lives where it may remove it.
        flag_dir = os.path.join(env.tmp, "flags")
        os.mkdir(flag_dir)
        os.chmod(flag_dir, 0o777)
        flag = os.path.join(flag_dir, "answer")
        with open("/etc/polkit-1/rules.d/50-gpudump-test.rules", "w") as f:
            f.write(TEST_RULES % (SLOW_USER, flag))
        with open(plog_path, "wb") as plog:
            polkitd = subprocess.Popen([POLKITD], stdin=subprocess.DEVNULL, stdout=plog,
                                       stderr=subprocess.STDOUT,
                                       env=dict(gdtest.plain_env(),
                                                DBUS_SYSTEM_BUS_ADDRESS=env.address))
        wait_for(lambda: env.busctl_ok("status", "org.freedesktop.PolicyKit1") or
                 polkitd.poll() is not None, "polkitd on the bus")
        check(polkitd.poll() is None, "polkitd exited (%s):\n%s"
              % (polkitd.returncode, read(plog_path)))
        # polkitd knows the packaged actions (pkaction asks it over the bus).
        out = run("pkaction", "--verbose", "--action-id", "org.gpudump.read-dumps",
                  env=dict(gdtest.plain_env(), DBUS_SYSTEM_BUS_ADDRESS=env.address))
        check("auth_admin_keep" in out, "pkaction: %s" % out)

        gpu = env.add_gpu()
        env.start()
        data = gdtest.xe_dump(31)
        env.add_devcd(gpu, data)
        eid = wait_for(env.entries, "the entry")[0]

        # The packaged bus policy lets anyone reach the daemon; listing needs no polkit.
        listed = env.call_json("ListEntries", "a{sv}", 0, user=OTHER_USER)
        check([e["id"] for e in listed] == [eid], "ListEntries as %s: %r" % (OTHER_USER, listed))
        # nobody: the rule allows reading.
        r = env.call("OpenDump", "s", eid, user="nobody", check_rc=False)
        check(r.returncode == 0 and json.loads(r.stdout).get("type") == "h",
              "OpenDump as nobody (allowed by the rule): %s%s\npolkitd:\n%s"
              % (r.stdout, r.stderr, read(plog_path)))
        rep = os.path.join(env.tmp, "report.json")
        with open(rep, "w") as f:
            json.dump(env.call_json("Decode", "sa{sv}", eid, 0, user="nobody"), f)
        run(sys.executable, os.path.join(gdtest.SRC, "tests", "validate-json.py"),
            os.path.join(gdtest.SRC, "schemas", "gpudump-report.schema.json"), rep)
        # nobody: the rule refuses deleting.
        r = env.call("DeleteEntry", "s", eid, user="nobody", check_rc=False)
        check(denied(r), "DeleteEntry as nobody (refused by the rule): %s%s"
              % (r.stdout, r.stderr))
        check(env.entries() == [eid], "a refused DeleteEntry deleted")
        # Another user: no rule, defaults are auth_admin_keep and there is no agent.
        for method, sig, args in (("OpenDump", "s", [eid]), ("Decode", "sa{sv}", [eid, 0]),
                                  ("DeleteEntry", "s", [eid])):
            r = env.call(method, sig, *args, user=OTHER_USER, check_rc=False)
            check(denied(r), "%s as %s (no rule): %s%s" % (method, OTHER_USER, r.stdout,
                                                          r.stderr))
        check(env.entries() == [eid], "a refused DeleteEntry deleted")
        # Every answer came from polkitd: the daemon logs a failed CheckAuthorization call.
        check("authorization of" not in env.log_text(),
              "gpudumpd could not ask polkitd:\n" + env.log_text())
        check(polkitd.poll() is None, "polkitd died:\n" + read(plog_path))

        # A slow answer: meanwhile the daemon serves the bus and collects dumps; the reply
        # follows polkitd's answer.
        def slow_open():
            asked = env.log_text().count("asked polkit whether")
            p = subprocess.Popen(
                ["setpriv", "--reuid=" + SLOW_USER, "--regid=nogroup", "--clear-groups",
                 "busctl", "--address=" + env.address, "--json=short",
                 "--timeout=%d" % (gdtest.TIMEOUT * 2), "call", gdtest.BUS_NAME,
                 gdtest.BUS_PATH, gdtest.BUS_IFACE, "OpenDump", "s", eid],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={"PATH": os.environ["PATH"]})
            wait_for(lambda: env.log_text().count("asked polkit whether") > asked or
                     p.poll() is not None, "gpudumpd to ask polkitd about " + SLOW_USER)
            if p.poll() is not None:
                raise Failure("OpenDump as %s ended before polkitd could answer: %r"
                              % (SLOW_USER, p.communicate()))
            return p
        slow = slow_open()
        check([e["id"] for e in env.list_entries()] == [eid], "ListEntries during a check")
        data2 = gdtest.xe_dump(32)
        devcd2 = env.add_devcd(gpu, data2)
        wait_for(lambda: env.read_data(devcd2) != data2, "a dump collected during a check")
        check(len(env.entries()) == 2, "entries %r" % env.entries())
        # Still waiting: only the flag makes polkitd answer.
        if slow.poll() is not None:
            # (polkitd gives up on a rule's helper after 10 s: its log says so.)
            raise Failure("OpenDump as %s answered before polkitd was let answer: %r\n"
                          "polkitd:\n%s" % (SLOW_USER, slow.communicate(), read(plog_path)))
        open(flag, "w").close()
        out, err = slow.communicate(timeout=gdtest.TIMEOUT)
        check(slow.returncode == 0 and json.loads(out).get("type") == "h",
              "OpenDump as %s once polkitd allowed it: %s%s\npolkitd:\n%s"
              % (SLOW_USER, out, err, read(plog_path)))
        # The caller gives up while polkitd thinks: the daemon drops (and cancels) the check.
        slow = slow_open()
        slow.kill()
        slow.wait()
        wait_for(lambda: "disconnected while waiting for authorization" in env.log_text(),
                 "gpudumpd to notice the caller left")
        open(flag, "w").close()
        wait_for(lambda: not os.path.exists(flag), "polkitd to finish the abandoned check")
        check(env.daemon.poll() is None, "gpudumpd died:\n" + env.log_text())
        r = env.call("OpenDump", "s", eid, user="nobody", check_rc=False)
        check(r.returncode == 0, "OpenDump as nobody after an abandoned check: %s" % r.stderr)
        check("authorization of" not in env.log_text(),
              "gpudumpd could not ask polkitd:\n" + env.log_text())
        check(polkitd.poll() is None, "polkitd died:\n" + read(plog_path))
        # Root needs no polkit.
        env.call("DeleteEntry", "s", eid)
        check(env.entries() != [] and eid not in env.entries(),
              "root's DeleteEntry left %r" % env.entries())
        # Stopped with a check pending: a clean exit, and the caller gets an error, not a hang.
        slow = slow_open()
        check(env.stop() == 0, "gpudumpd did not exit cleanly with a check pending:\n"
              + env.log_text())
        out, err = slow.communicate(timeout=gdtest.TIMEOUT)
        check(slow.returncode != 0, "OpenDump answered by a stopped daemon: %s" % out)
        open(flag, "w").close()
        wait_for(lambda: not os.path.exists(flag), "polkitd to finish the last check")
        check(polkitd.poll() is None, "polkitd died:\n" + read(plog_path))
    finally:
        stop(polkitd)
        env.close()


TESTS = {
    "journal": test_journal,
    "polkit": test_polkit,
}

if __name__ == "__main__":
    sys.exit(gdtest.run_tests(TESTS))
