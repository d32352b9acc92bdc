#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check the packaging files with the tools that consume them: the unit with
systemd-analyze verify, the journal catalog with journalctl --update-catalog (and that it
explains the daemon's MESSAGE_ID), the bus policy and polkit actions as XML with the action ids
the daemon asks for, and the udev rule's SYSTEMD_WANTS. And that the documentation follows the
code: every configuration key config.c parses is in gpudumpd.conf(5) and the packaged
gpudumpd.conf, every journal field journal.c sends is in gpudumpd(8).

usage: check-packaging.py SOURCE_ROOT BUILD_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.dom.minidom


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def read(*path):
    with open(os.path.join(*path)) as f:
        return f.read()


def check_docs(src):
    code = read(src, "daemon", "gpudumpd", "config.c")
    sections = set(re.findall(r'strcmp\(section, "(\w+)"\)', code))
    keys = set(re.findall(r'strcmp\(key, "(\w+)"\)', code))
    if len(sections) < 3 or len(keys) < 14:
        fail("config.c: found only sections %r and keys %r" % (sections, keys))
    man5 = read(src, "man", "gpudumpd.conf.5")
    sample = read(src, "packaging", "gpudumpd.conf")
    for sec in sorted(sections):
        if '.SH "[%s] SECTION"' % sec not in man5:
            fail("gpudumpd.conf(5) has no [%s] section" % sec)
        if "[%s]" % sec not in sample:
            fail("packaging/gpudumpd.conf has no [%s] section" % sec)
    for key in sorted(keys):
        if not re.search(r"^\.BI %s= " % key, man5, re.M):
            fail("gpudumpd.conf(5) does not document %s=" % key)
        if not re.search(r"^#%s=" % key, sample, re.M):
            fail("packaging/gpudumpd.conf does not list %s=" % key)
    fields = set(re.findall(r'"(GPUDUMP_[A-Z_]+)=', read(src, "daemon", "gpudumpd",
                                                           "journal.c")))
    man8 = read(src, "man", "gpudumpd.8")
    if len(fields) < 20:
        fail("journal.c: found only fields %r" % fields)
    for field in sorted(fields):
        if not re.search(r"^\.BR? %s\b" % field, man8, re.M):
            fail("gpudumpd(8) does not list the journal field " + field)


def main(src, build):
    pkg = os.path.join(src, "packaging")
    with open(os.path.join(src, "daemon", "gpudumpd", "daemon.h")) as f:
        msgid = re.search(r'GPUDUMPD_MESSAGE_ID "([0-9a-f]{32})"', f.read()).group(1)
    tmp = tempfile.mkdtemp(prefix="gpudump-pkg.")
    try:
        # Unit: verify the generated file, with ExecStart pointed at a binary that exists here.
        with open(os.path.join(build, "packaging", "gpudumpd.service")) as f:
            unit = f.read()
        for key in ("Type=notify", "WatchdogSec=", "StateDirectory=gpudump",
                    "ProtectSystem=strict", "PrivateTmp=yes", "CapabilityBoundingSet=",
                    "RestrictAddressFamilies=AF_NETLINK AF_UNIX", "ReadWritePaths=/sys/devices"):
            if key not in unit:
                fail("gpudumpd.service lacks " + key)
        unit = re.sub(r"ExecStart=.*", "ExecStart=" + os.path.join(build, "daemon", "gpudumpd",
                                                                     "gpudumpd"), unit)
        upath = os.path.join(tmp, "gpudumpd.service")
        with open(upath, "w") as f:
            f.write(unit)
        r = subprocess.run(["systemd-analyze", "verify", "--man=no", upath],
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stderr.strip():
            fail("systemd-analyze verify: " + r.stderr + r.stdout)
        # Catalog.
        cat = os.path.join(tmp, "root", "usr", "lib", "systemd", "catalog")
        os.makedirs(cat)
        shutil.copy(os.path.join(pkg, "gpudump.catalog"), cat)
        r = subprocess.run(["journalctl", "--root=" + os.path.join(tmp, "root"),
                            "--update-catalog"], capture_output=True, text=True)
        if r.returncode != 0:
            fail("journalctl --update-catalog: " + r.stderr)
        r = subprocess.run(["journalctl", "--root=" + os.path.join(tmp, "root"),
                            "--list-catalog"], capture_output=True, text=True)
        if not r.stdout.startswith(msgid + " gpudump: "):
            fail("catalog does not explain %s: %r" % (msgid, r.stdout))
        # XML files and the names in them.
        policy = xml.dom.minidom.parse(os.path.join(pkg, "org.gpudump.policy"))
        ids = sorted(a.getAttribute("id") for a in policy.getElementsByTagName("action"))
        if ids != ["org.gpudump.delete-dumps", "org.gpudump.read-dumps"]:
            fail("polkit actions %r" % ids)
        for a in policy.getElementsByTagName("allow_active"):
            if a.firstChild.data != "auth_admin_keep":
                fail("polkit default %r" % a.firstChild.data)
        conf = xml.dom.minidom.parse(os.path.join(pkg, "org.gpudump.GpuDump1.conf"))
        owns = [a.getAttribute("own") for a in conf.getElementsByTagName("allow")
                if a.getAttribute("own")]
        if owns != ["org.gpudump.GpuDump1"]:
            fail("bus policy owns %r" % owns)
        with open(os.path.join(pkg, "60-gpudumpd.rules")) as f:
            rules = [line for line in f if line.strip() and not line.startswith("#")]
        if not any('SUBSYSTEM=="devcoredump"' in r and 'TAG+="systemd"' in r and
                   'ENV{SYSTEMD_WANTS}+="gpudumpd.service"' in r for r in rules):
            fail("udev rule does not start gpudumpd.service on devcoredump")
        check_docs(src)
    finally:
        shutil.rmtree(tmp)
    print("PASS: packaging")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
