# In-VM half of run-vm.sh: appended to the initramfs /init after the lines
# that set MODE, SCENARIOS, WITH_DAEMON and MODLIST. busybox sh.
# Everything the host parses is a line starting with "VXE-".

STORE=/var/lib/gpudump
# The console is a tty: keep gpudump from starting a pager (outputs also go through cat).
export PAGER=cat SYSTEMD_PAGER=cat GPUDUMP_PAGER=cat TERM=dumb
ndumps=0
mkdir -p /tmp/exp
# The firmware leaves escape sequences on the console line: start clean.
echo

result() { echo "VXE-RESULT $*"; }

finish() {
        echo "VXE-DONE"
        sync
        poweroff -f
        sleep 30
}

# Prints the path of the single devcoredump directory once one exists.
wait_dump() {
        i=0
        while [ $i -lt 600 ]; do
                for d in /sys/class/devcoredump/devcd*; do
                        if [ -e "$d/data" ]; then
                                echo "$d"
                                return 0
                        fi
                done
                sleep 0.1
                i=$((i + 1))
        done
        return 1
}

count_dumps() {
        n=0
        for d in /sys/class/devcoredump/devcd*; do
                [ -e "$d/data" ] && n=$((n + 1))
        done
        echo $n
}

# Waits until the driver has freed $1 dumps in total (its free callback logs it).
wait_freed() {
        i=0
        while [ $i -lt 600 ]; do
                [ "$(dmesg | grep -c 'coredump has been deleted')" -ge "$1" ] && return 0
                sleep 0.1
                i=$((i + 1))
        done
        return 1
}

store_count() {
        gpudump --store "$STORE" list --json=short 2>/dev/null </dev/null | grep -o '"id":' | wc -l
}

newest_id() {
        gpudump --store "$STORE" list --json=short 2>/dev/null </dev/null | grep -o '"id": *"[^"]*"' |
                sed 's/.*"\([^"]*\)"$/\1/' | sort | tail -n 1
}

# Direct path: read the dump from sysfs, check it, free it.
check_sysfs() {
        s=$1 dir=$2
        d=$(wait_dump) || { result "$s" FAIL "no devcoredump appeared"; return; }
        sleep 0.2
        n=$(count_dumps)
        [ "$n" = 1 ] && result "$s" PASS one-dump || result "$s" FAIL "$n devcoredumps, expected 1"
        cat "$d/data" >/tmp/dump.txt
        vxe-dumpcheck /tmp/dump.txt "$dir" | sed "s/^/VXE-RESULT $s /" | grep -E '^VXE-RESULT [^ ]+ (PASS|FAIL)'
        if [ "$MODE" = demo ]; then
                echo "VXE-REPORT-BEGIN"
                cut -c1-160 /tmp/dump.txt | head -n 120
                echo "VXE-REPORT-END"
        fi
        rm -f /tmp/dump.txt
        echo 1 >"$d/data"
        ndumps=$((ndumps + 1))
        wait_freed $ndumps && result "$s" PASS freed || result "$s" FAIL "dump not freed after write to data"
}

# Daemon path: gpudumpd collects and frees; gpudump reads the store.
check_daemon() {
        s=$1 dir=$2
        want=$((ndumps + 1))
        i=0
        while [ $i -lt 300 ] && [ "$(store_count)" -lt $want ]; do
                sleep 0.1
                i=$((i + 1))
        done
        if [ "$(store_count)" -lt $want ]; then
                result "$s" FAIL "gpudumpd did not collect the dump"
                tail -n 20 /tmp/gpudumpd.log | sed 's/^/VXE-LOG gpudumpd: /'
                pidof gpudumpd >/dev/null || echo "VXE-LOG gpudumpd is not running"
                pidof systemd-udevd >/dev/null || echo "VXE-LOG systemd-udevd is not running"
                # Free it ourselves so the next scenario can be captured.
                for d in /sys/class/devcoredump/devcd*; do
                        [ -e "$d/data" ] && echo 1 >"$d/data"
                done
                ndumps=$want
                wait_freed $ndumps
                return
        fi
        result "$s" PASS collected
        ndumps=$want
        wait_freed $ndumps && result "$s" PASS freed-by-daemon || result "$s" FAIL "gpudumpd did not free the kernel's dump"
        id=$(newest_id)
        [ "$(store_count)" = "$ndumps" ] && result "$s" PASS store-count || result "$s" FAIL "store has $(store_count) entries, expected $ndumps"
        vxe-dumpcheck "$STORE/$id.zst" "$dir" | sed "s/^/VXE-RESULT $s /" | grep -E '^VXE-RESULT [^ ]+ (PASS|FAIL)'
        while read -r line; do
                echo "VXE-EXPECT $s $line"
        done <"$dir/expect"
        for f in "$dir"/*.bin; do
                va=$(basename "$f" .bin)
                echo "VXE-SHA $s $va $(sha256sum "$f" | cut -d' ' -f1)"
        done
        echo "VXE-JSON-BEGIN $s"
        gpudump --store "$STORE" decode --json=short "$id" </dev/null | cat
        echo
        echo "VXE-JSON-END $s"
        # gpudump extract gives the bytes back: compare with what the client wrote.
        for f in "$dir"/*.bin; do
                va=$(basename "$f" .bin)
                grep -q "^vma $va .* 0\$" "$dir/expect" || continue
                if gpudump --store "$STORE" extract "$id" --vma "0x$va" -o /tmp/extract.bin 2>/tmp/extract.err </dev/null &&
                   cmp -s /tmp/extract.bin "$f"; then
                        result "$s" PASS "extract-$va"
                else
                        result "$s" FAIL "extract-$va: $(head -c 200 /tmp/extract.err) bytes differ or missing"
                fi
                rm -f /tmp/extract.bin
        done
        if [ "$MODE" = demo ]; then
                echo "VXE-REPORT-BEGIN"
                gpudump --store "$STORE" decode --text "$id" </dev/null | cat
                echo "VXE-REPORT-END"
        fi
}

run_scenario() {
        s=$1
        shift
        dir=/tmp/exp/$s
        if ! vxe-hang "$s" "$dir" "$@" >/tmp/client.log 2>&1; then
                result "$s" FAIL "client: $(tail -n 3 /tmp/client.log | tr '\n' ' ')"
                return
        fi
        result "$s" PASS client
        if [ "$WITH_DAEMON" = 1 ]; then
                check_daemon "$s" "$dir"
        else
                check_sysfs "$s" "$dir"
        fi
        if [ "$s" = two-engines ]; then
                dmesg | grep -q 'Multiple hangs are occurring, but only the first snapshot was taken' &&
                        result "$s" PASS second-hang-not-captured ||
                        result "$s" FAIL "no 'only the first snapshot' message for the second hang"
        fi
        rm -rf "$dir"
}

bench() {
        for mib in 1 16 64; do
                for comp in Y N; do
                        echo $comp >/sys/module/vxe/parameters/compress_dump
                        if ! vxe-hang big /tmp/bench --size $((mib * 1048576)) >/tmp/client.log 2>&1; then
                                echo "VXE-BENCH error: $(tail -n 2 /tmp/client.log | tr '\n' ' ')"
                                continue
                        fi
                        d=$(wait_dump) || { echo "VXE-BENCH error: no dump for $mib MiB"; continue; }
                        sleep 0.2
                        size=$(wc -c <"$d/data")
                        line=$(dmesg | grep 'coredump has been created' | tail -n 1)
                        us=$(echo "$line" | sed -n 's/.*, \([0-9]*\) us after the hang.*/\1/p')
                        echo 1 >"$d/data"
                        ndumps=$((ndumps + 1))
                        wait_freed $ndumps
                        rm -rf /tmp/bench
                        printf 'VXE-BENCH %3d MiB dumpable  %-12s  capture done %8s us after the hang timeout  dump %10s bytes\n' \
                                $mib "$([ $comp = Y ] && echo zstd+ascii85 || echo ascii85)" "$us" "$size"
                done
        done
        echo Y >/sys/module/vxe/parameters/compress_dump
}

for m in $MODLIST; do
        if ! insmod "/modules/$m.ko"; then
                result load FAIL "insmod $m"
                finish
        fi
done
i=0
while [ ! -e /dev/dri/renderD128 ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
done
if [ -e /dev/dri/renderD128 ]; then
        result load PASS renderD128
else
        result load FAIL "no /dev/dri/renderD128"
        finish
fi
# Hangs are detected after this long; short keeps the run quick under TCG.
echo 500 >/sys/module/vxe/parameters/hang_timeout_ms

if [ "$WITH_DAEMON" = 1 ] && [ "$MODE" != bench ]; then
        mkdir -p /run/udev /run/dbus "$STORE"
        systemd-udevd --daemon >/tmp/udevd.log 2>&1 ||
                sed 's/^/VXE-LOG systemd-udevd: /' /tmp/udevd.log
        dbus-daemon --config-file=/etc/dbus-1/vm.conf --fork >/tmp/dbus.log 2>&1 ||
                sed 's/^/VXE-LOG dbus-daemon: /' /tmp/dbus.log
        i=0
        while [ ! -S /run/dbus/system_bus_socket ] && [ $i -lt 50 ]; do
                sleep 0.1
                i=$((i + 1))
        done
        gpudumpd --config /etc/gpudump/gpudumpd.conf --store "$STORE" >/tmp/gpudumpd.log 2>&1 &
        sleep 2
        if kill -0 $! 2>/dev/null; then
                result daemon PASS started
        else
                result daemon FAIL "gpudumpd exited: $(tail -n 3 /tmp/gpudumpd.log | tr '\n' ' ')"
                WITH_DAEMON=0
        fi
fi

for s in $SCENARIOS; do
        run_scenario "$s"
done
[ "$MODE" = bench ] && bench

if [ "$MODE" = test ]; then
        # Teardown with no dump pending: engines stop, nothing leaks or oopses.
        if rmmod vxe 2>/tmp/rmmod.log; then
                result unload PASS rmmod
        else
                result unload FAIL "rmmod vxe: $(cat /tmp/rmmod.log)"
        fi
        if dmesg | grep -qE 'BUG:|WARNING:|Oops|refcount_t|list_add corruption|list_del corruption'; then
                result kernel FAIL "kernel warning: $(dmesg | grep -E 'BUG:|WARNING:|Oops|refcount_t|corruption' | head -n 1)"
        else
                result kernel PASS no-warnings
        fi
fi

if [ "$WITH_DAEMON" = 1 ] && grep -q . /tmp/gpudumpd.log 2>/dev/null; then
        sed 's/^/VXE-LOG gpudumpd: /' /tmp/gpudumpd.log | tail -n 20
fi
finish
