#!/bin/sh
# mmdebstrap --customize-hook of the vm-systemd test's root file system (run-vm-systemd.sh):
# the machine's identity, the root file system in fstab, a user without privileges, the test
# driver's unit, and nothing at boot that the test does not need (gettys on the console it
# reads, periodic jobs). Its text is part of the cache key: edit it and the root is rebuilt.
# usage: vm-systemd-rootfs.sh ROOT
set -eu
root=$1

echo vmtest >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 vmtest\n' >"$root/etc/hosts"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$root/etc/fstab"
# A machine id now: an empty one would make the first boot run "systemctl preset-all", which
# enables every unit (gpudumpd too), and the test checks the packages' own choice.
od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
echo >>"$root/etc/machine-id"
# The unprivileged user of the polkit checks.
chroot "$root" useradd --create-home --uid 1000 --shell /bin/bash tester
# The journal on disk, so that it is there after the reboot too.
mkdir -p "$root/var/log/journal"

for u in serial-getty@ttyS0.service getty@tty1.service apt-daily.timer apt-daily-upgrade.timer \
         e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer dpkg-db-backup.timer \
         systemd-timesyncd.service; do
        ln -sf /dev/null "$root/etc/systemd/system/$u"
done

cat >"$root/etc/systemd/system/gpudump-vmtest.service" <<'UNIT'
[Unit]
Description=gpudump booted-system test driver
After=dbus.socket systemd-udevd.service systemd-journald.socket systemd-logind.service
ConditionPathExists=/usr/local/lib/gpudump-vmtest/vm-systemd-test.sh

[Service]
Type=exec
ExecStart=/usr/local/lib/gpudump-vmtest/vm-systemd-test.sh
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
TTYReset=no
TTYVHangup=no

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/gpudump-vmtest.service \
        "$root/etc/systemd/system/multi-user.target.wants/gpudump-vmtest.service"
