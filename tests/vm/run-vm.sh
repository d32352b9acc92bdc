#!/bin/bash
# End-to-end test of the vxe capture in a real kernel under qemu (TCG).
#
#   run-vm.sh [--test|--demo|--bench] BUILD_DIR
#
# Builds an initramfs (busybox-static, the modules vxe needs, vxe.ko, the
# vxe-hang client and vxe-dumpcheck; plus systemd-udevd, dbus-daemon,
# gpudumpd and gpudump when they are built), boots the distribution kernel
# the module was built for, runs the client scenarios inside and reads the
# results back from the serial console ("VXE-RESULT <scenario> PASS|FAIL ...").
#   --test   every scenario, exit 0 only if every check passed (meson suite 'vm')
#   --demo   one plain hang, prints the decoded report
#   --bench  capture latency and dump size for 1/16/64 MiB, compressed and not
set -euo pipefail

mode=test
case "${1:-}" in
--test|--demo|--bench) mode=${1#--}; shift ;;
esac
[ $# -eq 1 ] || { echo "usage: $0 [--test|--demo|--bench] BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)

die() { echo "run-vm: $*" >&2; exit 1; }

ko=$build/kernel/vxe.ko
hang=$build/kernel/vxe-hang
check=$build/kernel/vxe-dumpcheck
for f in "$ko" "$hang" "$check"; do
        [ -e "$f" ] || die "$f not built (meson -Dkernel=enabled, libdrm)"
done
krel=$(modinfo -F vermagic "$ko" | awk '{print $1}')
vmlinuz=/boot/vmlinuz-$krel
[ -r "$vmlinuz" ] || die "no kernel image $vmlinuz for the module's release $krel"
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || die "busybox (busybox-static) not found"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || die "$busybox is not static (install busybox-static)"
qemu=$(command -v qemu-system-x86_64 || true)
[ -n "$qemu" ] || die "qemu-system-x86_64 not found"

gpudumpd=$build/daemon/gpudumpd/gpudumpd
gpudump=$build/cli/gpudump/gpudump
with_daemon=0
# VXE_VM_NO_DAEMON=1 checks the kernel side alone even when they are built.
if [ -x "$gpudumpd" ] && [ -x "$gpudump" ] && [ "${VXE_VM_NO_DAEMON:-0}" != 1 ]; then
        with_daemon=1
fi

work=$(mktemp -d /tmp/vxe-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,etc,modules,var/lib/gpudump}

# Copy a binary and every shared library it needs (ldd), at the same paths.
copy_bin() {
        local src=$1 dst=$2 lib
        install -D -m 0755 "$src" "$root$dst"
        for lib in $(ldd "$src" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
                case "$lib" in
                /lib/*|/lib64/*|/usr/lib/*) [ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib" ;;
                # Build-tree libraries (found through an $ORIGIN rpath on the host).
                *) install -D -m 0755 "$lib" "$root/usr/local/lib/$(basename "$lib")" ;;
                esac
        done
}

cp "$busybox" "$root/bin/busybox"
copy_bin "$hang" /usr/bin/vxe-hang
copy_bin "$check" /usr/bin/vxe-dumpcheck

# Modules vxe needs, dependencies first (resolved with modinfo).
declare -A seen=()
mods=()
add_mod() {
        local m=$1 d
        [ -n "${seen[$m]:-}" ] && return
        seen[$m]=1
        for d in $(modinfo -k "$krel" -F depends "$m" | tr ',' ' '); do
                add_mod "$d"
        done
        mods+=("$m")
}
for d in $(modinfo -F depends "$ko" | tr ',' ' '); do
        add_mod "$d"
done
modlist=""
for m in "${mods[@]}"; do
        p=$(modinfo -k "$krel" -n "$m")
        case "$p" in
        /*) ;;
        *) continue ;;         # built in
        esac
        case "$p" in
        *.ko.xz) xz -dc "$p" >"$root/modules/$m.ko" ;;
        *.ko.zst) zstd -qdc "$p" >"$root/modules/$m.ko" ;;
        *) cp "$p" "$root/modules/$m.ko" ;;
        esac
        modlist="$modlist $m"
done
cp "$ko" "$root/modules/vxe.ko"
modlist="$modlist vxe"

if [ $with_daemon = 1 ]; then
        copy_bin "$gpudumpd" /usr/bin/gpudumpd
        # gpudumpd dlopen()s libgpudump (ldd does not list it): copy it and what it needs.
        copy_bin "$build/lib/libgpudump/libgpudump.so.0" /usr/local/lib/libgpudump.so.0
        copy_bin "$gpudump" /usr/bin/gpudump
        copy_bin "$(command -v dbus-daemon)" /usr/bin/dbus-daemon
        copy_bin /lib/systemd/systemd-udevd /usr/bin/systemd-udevd
        copy_bin "$(command -v udevadm)" /usr/bin/udevadm
        mkdir -p "$root/etc/dbus-1" "$root/run/dbus" "$root/run/udev" "$root/etc/udev/rules.d"
        cat >"$root/etc/dbus-1/vm.conf" <<'XML'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
XML
        # Every scenario hangs the same way: the default per-signature rate
        # limit would (rightly) count later ones without storing them.
        mkdir -p "$root/etc/gpudump"
        printf '[RateLimit]\nBurst=1000\n' >"$root/etc/gpudump/gpudumpd.conf"
        od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
        echo >>"$root/etc/machine-id"
        echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
        echo "root:x:0:" >"$root/etc/group"
fi

case $mode in
test) scenarios="plain unbind-reuse migrate two-engines big fault uncompressed bad-instruction" ;;
demo) scenarios="plain" ;;
bench) scenarios="" ;;
esac

cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
export LD_LIBRARY_PATH=/usr/local/lib
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
MODE=$mode
SCENARIOS="$scenarios"
WITH_DAEMON=$with_daemon
MODLIST="$modlist"
EOF
cat "$(dirname "$0")/vm-init.sh" >>"$root/init"
chmod 0755 "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

log=$work/console.log
timeout 850 "$qemu" -accel tcg -m 1G -smp 2 -nographic -no-reboot \
        -kernel "$vmlinuz" -initrd "$work/initrd.gz" \
        -append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init" \
        >"$log" 2>&1 </dev/null || true
# Drop CRs and the terminal escapes firmware and pagers leave on the console.
tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >"$log.txt"

case $mode in
demo)
        grep -q '^VXE-REPORT-END$' "$log.txt" || { tail -50 "$log.txt" >&2; die "no report from the VM"; }
        sed -n '/^VXE-REPORT-BEGIN$/,/^VXE-REPORT-END$/p' "$log.txt" | sed '1d;$d'
        ;;
bench)
        grep -q '^VXE-DONE$' "$log.txt" || { tail -50 "$log.txt" >&2; die "benchmark did not finish"; }
        grep '^VXE-BENCH' "$log.txt" | sed 's/^VXE-BENCH //'
        ;;
test)
        if [ $with_daemon = 1 ]; then
                # The decode reports, validated and checked on the host.
                src=$(cd "$(dirname "$0")/../.." && pwd)
                "${PYTHON:-/usr/bin/python3}" "$(dirname "$0")/check-reports.py" "$log.txt" "$src" \
                        >>"$log.txt" || true
        fi
        grep '^VXE-RESULT' "$log.txt" || true
        pass=$(grep -c '^VXE-RESULT .* PASS' "$log.txt" || true)
        failn=$(grep -c '^VXE-RESULT .* FAIL' "$log.txt" || true)
        echo "run-vm: $pass passed, $failn failed (daemon+cli: $([ $with_daemon = 1 ] && echo yes || echo no))"
        if ! grep -q '^VXE-DONE$' "$log.txt"; then
                tail -80 "$log.txt" >&2
                die "the VM did not finish"
        fi
        if [ "$failn" -ne 0 ] || [ "$pass" -eq 0 ]; then
                grep -v '^VXE-RESULT' "$log.txt" | tail -60 >&2
                exit 1
        fi
        ;;
esac
