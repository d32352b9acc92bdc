#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The body of try-it.sh (see there)."""
import os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["GPUDUMP_SOURCE_ROOT"], "tests", "daemon"))
import gdtest  # re-executes this script under the umockdev preload

cli = os.path.join(os.environ["GPUDUMP_BUILD_ROOT"], "cli", "gpudump", "gpudump")
env = gdtest.Env("[RateLimit]\nBurst=0\n")
try:
    def step(title, *cmd, check=True):
        print("\n$ " + " ".join(cmd) if cmd else "\n# " + title, flush=True)
        if cmd:
            e = gdtest.plain_env()
            e["DBUS_SYSTEM_BUS_ADDRESS"] = env.address
            subprocess.run(list(cmd), env=e, check=check)

    print("# 1. a fake xe GPU at 0000:00:02.0 in umockdev's /sys:", env.root)
    gpu = env.add_gpu()
    print("# 2. a private system bus at", env.address, "and gpudumpd on it, store", env.store)
    env.start()
    print("# 3. the GPU hangs: the kernel publishes /sys/class/devcoredump/devcd1 (add uevent)")
    data = gdtest.xe_dump(1)
    devcd = env.add_devcd(gpu, data)
    eid = gdtest.wait_for(env.entries, "the dump to be collected")[0]
    gdtest.wait_for(lambda: env.read_data(devcd) != data, "the kernel's copy to be freed")
    print("#    collected as %s; the kernel's copy was freed after the entry was complete" % eid)
    print("#    daemon log:\n" + "".join("#      " + l + "\n" for l in env.log_text().splitlines()
                                         if "devcd1" in l))
    step("", cli, "list", "--no-pager")
    step("", cli, "info", eid, "--no-pager")
    step("", cli, "decode", "--text", eid, "--no-pager")
    step("", cli, "delete", eid)
    gdtest.check(env.entries() == [], "gpudump delete left %r" % env.store_files())
    step("", cli, "list", "--no-pager", check=False)  # nothing to list: may exit non-zero
    print("\n# done; everything lived in", env.tmp, "and is removed now")
finally:
    env.close()
