#!/bin/sh
# The generated pkg-config file lets a consumer build against libgpudump using only the public
# header: compile and run a small program with the flags of the uninstalled libgpudump.pc.
# usage: test-pkgconfig.sh BUILD-ROOT CC   (CONSUMER_CFLAGS: extra flags, e.g. the sanitizers)
set -eu
build=$1
cc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PKG_CONFIG_PATH="$build/meson-uninstalled"
# pkg-config prefers libgpudump-uninstalled.pc when it is on the path.
pkg-config --exists libgpudump
[ -n "$(pkg-config --modversion libgpudump)" ]
cat >"$tmp/consumer.c" <<'C'
#include <gpudump.h>
#include <stdio.h>
#include <string.h>
int main(void) {
        struct gpudump_dump *d = NULL;
        const char text[] = "**** Xe Device Coredump ****\nmodule: xe\n";
        if (gpudump_dump_new_from_memory(text, sizeof(text) - 1, 0, &d) < 0)
                return 1;
        int ok = gpudump_dump_get_format(d) == GPUDUMP_FORMAT_XE &&
                 strcmp(gpudump_dump_get_driver(d), "xe") == 0 && gpudump_report_schema_version() >= 1;
        gpudump_dump_unref(d);
        puts(ok ? "consumer ok" : "consumer: wrong result");
        return ok ? 0 : 1;
}
C
# shellcheck disable=SC2046
"$cc" -Wall -Werror ${CONSUMER_CFLAGS:-} -o "$tmp/consumer" "$tmp/consumer.c" $(pkg-config --cflags --libs libgpudump)
LD_LIBRARY_PATH="$build/lib/libgpudump" "$tmp/consumer"
