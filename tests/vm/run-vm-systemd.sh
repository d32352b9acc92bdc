#!/bin/bash
# The packages installed and running in a booted Debian: systemd as PID 1 under qemu (TCG).
#
#   run-vm-systemd.sh BUILD_DIR
#
# 1. builds the .debs (scripts/build-debs.sh, lintian included) into BUILD_DIR/vm-systemd/debs;
# 2. makes a bookworm root file system with mmdebstrap, from this machine's Debian archive
#    entries (tests/vm/apt-sources.py), cached in BUILD_DIR/vm-systemd/ under a key of the
#    sources and the package list, so later runs skip it;
# 3. unpacks it, installs the .debs with dpkg -i in a chroot (their maintainer scripts and
#    systemd's catalog trigger run there, as on a real installation), adds the vxe module
#    built for the Debian kernel with the modules it needs, vxe-hang, vxe-dumpcheck and the
#    test driver (vm-systemd-test.sh, started by a unit at boot), and writes an ext4 image;
# 4. boots /boot/vmlinuz-<the module's release> with its initrd on that image, systemd as
#    PID 1; the driver runs its checks and powers off, the image is booted once more (the
#    store must survive the reboot), the driver runs the second boot's checks, powers off;
# 5. reads "VXE-RESULT check PASS|FAIL ..." lines from the serial console, validates the
#    decoded report against the schema, and prints the boot times.
# Exit 0 only if every expected check passed.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
die() { echo "run-vm-systemd: $*" >&2; exit 1; }
t0=$(date +%s)
elapsed() { echo $(($(date +%s) - t0)); }

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, chroot, mkfs.ext4 -d)"
ko=$build/kernel/vxe.ko
hang=$build/kernel/vxe-hang
check=$build/kernel/vxe-dumpcheck
for f in "$ko" "$hang" "$check"; do
        [ -e "$f" ] || die "$f not built (meson -Dkernel=enabled, libdrm)"
done
krel=$(modinfo -F vermagic "$ko" | awk '{print $1}')
vmlinuz=/boot/vmlinuz-$krel
initrd=/boot/initrd.img-$krel
[ -r "$vmlinuz" ] && [ -r "$initrd" ] || die "no $vmlinuz and $initrd for the module's release $krel"
for t in mmdebstrap qemu-system-x86_64 mkfs.ext4 dpkg-buildpackage; do
        command -v "$t" >/dev/null || die "$t not found (scripts/deps.sh test)"
done

cache=$build/vm-systemd
mkdir -p "$cache"

# 1. The packages.
echo "run-vm-systemd: building the packages ($(elapsed) s)"
"$src/scripts/build-debs.sh" "$cache/debs" >"$cache/build-debs.log" 2>&1 ||
        { tail -30 "$cache/build-debs.log" >&2; die "scripts/build-debs.sh failed"; }
tail -n 1 "$cache/build-debs.log"
debs=()
for p in gpudump libgpudump0; do
        f=$(ls "$cache/debs/${p}_"*.deb 2>/dev/null | head -n 1)
        [ -n "$f" ] || die "no $p .deb in $cache/debs"
        debs+=("$f")
done

# 2. The root file system: what gpudump's packages depend on (read from the .debs, so a new
# dependency is in it), the tools the test uses, libdrm for vxe-hang.
sources=$("$here/apt-sources.py" bookworm) || die "no bookworm entry in /etc/apt/sources.list*"
mapfile -t mirrors <<<"$sources"
pkgs=(systemd systemd-sysv udev dbus polkitd kmod procps zstd libdrm2 libzstd1)
for d in "${debs[@]}"; do
        for p in $({ dpkg-deb -f "$d" Depends; dpkg-deb -f "$d" Recommends; } | tr ',' '\n' |
                   sed 's/(.*)//; s/|.*//' | tr -d ' '); do
                case "$p" in
                libgpudump*|'') ;;
                *) pkgs+=("$p") ;;
                esac
        done
done
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
hook=$here/vm-systemd-rootfs.sh
# No documentation, manual pages or translations in the VM (the image is made afresh each run,
# so its size is time): dpkg leaves them out, for the packages under test too.
mm_opts=(--variant=minbase --format=tar
         --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*'
         --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
         --dpkgopt='path-exclude=/usr/share/info/*')
key=$(printf '%s\n' "$sources" "${pkgs[@]}" "${mm_opts[@]}" | cat - "$hook" | sha256sum | cut -c1-16)
base=$cache/rootfs-$key.tar
if [ ! -s "$base" ]; then
        echo "run-vm-systemd: mmdebstrap bookworm (${pkgs[*]}) from ${mirrors[*]} ($(elapsed) s)"
        rm -f "$cache"/rootfs-*.tar
        nice mmdebstrap "${mm_opts[@]}" --include="$(IFS=,; echo "${pkgs[*]}")" \
                --customize-hook="$hook \"\$1\"" \
                bookworm "$cache/rootfs.tmp.tar" "${mirrors[@]}" >"$cache/mmdebstrap.log" 2>&1 ||
                { tail -30 "$cache/mmdebstrap.log" >&2; rm -f "$cache/rootfs.tmp.tar"; die "mmdebstrap failed"; }
        mv "$cache/rootfs.tmp.tar" "$base"
else
        echo "run-vm-systemd: cached root file system $base"
fi

# 3. The image.
work=$(mktemp -d /tmp/gpudump-vm-systemd.XXXXXX)
cleanup() {
        umount "$work/root/proc" 2>/dev/null || true
        rm -rf "$work"
}
trap cleanup EXIT
root=$work/root
mkdir -p "$root"
tar -C "$root" -xf "$base"
mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
mount -t proc proc "$root/proc"
inroot=()
for d in "${debs[@]}"; do
        inroot+=("/tmp/debs/$(basename "$d")")
done
chroot "$root" dpkg -i "${inroot[@]}" >"$work/dpkg.log" 2>&1 ||
        { cat "$work/dpkg.log" >&2; die "dpkg -i of the packages failed in the root file system"; }
umount "$root/proc"
rm -rf "$root/tmp/debs"
cp "$work/dpkg.log" "$cache/dpkg.log"

# vxe and the modules it needs, at their paths below /lib/modules/$krel, then depmod.
moddir=/lib/modules/$krel
declare -A seen=()
add_mod() {
        local m=$1 d p
        [ -n "${seen[$m]:-}" ] && return
        seen[$m]=1
        for d in $(modinfo -k "$krel" -F depends "$m" | tr ',' ' '); do
                add_mod "$d"
        done
        p=$(modinfo -k "$krel" -n "$m")
        case "$p" in
        /*) install -D -m 0644 "$p" "$root$p" ;;
        esac
}
for d in $(modinfo -F depends "$ko" | tr ',' ' '); do
        add_mod "$d"
done
cp "$moddir"/modules.builtin* "$moddir"/modules.order "$root$moddir/" 2>/dev/null || true
install -D -m 0644 "$ko" "$root$moddir/updates/vxe.ko"
depmod -b "$root" "$krel"
install -m 0755 "$hang" "$check" "$root/usr/local/bin/"
install -D -m 0755 "$here/vm-systemd-test.sh" "$root/usr/local/lib/gpudump-vmtest/vm-systemd-test.sh"
echo "$krel" >"$root/usr/local/lib/gpudump-vmtest/kernel-release"
img=$work/disk.img
truncate -s 2G "$img"
mkfs.ext4 -q -F -L vmroot -d "$root" "$img"
echo "run-vm-systemd: image ready ($(elapsed) s)"

# 4. Boot, twice: boot 1 ends with "systemctl poweroff", then the same disk is booted again
# (a reboot as a power cycle: a fresh qemu, so each boot is timed from here and a warm reset
# under TCG, which made the kernel's part of the second boot several times slower, is out).
log=$work/console.log
: >"$log"
tboot=$(date +%s)
for boot in 1 2; do
        tb=$(date +%s)
        timeout 420 qemu-system-x86_64 -accel tcg -m 1536 -smp 2 -nodefaults -display none \
                -serial stdio -no-reboot -nic none \
                -kernel "$vmlinuz" -initrd "$initrd" \
                -drive "file=$img,format=raw,if=virtio" \
                -append "root=/dev/vda rw console=ttyS0 quiet loglevel=3 systemd.show_status=false panic=-1" \
                >>"$log" 2>&1 </dev/null || echo "run-vm-systemd: qemu (boot $boot) exited with $?"
        echo "run-vm-systemd: boot $boot: qemu ran $(($(date +%s) - tb)) s"
        # Boot 1 prints VXE-POWEROFF when it hands over to boot 2; otherwise it stopped early.
        [ $boot = 1 ] && ! tr -d '\r' <"$log" | grep -q '^VXE-POWEROFF' && break
done
tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >"$log.txt"
cp "$log.txt" "$cache/console.log"

# 5. Results.
if grep -q '^VXE-JSON-BEGIN' "$log.txt"; then
        sed -n '/^VXE-JSON-BEGIN/,/^VXE-JSON-END/p' "$log.txt" | sed '1d;$d' >"$work/report.json"
        if /usr/bin/python3 "$src/tests/validate-json.py" "$src/schemas/gpudump-report.schema.json" \
                "$work/report.json" >"$work/validate.log" 2>&1; then
                echo "VXE-RESULT report-schema PASS root's decode over the bus is a valid report" >>"$log.txt"
        else
                echo "VXE-RESULT report-schema FAIL $(head -c 300 "$work/validate.log")" >>"$log.txt"
        fi
fi
grep '^VXE-BOOT' "$log.txt" | sed 's/^VXE-BOOT /run-vm-systemd: boot: /' || true
grep '^VXE-SECURITY' "$log.txt" | sed 's/^VXE-SECURITY /run-vm-systemd: /' || true
grep '^VXE-RESULT' "$log.txt" || true
pass=$(grep -c '^VXE-RESULT .* PASS' "$log.txt" || true)
failn=$(grep -c '^VXE-RESULT .* FAIL' "$log.txt" || true)
echo "run-vm-systemd: $pass passed, $failn failed; qemu $(($(date +%s) - tboot)) s, total $(elapsed) s"
missing=""
for c in boot1 not-started-at-boot not-enabled list-before-hang dbus-activated udev-started collected \
         durable journal-message-id journal-catalog busctl-introspect user-lists user-info \
         user-denied-contents root-decodes report-schema kill-paused kill-restarted kill-nothing-lost \
         security-exposure boot2 rebooted not-started-at-boot2 store-intact list-after-reboot \
         scan-at-start kernel; do
        grep -q "^VXE-RESULT $c PASS" "$log.txt" || missing="$missing $c"
done
if ! grep -q '^VXE-DONE$' "$log.txt" || [ "$failn" -ne 0 ] || [ -n "$missing" ]; then
        [ -n "$missing" ] && echo "run-vm-systemd: checks that did not pass:$missing" >&2
        grep -v '^VXE-RESULT' "$log.txt" | tail -n 80 >&2
        die "the booted-system test failed (console log: $cache/console.log)"
fi
