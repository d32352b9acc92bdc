#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Print, one "deb URI SUITE COMPONENTS" line each, the Debian archive entries of this
machine's apt sources (/etc/apt/sources.list and sources.list.d/*.list and *.sources) whose
suite is SUITE or SUITE-something (bookworm, bookworm-updates, bookworm-security): the
vm-systemd test's root file system comes from the same archive as the machine's packages.
Other repositories (third-party .list files, disabled files) are left out.

usage: apt-sources.py SUITE [ROOT]
"""
import glob
import os
import re
import sys


def suite_ok(suite, want):
    return suite == want or re.fullmatch(re.escape(want) + r"-[a-z]+", suite) is not None


def one_line(path, want, out):
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            m = re.match(r"deb\s+(\[[^]]*\]\s+)?(\S+)\s+(\S+)\s+(.+)", line)
            if m and suite_ok(m.group(3), want):
                out.append("deb %s %s %s" % (m.group(2), m.group(3), m.group(4).strip()))


def deb822(path, want, out):
    with open(path) as f:
        text = f.read()
    for stanza in re.split(r"\n\s*\n", text):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[0].isspace():
                continue
            k, v = line.split(":", 1)
            fields[k.strip().lower()] = v.strip()
        if fields.get("enabled", "yes").lower() == "no":
            continue
        if "deb" not in fields.get("types", "").split():
            continue
        for uri in fields.get("uris", "").split():
            for suite in fields.get("suites", "").split():
                if suite_ok(suite, want):
                    out.append("deb %s %s %s" % (uri, suite, fields.get("components", "main")))


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    want = argv[1]
    root = argv[2] if len(argv) == 3 else "/"
    etc = os.path.join(root, "etc", "apt")
    out = []
    if os.path.exists(os.path.join(etc, "sources.list")):
        one_line(os.path.join(etc, "sources.list"), want, out)
    for p in sorted(glob.glob(os.path.join(etc, "sources.list.d", "*.list"))):
        one_line(p, want, out)
    for p in sorted(glob.glob(os.path.join(etc, "sources.list.d", "*.sources"))):
        deb822(p, want, out)
    if not out:
        print("apt-sources: no %s entry in %s" % (want, etc), file=sys.stderr)
        return 1
    for line in dict.fromkeys(out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
