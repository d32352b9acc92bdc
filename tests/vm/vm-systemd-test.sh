#!/bin/bash
# In-VM half of run-vm-systemd.sh: started at boot by gpudump-vmtest.service in the Debian
# root file system where the gpudump packages are installed. Boot 1 checks activation, a
# collection, the journal, the bus API, polkit and a SIGKILL in the middle of a collection,
# then powers off and the host boots the disk again; boot 2 checks the store and the scan at start, and powers off. Every line the
# host reads starts with "VXE-". Waits are for conditions, with generous limits (TCG).
set -u
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export SYSTEMD_PAGER=cat PAGER=cat GPUDUMP_PAGER=cat TERM=dumb LC_ALL=C.UTF-8 SYSTEMD_COLORS=0
STATE=/var/lib/gpudump-vmtest
STORE=/var/lib/gpudump
MSGID=5a3326f06881430f9e57269a37d1c13d
UNIT=gpudumpd.service
mkdir -p "$STATE" /tmp/exp
echo

result() { echo "VXE-RESULT $*"; }
pass() { result "$1" PASS "${*:2}"; }
fail() { result "$1" FAIL "${*:2}"; }
# expect NAME DESCRIPTION COMMAND...: PASS when COMMAND succeeds.
expect() {
        local name=$1 what=$2
        shift 2
        if "$@"; then pass "$name" "$what"; else fail "$name" "$what"; fi
}
log_tail() { # log_tail LABEL COMMAND...: the last lines of COMMAND, for a failure's context
        local label=$1
        shift
        "$@" 2>&1 | tail -n 15 | sed "s/^/VXE-LOG $label: /"
}

uptime_s() { cut -d. -f1 /proc/uptime; }
wait_for() { # wait_for SECONDS COMMAND...
        local limit=$(($(uptime_s) + $1))
        shift
        until "$@"; do
                [ "$(uptime_s)" -ge "$limit" ] && return 1
                sleep 0.2
        done
}

entries() { find "$STORE" -maxdepth 1 -name '*.json' 2>/dev/null | wc -l; }
entries_at_least() { [ "$(entries)" -ge "$1" ]; }
newest_id() { find "$STORE" -maxdepth 1 -name '*.json' -printf '%f\n' | sort | tail -n 1 | sed 's/\.json$//'; }
dump_in_sysfs() {
        local d
        for d in /sys/class/devcoredump/devcd*; do
                [ -e "$d/data" ] && return 0
        done
        return 1
}
no_dump_in_sysfs() { ! dump_in_sysfs; }
active() { [ "$(systemctl is-active "$UNIT")" = active ]; }
inactive() { ! active; }
activations() { journalctl -b --no-pager -o cat -u dbus.service 2>/dev/null | grep -c "Activating via systemd: service name='org.gpudump.GpuDump1'"; }
journal_has() { journalctl -b --no-pager -o cat -u "$UNIT" 2>/dev/null | grep -q "$1"; }

boot_time() {
        local n=$1 t
        systemctl is-system-running --wait >/dev/null 2>&1
        t=$(systemd-analyze time 2>/dev/null | head -n 1)
        echo "VXE-BOOT boot $n: $t (test started at ${START_UPTIME} s of uptime)"
        # Where the kernel part went: the initrd's start, the root mounted, systemd started.
        echo "VXE-BOOT boot $n kernel log: $(journalctl -b -k -o short-monotonic --no-pager 2>/dev/null |
                grep -E 'Run /init as|EXT4-fs \(vda\): mounted|systemd 2[0-9]* running' |
                sed 's/^\[ *\([0-9.]*\)\].*\(Run \/init\|EXT4-fs (vda): mounted\|running in system mode\).*/\1 s \2/' |
                tr '\n' ';')"
        # The initrd's part, line by line (diagnosis of slow boots).
        journalctl -b -k -o short-monotonic --no-pager 2>/dev/null |
                sed -n '/Run \/init as/,/EXT4-fs (vda): mounted/p' | cut -c1-160 | tail -n 25 |
                sed "s/^/VXE-LOG boot $n: /"
        case "$t" in
        Startup\ finished*) pass "boot$n" "systemd reached $(systemctl is-system-running) as PID 1: $(cat /proc/1/comm)" ;;
        *) fail "boot$n" "systemd-analyze time: $t" ;;
        esac
}

load_vxe() {
        if ! modprobe vxe; then
                fail "$1" "modprobe vxe"
                return 1
        fi
        wait_for 60 test -e /dev/dri/renderD128 || { fail "$1" "no /dev/dri/renderD128"; return 1; }
        # Hangs are detected after this long; short keeps the run quick under TCG.
        echo 500 >/sys/module/vxe/parameters/hang_timeout_ms
}

# hang LABEL SCENARIO: one GPU hang from vxe-hang; its expectations go to /tmp/exp/LABEL.
hang() {
        if ! vxe-hang "$2" "/tmp/exp/$1" >"/tmp/$1.client.log" 2>&1; then
                fail "$1" "vxe-hang $2: $(tail -n 3 "/tmp/$1.client.log" | tr '\n' ' ')"
                return 1
        fi
}

# dumpcheck NAME LABEL ID: the stored dump against what the client wrote.
dumpcheck() {
        local out
        out=$(vxe-dumpcheck "$STORE/$3.zst" "/tmp/exp/$2" 2>&1)
        if echo "$out" | grep -q 'FAIL' || ! echo "$out" | grep -q 'PASS'; then
                fail "$1" "vxe-dumpcheck $3: $(echo "$out" | grep -v PASS | head -n 3 | tr '\n' ' ')"
                return 1
        fi
        return 0
}

security() {
        local out level
        out=$(systemd-analyze security --no-pager "$UNIT" 2>&1)
        level=$(echo "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
        echo "VXE-SECURITY systemd-analyze security $UNIT: ${level:-?} ($(echo "$out" | tail -n 1 | sed 's/.*: //'))"
        echo "$out" | grep -E '^✗' | sed 's/^/VXE-LOG security: /' | head -n 40
        if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
                pass security-exposure "overall exposure $level <= 2.0"
        else
                fail security-exposure "overall exposure ${level:-unknown} > 2.0"
        fi
}

boot1() {
        boot_time 1
        # Installed, not enabled: nothing started it at boot.
        expect not-started-at-boot "gpudumpd is not running after boot" inactive
        expect not-enabled "the unit is $(systemctl is-enabled $UNIT 2>&1)" \
                test "$(systemctl is-enabled $UNIT 2>&1)" = disabled

        # Before any hang: gpudump list asks the bus, dbus-daemon activates the unit.
        local out rc
        out=$(gpudump list --no-pager 2>&1); rc=$?
        expect list-before-hang "gpudump list before any hang: exit $rc ($(echo "$out" | head -n 1))" \
                test $rc = 0
        if active && [ "$(activations)" = 1 ]; then
                pass dbus-activated "the call started $UNIT through D-Bus activation"
        else
                fail dbus-activated "$UNIT $(systemctl is-active $UNIT), $(activations) activations by dbus"
                log_tail dbus journalctl -b --no-pager -u dbus.service
        fi
        systemctl stop "$UNIT"
        wait_for 60 inactive

        # The first hang: udev's SYSTEMD_WANTS starts the daemon, which collects the dump.
        load_vxe load || return
        hang first plain || return
        if wait_for 240 entries_at_least 1; then
                pass collected "the first hang's dump is in the store"
        else
                fail collected "no entry in $STORE"
                log_tail gpudumpd journalctl -b --no-pager -u "$UNIT"
                log_tail udev udevadm info --export-db
                return
        fi
        if active && [ "$(activations)" = 1 ]; then
                pass udev-started "$UNIT started by the hang's devcoredump (udev), no D-Bus activation since the first"
        else
                fail udev-started "$UNIT $(systemctl is-active $UNIT), $(activations) D-Bus activations"
        fi
        local id
        id=$(newest_id)
        wait_for 60 no_dump_in_sysfs || fail collected "the kernel's copy was not freed"
        # Durable: complete in the store, 0640, a valid zstd frame, the client's data; fsynced
        # before the kernel's copy was freed (the reboot below checks it on disk).
        if [ "$(stat -c %a "$STORE/$id.zst")" = 640 ] && zstd -qt "$STORE/$id.zst" &&
           dumpcheck durable first "$id"; then
                pass durable "$id: 0640, valid zstd, the dump vxe captured"
        else
                fail durable "$id: mode $(stat -c %a "$STORE/$id.zst"), zstd -t or dumpcheck failed"
        fi

        # The journal entry, and the catalog text journalctl -x adds to it.
        if journalctl -b --no-pager -o export MESSAGE_ID=$MSGID | grep -q "^GPUDUMP_ID=$id\$"; then
                pass journal-message-id "MESSAGE_ID=$MSGID with GPUDUMP_ID=$id"
        else
                fail journal-message-id "no journal entry MESSAGE_ID=$MSGID GPUDUMP_ID=$id"
        fi
        out=$(journalctl -b --no-pager -x MESSAGE_ID=$MSGID)
        if echo "$out" | grep -q "Subject: GPU hang on .* collected as $id" &&
           echo "$out" | grep -q "gpudump decode $id"; then
                pass journal-catalog "journalctl -x explains the entry (catalog installed, database updated by the trigger)"
        else
                fail journal-catalog "journalctl -x: $(echo "$out" | tail -n 4 | tr '\n' ' ')"
        fi

        # The API on the system bus.
        out=$(busctl introspect --no-pager org.gpudump.GpuDump1 /org/gpudump/GpuDump1 2>&1)
        local m missing=""
        for m in org.gpudump.GpuDump1 .ListEntries .GetEntry .OpenDump .Decode .DeleteEntry .DumpCollected; do
                echo "$out" | grep -q -- "^$m " || missing="$missing $m"
        done
        expect busctl-introspect "busctl introspect shows the interface${missing:+, lacks$missing}" test -z "$missing"

        # polkit: an unprivileged user reads metadata, not contents; root decodes.
        out=$(runuser -u tester -- gpudump list --json=short --no-pager 2>&1); rc=$?
        expect user-lists "tester: gpudump list exit $rc" sh -c "[ $rc = 0 ] && echo '$out' | grep -q '\"$id\"'"
        out=$(runuser -u tester -- gpudump info --json=short "$id" 2>&1); rc=$?
        expect user-info "tester: gpudump info exit $rc" sh -c "[ $rc = 0 ] && echo '$out' | grep -q '\"$id\"'"
        out=$(runuser -u tester -- gpudump decode --json=short "$id" 2>&1); rc=$?
        if [ $rc != 0 ] && ! echo "$out" | grep -q schema_version; then
                pass user-denied-contents "tester: gpudump decode exit $rc: $(echo "$out" | head -n 1)"
        else
                fail user-denied-contents "tester: gpudump decode exit $rc: $(echo "$out" | head -c 200)"
        fi
        out=$(gpudump decode --json=short "$id" 2>/tmp/decode.err); rc=$?
        if [ $rc = 0 ] && echo "$out" | grep -q '"schema_version"'; then
                pass root-decodes "root: gpudump decode over the bus, $(echo "$out" | wc -c) bytes"
                echo "VXE-JSON-BEGIN"
                echo "$out"
                echo "VXE-JSON-END"
        else
                fail root-decodes "root: gpudump decode exit $rc: $(head -c 200 /tmp/decode.err)"
        fi

        # SIGKILL in the middle of a collection: the daemon is held while streaming the dump
        # (the test hook GPUDUMPD_TEST_PAUSE_AT, in a runtime drop-in), killed, and the
        # restart (Restart=on-failure) collects the dump from sysfs again, whole.
        local before restarts
        before=$(entries)
        mkdir -p /run/systemd/system/$UNIT.d
        printf '[Service]\nEnvironment=GPUDUMPD_TEST_PAUSE_AT=streaming\n' >/run/systemd/system/$UNIT.d/pause.conf
        systemctl daemon-reload
        systemctl restart "$UNIT"
        hang kill plain || return
        if wait_for 240 journal_has "GPUDUMPD_TEST_PAUSED streaming"; then
                pass kill-paused "gpudumpd is in the middle of streaming the dump"
        else
                fail kill-paused "gpudumpd did not reach the streaming stage"
                log_tail gpudumpd journalctl -b --no-pager -u "$UNIT"
        fi
        rm -f /run/systemd/system/$UNIT.d/pause.conf
        systemctl daemon-reload
        restarts=$(systemctl show -p NRestarts --value "$UNIT")
        systemctl kill -s KILL "$UNIT"
        if wait_for 240 entries_at_least $((before + 1)) && wait_for 60 no_dump_in_sysfs; then
                pass kill-restarted "restarted ($(systemctl show -p NRestarts --value $UNIT) restarts, was $restarts), the dump collected"
        else
                fail kill-restarted "after SIGKILL: $(entries) entries (was $before), $UNIT $(systemctl is-active $UNIT)"
                log_tail gpudumpd journalctl -b --no-pager -u "$UNIT"
        fi
        id=$(newest_id)
        local stray
        stray=$(find "$STORE" -mindepth 1 ! -name '*.json' ! -name '*.zst' -printf '%f ')
        for f in "$STORE"/*.zst; do
                [ -e "${f%.zst}.json" ] || stray="$stray $(basename "$f")"
        done
        if [ "$(entries)" = $((before + 1)) ] && [ -z "$stray" ] && dumpcheck kill-nothing-lost kill "$id"; then
                pass kill-nothing-lost "one entry more ($id), whole; no partial or temporary file left"
        else
                fail kill-nothing-lost "$(entries) entries (was $before), stray files: ${stray:-none}"
        fi

        security

        # For boot 2: what the store holds now.
        (cd "$STORE" && sha256sum ./*) >"$STATE/store.sha256"
        entries >"$STATE/entries"
        cat /proc/sys/kernel/random/boot_id >"$STATE/boot-id"
        echo 2 >"$STATE/phase"
        sync
        # The host boots the image again once this machine is off (run-vm-systemd.sh).
        echo "VXE-POWEROFF"
        systemctl poweroff
}

boot2() {
        boot_time 2
        echo 3 >"$STATE/phase"
        expect rebooted "a new boot: boot id $(cat /proc/sys/kernel/random/boot_id), was $(cat "$STATE/boot-id")" \
                test "$(cat /proc/sys/kernel/random/boot_id)" != "$(cat "$STATE/boot-id")"
        expect not-started-at-boot2 "gpudumpd is not running after the reboot" inactive
        local out
        if out=$(cd "$STORE" && sha256sum -c --quiet "$STATE/store.sha256" 2>&1) &&
           [ "$(entries)" = "$(cat "$STATE/entries")" ]; then
                pass store-intact "$(entries) entries, every file as before the reboot"
        else
                fail store-intact "$(entries) entries (were $(cat "$STATE/entries")): $out"
        fi
        out=$(gpudump list --json=short --no-pager 2>&1)
        expect list-after-reboot "gpudump list lists the $(cat "$STATE/entries") entries" \
                test "$(echo "$out" | grep -o '"id":' | wc -l)" = "$(cat "$STATE/entries")"

        # A dump that waits in sysfs while no gpudumpd can run (masked for this boot) is
        # collected by the scan when the daemon starts.
        systemctl stop "$UNIT"
        systemctl mask --runtime "$UNIT" >/dev/null 2>&1
        load_vxe load2 || return
        local before
        before=$(entries)
        hang scan plain || return
        if wait_for 120 dump_in_sysfs && sleep 2 && dump_in_sysfs && inactive && [ "$(entries)" = "$before" ]; then
                systemctl unmask --runtime "$UNIT" >/dev/null 2>&1
                systemctl start "$UNIT"
                if wait_for 240 entries_at_least $((before + 1)) && wait_for 60 no_dump_in_sysfs &&
                   dumpcheck scan-at-start scan "$(newest_id)"; then
                        pass scan-at-start "the dump left in sysfs was collected by the start-up scan"
                else
                        fail scan-at-start "$(entries) entries (were $before) after start"
                        log_tail gpudumpd journalctl -b --no-pager -u "$UNIT"
                fi
        else
                fail scan-at-start "setup: dump in sysfs $(dump_in_sysfs && echo yes || echo no), $UNIT $(systemctl is-active $UNIT), $(entries) entries"
                systemctl unmask --runtime "$UNIT" >/dev/null 2>&1
        fi
        if dmesg | grep -qE 'BUG:|WARNING:|Oops'; then
                fail kernel "kernel warning: $(dmesg | grep -E 'BUG:|WARNING:|Oops' | head -n 1)"
        else
                pass kernel "no kernel warnings"
        fi
}

START_UPTIME=$(uptime_s)
phase=$(cat "$STATE/phase" 2>/dev/null || echo 1)
case $phase in
1) boot1 ;;
2) boot2 ;;
*) echo "VXE-LOG booted again after the test (phase $phase)" ;;
esac
if [ "$phase" != 1 ] || [ "$(cat "$STATE/phase" 2>/dev/null)" != 2 ]; then
        # Done (boot 2, or boot 1 stopped early): power off, qemu exits.
        echo "VXE-DONE"
        sync
        systemctl poweroff
fi
