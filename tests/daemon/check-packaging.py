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


def debian():
    try:
        osr = read("/etc/os-release")
    except OSError:
        return False
    return re.search(r"^ID=\"?debian\"?$", osr, re.M) is not None


# Where Debian bookworm's own packages put these files (systemd, udev, dbus, polkit). The catalog
# is where systemd.pc's catalogdir and Debian's systemd package have it (/usr/lib; /lib is the
# same directory on a merged-/usr system).
DEBIAN_PATHS = [
    "lib/systemd/system/gpudumpd.service",
    "lib/udev/rules.d/60-gpudumpd.rules",
    "usr/lib/systemd/catalog/gpudump.catalog",
    "usr/lib/tmpfiles.d/gpudump.conf",
    "usr/share/dbus-1/system.d/org.gpudump.GpuDump1.conf",
    "usr/share/dbus-1/system-services/org.gpudump.GpuDump1.service",
    "usr/share/polkit-1/actions/org.gpudump.policy",
    "etc/gpudump/gpudumpd.conf",
    "usr/share/bash-completion/completions/gpudump",
]


def check_install(src, tmp):
    """A fresh configuration with prefix /usr (the tests' build tree is left alone), its
    packaging files installed into a DESTDIR: generated at setup, so nothing is compiled."""
    meson = os.environ.get("MESON") or shutil.which("meson")
    if not meson:
        fail("meson not found")
    bdir = os.path.join(tmp, "build-usr")
    root = os.path.join(tmp, "destdir")
    r = subprocess.run([meson, "setup", "--prefix=/usr", "-Ddaemon=enabled", "-Dtests=disabled",
                        "-Dkernel=disabled", "-Dvm_tests=disabled", bdir, src],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail("meson setup --prefix=/usr: " + r.stdout[-2000:] + r.stderr[-2000:])
    r = subprocess.run([meson, "install", "-C", bdir, "--no-rebuild", "--tags", "packaging",
                        "--destdir", root], capture_output=True, text=True)
    if r.returncode != 0:
        fail("meson install --destdir: " + r.stdout[-2000:] + r.stderr[-2000:])
    installed = sorted(os.path.relpath(os.path.join(d, f), root)
                       for d, _, fs in os.walk(root) for f in fs)
    if debian():
        if installed != sorted(DEBIAN_PATHS):
            fail("installed %r, Debian has %r" % (installed, sorted(DEBIAN_PATHS)))
    else:
        names = sorted(os.path.basename(p) for p in installed)
        if names != sorted(os.path.basename(p) for p in DEBIAN_PATHS):
            fail("installed %r" % installed)


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
        # D-Bus activation file: same name as the policy owns and the unit's BusName=, and
        # activation through systemd (SystemdService=) of this unit.
        act = {}
        with open(os.path.join(pkg, "org.gpudump.GpuDump1.service")) as f:
            lines = [x.strip() for x in f if x.strip() and not x.startswith("#")]
        if lines[0] != "[D-BUS Service]":
            fail("activation file does not start with [D-BUS Service]: %r" % lines[0])
        for x in lines[1:]:
            k, _, v = x.partition("=")
            act[k] = v
        if act.get("Name") != owns[0]:
            fail("activation file Name=%r, policy owns %r" % (act.get("Name"), owns[0]))
        if act.get("SystemdService") != "gpudumpd.service":
            fail("activation file SystemdService=%r" % act.get("SystemdService"))
        if act.get("User") != "root" or "Exec" not in act:
            fail("activation file lacks User=root or Exec=: %r" % act)
        busnames = re.findall(r"^BusName=(.*)$", unit, re.M)
        if busnames != [owns[0]]:
            fail("unit BusName= %r, policy owns %r" % (busnames, owns[0]))
        m = re.search(r"^\[Install\]$(.*?)(?=^\[|\Z)", unit, re.M | re.S)
        if m and "Alias=dbus-%s.service" % owns[0] not in m.group(1):
            fail("unit [Install] lacks Alias=dbus-%s.service" % owns[0])
        with open(os.path.join(pkg, "60-gpudumpd.rules")) as f:
            rules = [line for line in f if line.strip() and not line.startswith("#")]
        if not any('SUBSYSTEM=="devcoredump"' in r and 'TAG+="systemd"' in r and
                   'ENV{SYSTEMD_WANTS}+="gpudumpd.service"' in r for r in rules):
            fail("udev rule does not start gpudumpd.service on devcoredump")
        check_docs(src)
        check_install(src, tmp)
    finally:
        shutil.rmtree(tmp)
    print("PASS: packaging")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
