# SPDX-License-Identifier: MIT
"""Test harness for gpudumpd: a umockdev testbed with fake GPUs and devcoredumps, a private
dbus-daemon standing in for the system bus, and the real gpudumpd binary from the build tree.

Nothing is mocked but the kernel: the daemon reads a umockdev /sys (LD_PRELOAD), talks over a
real dbus-daemon, and the test drives it with busctl like a user would.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

# umockdev's testbed only emits uevents for devices it can see, i.e. when this process runs
# with its preload library; re-run ourselves with it (as umockdev-wrapper would).
if "libumockdev-preload" not in os.environ.get("LD_PRELOAD", ""):
    _env = dict(os.environ, LD_PRELOAD="libumockdev-preload.so.0")
    os.execve(sys.executable, [sys.executable] + sys.argv, _env)

import gi  # noqa: E402

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

SRC = os.environ.get("GPUDUMP_SOURCE_ROOT",
                     os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BUILD = os.environ.get("GPUDUMP_BUILD_ROOT", os.path.join(SRC, "build"))
GPUDUMPD = os.environ.get("GPUDUMPD", os.path.join(BUILD, "daemon", "gpudumpd", "gpudumpd"))
sys.path.insert(0, os.path.join(SRC, "tests", "fixtures"))
import xegen  # noqa: E402

BUS_NAME = "org.gpudump.GpuDump1"
BUS_PATH = "/org/gpudump/GpuDump1"
BUS_IFACE = "org.gpudump.GpuDump1"
TIMEOUT = float(os.environ.get("GPUDUMPD_TEST_TIMEOUT", "60"))

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""


def plain_env():
    """The environment for helper programs that must see the real system (no preload)."""
    e = dict(os.environ)
    e.pop("LD_PRELOAD", None)
    e.pop("UMOCKDEV_DIR", None)
    return e


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def wait_for(pred, what, timeout=TIMEOUT, interval=0.05):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise Failure("timed out waiting for " + what)
        time.sleep(interval)


def wait_equal(get, expected, what, timeout=TIMEOUT):
    """Wait until get() == expected: for state the daemon reaches asynchronously and through
    intermediate steps. A wrong final state fails after timeout, saying what was seen."""
    seen = [None]

    def same():
        seen[0] = get()
        return seen[0] == expected
    try:
        wait_for(same, what, timeout=timeout)
    except Failure:
        raise Failure("timed out waiting for %s: have %r, want %r" % (what, seen[0], expected))


def xe_dump(seed, process=None, reason=None):
    """A small xe devcoredump text; a distinct seed gives a distinct hang signature."""
    d = xegen.XeDump(era="newest", seed=seed)
    if process:
        d.process_name = process
    if reason:
        d.reason = reason
    text = d.render()
    return text.encode() if isinstance(text, str) else text


class Env:
    """One testbed, one bus, one store; gpudumpd started and stopped on demand."""

    def __init__(self, config="", store=None, bus_config=BUS_CONFIG):
        """bus_config: the dbus-daemon configuration, a template with one %s (the socket
        path); the default lets anyone own and call anything."""
        self.tmp = tempfile.mkdtemp(prefix="gpudumpd-test.")
        os.chmod(self.tmp, 0o755)  # the unprivileged client must reach the bus socket
        self.tb = UMockdev.Testbed.new()
        self.root = self.tb.get_root_dir()
        self.store = store or os.path.join(self.tmp, "store")
        self.conf = os.path.join(self.tmp, "gpudumpd.conf")
        with open(self.conf, "w") as f:
            f.write(config)
        self.sock = os.path.join(self.tmp, "bus")
        self.address = "unix:path=" + self.sock
        bus_conf = os.path.join(self.tmp, "bus.conf")
        with open(bus_conf, "w") as f:
            f.write(bus_config % self.sock)
        self.bus = subprocess.Popen(["dbus-daemon", "--config-file=" + bus_conf, "--nofork",
                                     "--nopidfile"], stdin=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, env=plain_env())
        # The socket file appears at bind(), before listen(): wait until it accepts.
        wait_for(self._bus_accepts, "the bus socket")
        self.daemon = None
        self.log_path = os.path.join(self.tmp, "gpudumpd.log")
        self.gpus = []
        self.next_devcd = 1

    def _bus_accepts(self):
        check(self.bus.poll() is None, "dbus-daemon exited (%s)" % self.bus.returncode)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC) as s:
            try:
                s.connect(self.sock)
            except OSError:
                return False
        return True

    # ---- fake kernel ------------------------------------------------------------------

    def add_gpu(self, slot="0000:00:02.0", driver="xe", vendor=0x8086, device=0x64a0,
                card=None):
        card = card if card is not None else "card%d" % len(self.gpus)
        dev = "/devices/pci0000:00/" + slot
        self.tb.add_from_string(
            "P: %s\nE: SUBSYSTEM=pci\nE: DRIVER=%s\nE: PCI_SLOT_NAME=%s\n"
            "A: vendor=0x%04x\nA: device=0x%04x\nL: driver=../../../bus/pci/drivers/%s\n\n"
            "P: %s/drm/%s\nE: SUBSYSTEM=drm\nL: device=../../../%s\n"
            % (dev, driver, slot, vendor, device, driver, dev, card, slot))
        self.gpus.append(dict(syspath="/sys" + dev, slot=slot, card=card, driver=driver,
                              vendor=vendor, device=device))
        return self.gpus[-1]

    def add_devcd(self, gpu, data, link=True, uevent=True, n=None):
        """A devcoredump of gpu holding `data` (bytes); returns its /sys path.

        Built by hand in the testbed, in the kernel's order: node, data and links first, then
        the add uevent (umockdev's own add_from_string would announce the node too early)."""
        n = n if n is not None else self.next_devcd
        self.next_devcd = max(self.next_devcd, n + 1)
        path = "/sys/devices/virtual/devcoredump/devcd%d" % n
        real = self.real(path)
        os.makedirs(real)
        cls = self.real("/sys/class/devcoredump")
        os.makedirs(cls, exist_ok=True)
        os.symlink("../../devices/virtual/devcoredump/devcd%d" % n, cls + "/devcd%d" % n)
        os.symlink("../../../../class/devcoredump", real + "/subsystem")
        with open(real + "/uevent", "w") as f:
            f.write("")
        self.write_data(path, data)
        if link and gpu is not None:
            self.link_failing(path, gpu)
        if uevent:
            self.uevent(path, "add")
        return path

    def wait_queued(self, devcd):
        """umockdev's uevent socket holds only net.unix.max_dgram_qlen (10) datagrams, where
        the kernel's netlink socket holds megabytes: pace bursts on the daemon's receipt."""
        name = os.path.basename(devcd)
        wait_for(lambda: "%s: queued" % name in self.log_text(), name + " to be queued")

    def link_failing(self, devcd, gpu):
        target = os.path.relpath(gpu["syspath"], devcd)
        os.symlink(target, self.real(devcd) + "/failing_device")

    def real(self, syspath):
        return self.root + syspath

    def write_data(self, devcd, data, name="data"):
        p = self.real(devcd) + "/" + name
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, 0o600)

    def read_data(self, devcd, name="data"):
        with open(self.real(devcd) + "/" + name, "rb") as f:
            return f.read()

    def uevent(self, syspath, action):
        self.tb.uevent(syspath, action)

    def remove_devcd(self, devcd):
        """What the kernel does once data was written: the node goes away."""
        self.tb.uevent(devcd, "remove")
        os.unlink(self.real("/sys/class/devcoredump/" + os.path.basename(devcd)))
        shutil.rmtree(self.real(devcd))

    # ---- daemon -----------------------------------------------------------------------

    def env(self, extra=None):
        e = dict(os.environ)
        e.update({
            "LD_PRELOAD": "libumockdev-preload.so.0",
            "UMOCKDEV_DIR": self.root,
            "SYSTEMD_DEVICE_VERIFY_SYSFS": "0",
            "DBUS_SYSTEM_BUS_ADDRESS": self.address,
        })
        # gpudumpd dlopen()s libgpudump; its build-tree RUNPATH finds it, except under ASan,
        # whose dlopen() interceptor looks the library up as libasan (without that RUNPATH).
        libdir = os.path.join(BUILD, "lib", "libgpudump")
        e["LD_LIBRARY_PATH"] = ":".join(filter(None, [libdir, e.get("LD_LIBRARY_PATH")]))
        for k in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "STATE_DIRECTORY"):
            e.pop(k, None)
        if extra:
            e.update(extra)
        return e

    def start(self, extra_env=None, args=(), wait_ready=True):
        check(self.daemon is None, "daemon already running")
        self.log = open(self.log_path, "ab")
        self.log_offset = self.log.tell()
        # GPUDUMPD_TEST_VALGRIND=1 runs the daemon under valgrind (errors end up in the log).
        wrapper = (["valgrind", "--error-exitcode=99", "--leak-check=full",
                    "--errors-for-leak-kinds=definite", "--quiet"]
                   if os.environ.get("GPUDUMPD_TEST_VALGRIND") else [])
        self.daemon = subprocess.Popen(
            wrapper +
            [GPUDUMPD, "--config", self.conf, "--store", self.store, "--debug"] + list(args),
            env=self.env(extra_env), stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=subprocess.STDOUT)
        if wait_ready:
            wait_for(lambda: "ready; store" in self.log_text() or self.daemon.poll() is not None,
                     "gpudumpd to become ready")
            check(self.daemon.poll() is None, "gpudumpd exited at start:\n" + self.log_text())
            wait_for(lambda: self.busctl_ok("status", BUS_NAME), "the bus name")

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        if self.daemon is None:
            return None
        self.daemon.send_signal(sig)
        try:
            rc = self.daemon.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
            rc = self.daemon.wait()
        self.daemon = None
        self.log.close()
        if rc == 99 and os.environ.get("GPUDUMPD_TEST_VALGRIND"):
            raise Failure("valgrind found errors in gpudumpd:\n" + self.log_text())
        return rc

    def kill(self):
        return self.stop(signal.SIGKILL)

    def close(self):
        try:
            self.stop()
        finally:
            self.bus.terminate()
            self.bus.wait()
            self.tb = None
            shutil.rmtree(self.root, ignore_errors=True)
            if not os.environ.get("GPUDUMPD_TEST_KEEP"):
                shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- bus --------------------------------------------------------------------------

    def busctl(self, *args, user=None, check_rc=True):
        cmd = ["busctl", "--address=" + self.address] + list(args)
        if user:
            cmd = ["setpriv", "--reuid=" + user, "--regid=nogroup", "--clear-groups"] + cmd
        p = subprocess.run(cmd, capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
        if check_rc and p.returncode != 0:
            raise Failure("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
        return p

    def busctl_ok(self, *args):
        return self.busctl(*args, check_rc=False).returncode == 0

    def call(self, method, sig="", *args, user=None, check_rc=True):
        return self.busctl("--json=short", "call", BUS_NAME, BUS_PATH, BUS_IFACE, method, sig,
                           *[str(a) for a in args], user=user, check_rc=check_rc)

    def call_json(self, method, sig="", *args, user=None):
        out = json.loads(self.call(method, sig, *args, user=user).stdout)
        return json.loads(out["data"][0])

    def list_entries(self):
        return self.call_json("ListEntries", "a{sv}", 0)

    # ---- store ------------------------------------------------------------------------

    def entries(self):
        if not os.path.isdir(self.store):
            return []
        return sorted(f[:-5] for f in os.listdir(self.store)
                      if f.endswith(".json") and not f.startswith("."))

    def store_files(self):
        return sorted(os.listdir(self.store)) if os.path.isdir(self.store) else []

    def meta(self, entry_id):
        with open(os.path.join(self.store, entry_id + ".json")) as f:
            return json.load(f)

    def metas(self):
        """The metadata of every entry; one deleted between the listing and the read (by
        retention, say) is skipped."""
        out = []
        for eid in self.entries():
            try:
                out.append(self.meta(eid))
            except FileNotFoundError:
                pass
        return out

    def devnames(self):
        """The devnames of the stored entries, sorted (devcd9 before devcd10)."""
        return sorted((m["devname"] for m in self.metas()), key=lambda n: (len(n), n))

    def decompress(self, entry_id):
        p = subprocess.run(["zstd", "-d", "-c", "-q", os.path.join(self.store, entry_id + ".zst")],
                           capture_output=True, check=True, env=plain_env())
        return p.stdout


def validate_entry(path):
    r = subprocess.run([sys.executable, os.path.join(SRC, "tests", "validate-json.py"),
                        os.path.join(SRC, "schemas", "gpudump-entry.schema.json"), path],
                       capture_output=True, text=True, env=plain_env())
    check(r.returncode == 0, "%s does not validate: %s%s" % (path, r.stdout, r.stderr))


def run_tests(tests):
    """main(): run the test named in argv[1] (meson registers one test per name)."""
    if len(sys.argv) != 2 or sys.argv[1] not in tests:
        if len(sys.argv) == 2 and sys.argv[1] == "list":
            print("\n".join(tests))
            return 0
        print("usage: %s {%s|list}" % (sys.argv[0], "|".join(tests)), file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("FAIL: the daemon tests need root (setpriv, tmpfs mounts)", file=sys.stderr)
        return 1
    try:
        tests[sys.argv[1]]()
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    print("PASS: %s" % sys.argv[1])
    return 0
