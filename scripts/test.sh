#!/bin/bash
# Install what is missing, build, and run every test suite:
#   1. plain build with -Werror: every suite (unit, formats, analysis, fixtures, schema, cli, daemon, vm;
#      vm includes vm-systemd, which builds the Debian packages and boots them in a Debian VM)
#   2. ASan+UBSan build: every suite but the qemu one (the kernel is not instrumented)
#   3. valgrind: the C test binaries of the 'valgrind' suite
#   4. fuzz: clang build with libFuzzer + ASan + UBSan (build-fuzz): every corpus file of
#      tests/fuzz/corpus/ through its target (suite 'fuzz'; campaigns: ninja -C build-fuzz fuzz)
# Exits non-zero on any failure, and on any skipped test: a skip hides a missing piece.
# Environment: GPUDUMP_TEST_PHASES="plain asan valgrind" to run a subset (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/deps.sh test

phases=${GPUDUMP_TEST_PHASES:-plain asan valgrind fuzz}
common=(--werror -Dtests=enabled -Ddaemon=enabled)
logs=()

setup() { # setup DIR ARGS...: configure once, reconfigure after that
        local dir=$1; shift
        if [ -f "$dir/build.ninja" ]; then
                meson setup --reconfigure "$dir" "$@" >/dev/null
        else
                meson setup "$dir" "$@" >/dev/null
        fi
}

run_suite() { # run_suite LABEL DIR SETUP MESON-TEST-ARGS...: run, keep going, remember the log
        local label=$1 dir=$2 setup=$3; shift 3
        echo "== $label"
        local log=$dir/meson-logs/testlog-$label.json
        if [ -n "$setup" ]; then
                set -- --setup="$setup" "$@"
                # meson appends the setup's name to the log's base name
                log=$dir/meson-logs/testlog-$label-$setup.json
        fi
        rm -f "$log"
        local rc=0
        meson test -C "$dir" --print-errorlogs --num-processes 2 --logbase "testlog-$label" "$@" || rc=$?
        logs+=("$log")
        return $rc
}

failed=0
for phase in $phases; do
        case $phase in
        plain)
                setup build "${common[@]}" -Dkernel=enabled -Dvm_tests=enabled
                meson compile -C build
                run_suite plain build "" || failed=1
                ;;
        asan)
                # kernel/ and the qemu test are not userspace code under test here.
                setup build-asan "${common[@]}" -Db_sanitize=address,undefined -Db_lundef=false \
                        -Dkernel=disabled -Dvm_tests=disabled
                meson compile -C build-asan
                ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:verify_asan_link_order=0 \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                        run_suite asan build-asan "" --no-suite vm || failed=1
                ;;
        valgrind)
                setup build "${common[@]}" -Dkernel=enabled -Dvm_tests=enabled
                meson compile -C build
                run_suite valgrind build valgrind --suite valgrind || failed=1
                ;;
        fuzz)
                CC=clang setup build-fuzz --werror -Dfuzz=enabled -Dtests=disabled -Ddaemon=enabled \
                        -Db_sanitize=address,undefined -Db_lundef=false \
                        -Dkernel=disabled -Dvm_tests=disabled
                meson compile -C build-fuzz
                run_suite fuzz build-fuzz "" --suite fuzz || failed=1
                ;;
        *)
                echo "test.sh: unknown phase '$phase'" >&2
                exit 2
                ;;
        esac
done

/usr/bin/python3 scripts/summarize-tests.py "${logs[@]}" || failed=1
exit $failed
