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

# Whole seconds since boot: deadlines are real time, not loop counts (the
# commands polled take a varying share of each round on a loaded host).
uptime_s() {
        read -r up _ </proc/uptime
        echo "${up%.*}"
}

# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds; 1 on timeout.
# Every wait below is for the condition itself; the timeouts are generous
# (slow CI under TCG) and only matter when something is broken.
wait_for() {
        local limit
        limit=$(($(uptime_s) + $1))
        shift
        until "$@"; do
                [ "$(uptime_s)" -ge "$limit" ] && return 1
                sleep 0.1
        done
        return 0
}

dmesg_count() {
        dmesg | grep -c "$1"
}
created_count() { dmesg_count 'coredump has been created'; }
freed_count() { dmesg_count 'coredump has been deleted'; }
refused_count() { dmesg_count 'Multiple hangs are occurring, but only the first snapshot was taken'; }
created_at_least() { [ "$(created_count)" -ge "$1" ]; }
freed_at_least() { [ "$(freed_count)" -ge "$1" ]; }

# Prints the path of a published devcoredump, if there is one.
dump_path() {
        local d
        for d in /sys/class/devcoredump/devcd*; do
                if [ -e "$d/data" ]; then
                        echo "$d"
                        return 0
                fi
        done
        return 1
}

# Prints the path of the devcoredump once one is published.
wait_dump() {
        wait_for 120 dump_path >/dev/null && dump_path
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
        wait_for 120 freed_at_least "$1"
}

store_count() {
        gpudump --store "$STORE" list --json=short 2>/dev/null </dev/null | grep -o '"id":' | wc -l
}

store_has() {
        [ "$(store_count)" -ge "$1" ]
}

newest_id() {
        gpudump --store "$STORE" list --json=short 2>/dev/null </dev/null | grep -o '"id": *"[^"]*"' |
                sed 's/.*"\([^"]*\)"$/\1/' | sort | tail -n 1
}

# Direct path: read the dump from sysfs, check it, free it.
check_sysfs() {
        s=$1 dir=$2
        # Every dump so far was freed: this hang's is number ndumps+1. The
        # client returned after its fences failed, so any capture has been
        # decided; wait for it to be published before counting.
        wait_for 120 created_at_least $((ndumps + 1)) || { result "$s" FAIL "no devcoredump created"; return; }
        d=$(wait_dump) || { result "$s" FAIL "no devcoredump appeared"; return; }
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
        if ! wait_for 180 store_has $want; then
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

# run_client LABEL SCENARIO: runs vxe-hang; the scenario's files go to /tmp/exp/LABEL.
run_client() {
        if ! vxe-hang "$2" "/tmp/exp/$1" >/tmp/client.log 2>&1; then
                result "$1" FAIL "client: $(tail -n 3 /tmp/client.log | tr '\n' ' ')"
                return 1
        fi
        result "$1" PASS client
}

# check_dump LABEL: the dump of the client run LABEL, collected by the daemon or read from sysfs.
check_dump() {
        if [ "$WITH_DAEMON" = 1 ]; then
                check_daemon "$1" "/tmp/exp/$1"
        else
                check_sysfs "$1" "/tmp/exp/$1"
        fi
        rm -rf "/tmp/exp/$1"
}

# run_scenario LABEL [SCENARIO]: one hang and the checks of its dump.
run_scenario() {
        run_client "$1" "${2:-$1}" && check_dump "$1"
}

# State letter of /proc/PID/stat is T once a SIGSTOP took effect.
daemon_stopped() {
        local st
        st=$(sed 's/.*) //' "/proc/$DAEMON_PID/stat" 2>/dev/null)
        [ "${st%% *}" = T ]
}

# Hangs on rcs0 and bcs0 at once: one dump; the second hang is refused while
# that dump is pending, and capture works again once it is freed. gpudumpd is
# stopped meanwhile so that it cannot free the first dump before the second
# hang (under load it could): the refusal is then certain, not a race.
two_engines() {
        local s=two-engines refused created n
        if [ "$WITH_DAEMON" = 1 ]; then
                kill -STOP "$DAEMON_PID"
                wait_for 60 daemon_stopped || result $s FAIL "gpudumpd did not stop on SIGSTOP"
        fi
        refused=$(refused_count)
        created=$(created_count)
        if ! run_client $s two-engines; then
                [ "$WITH_DAEMON" = 1 ] && kill -CONT "$DAEMON_PID"
                return
        fi
        # The client returned after both fences failed, and a hang is
        # captured or refused before its fence signals: both are decided.
        if wait_for 120 created_at_least $((created + 1)) && dump_path >/dev/null; then
                n=$(count_dumps)
                [ "$n" = 1 ] && result $s PASS one-dump-pending ||
                        result $s FAIL "$n devcoredumps while the first is pending, expected 1"
        else
                result $s FAIL "no devcoredump for either hang"
        fi
        n=$(($(refused_count) - refused))
        [ "$n" = 1 ] && result $s PASS second-hang-not-captured ||
                result $s FAIL "$n 'only the first snapshot' messages for the second hang, expected 1"
        n=$(($(created_count) - created))
        [ "$n" = 1 ] && result $s PASS one-capture ||
                result $s FAIL "$n captures for the two hangs, expected 1"
        [ "$WITH_DAEMON" = 1 ] && kill -CONT "$DAEMON_PID"
        check_dump $s
        # The first dump is freed now (check_dump waited for that): a third
        # hang must be captured, not refused.
        refused=$(refused_count)
        run_scenario two-engines-third plain || return
        n=$(($(refused_count) - refused))
        [ "$n" = 0 ] && result two-engines-third PASS captured-after-free ||
                result two-engines-third FAIL "refused after the first dump was freed"
}

bench() {
        for mib in 1 16 64; do
                for comp in Y N; do
                        echo $comp >/sys/module/vxe/parameters/compress_dump
                        if ! vxe-hang big /tmp/bench --size $((mib * 1048576)) >/tmp/client.log 2>&1; then
                                echo "VXE-BENCH error: $(tail -n 2 /tmp/client.log | tr '\n' ' ')"
                                continue
                        fi
                        if ! wait_for 120 created_at_least $((ndumps + 1)) || ! d=$(wait_dump); then
                                echo "VXE-BENCH error: no dump for $mib MiB"
                                continue
                        fi
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
if wait_for 60 test -e /dev/dri/renderD128; then
        result load PASS renderD128
else
        result load FAIL "no /dev/dri/renderD128"
        finish
fi
# Hangs are detected after this long; short keeps the run quick under TCG.
# (vxe-hang holds detection off while it acts on its pending jobs.)
echo 500 >/sys/module/vxe/parameters/hang_timeout_ms

daemon_settled() {
        grep -q 'ready; store' /tmp/gpudumpd.log || ! kill -0 "$DAEMON_PID" 2>/dev/null
}

if [ "$WITH_DAEMON" = 1 ] && [ "$MODE" != bench ]; then
        mkdir -p /run/udev /run/dbus "$STORE"
        systemd-udevd --daemon >/tmp/udevd.log 2>&1 ||
                sed 's/^/VXE-LOG systemd-udevd: /' /tmp/udevd.log
        # gpudumpd hears of dumps from udevd: it must be serving before any hang.
        wait_for 60 udevadm control --ping 2>/dev/null ||
                echo "VXE-LOG systemd-udevd does not answer udevadm control --ping"
        dbus-daemon --config-file=/etc/dbus-1/vm.conf --fork >/tmp/dbus.log 2>&1 ||
                sed 's/^/VXE-LOG dbus-daemon: /' /tmp/dbus.log
        wait_for 60 test -S /run/dbus/system_bus_socket ||
                echo "VXE-LOG no D-Bus socket /run/dbus/system_bus_socket"
        gpudumpd --config /etc/gpudump/gpudumpd.conf --store "$STORE" >/tmp/gpudumpd.log 2>&1 &
        DAEMON_PID=$!
        # gpudumpd logs "ready" once its monitor listens and its start-up scan is done.
        wait_for 120 daemon_settled
        if kill -0 "$DAEMON_PID" 2>/dev/null && grep -q 'ready; store' /tmp/gpudumpd.log; then
                result daemon PASS started
        elif kill -0 "$DAEMON_PID" 2>/dev/null; then
                result daemon FAIL "gpudumpd not ready after 120 s: $(tail -n 3 /tmp/gpudumpd.log | tr '\n' ' ')"
        else
                result daemon FAIL "gpudumpd exited: $(tail -n 3 /tmp/gpudumpd.log | tr '\n' ' ')"
                WITH_DAEMON=0
        fi
fi

for s in $SCENARIOS; do
        case $s in
        two-engines) two_engines ;;
        *) run_scenario "$s" ;;
        esac
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
