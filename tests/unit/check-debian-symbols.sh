#!/bin/sh
# The Debian symbols file (packaging/debian/libgpudump0.symbols) against the version script and
# the built library, both directions: every global of libgpudump.sym is in the symbols file
# with the version node the script puts it in, the file lists nothing else, its soname line
# names the library's SONAME, and the library exports each listed name at that version.
# usage: check-debian-symbols.sh LIBGPUDUMP.SO LIBGPUDUMP.SYM LIBGPUDUMP0.SYMBOLS
set -eu
lib=$1
sym=$2
symbols=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

node=$(sed -n 's/^\([A-Za-z0-9_.]*\)[[:space:]]*{.*/\1/p' "$sym")
if [ -z "$node" ] || [ "$(echo "$node" | wc -l)" -ne 1 ]; then
        echo "$sym: expected one version node, found '$node'" >&2
        exit 1
fi
soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
first=$(sed -n '1p' "$symbols")
case "$first" in
"$soname "*) ;;
*)
        echo "$symbols: first line '$first' does not name the SONAME $soname" >&2
        status=1
        ;;
esac
pkg=$(echo "$first" | awk '{ print $2 }')
want_pkg=$(echo "$soname" | sed 's/\.so\./-/; s/^\(.*[a-z]\)-\([0-9]*\)$/\1\2/')
if [ "$pkg" != "$want_pkg" ]; then
        echo "$symbols: package '$pkg' for $soname, Debian policy names it $want_pkg" >&2
        status=1
fi

sed -n '/global:/,/local:/p' "$sym" | sed -e 's,/\*.*\*/,,g' -e 's/;//' -e 's/[[:space:]]//g' |
        grep -v -e '^global:' -e '^local:' -e '^$' | sed "s/\$/@$node/" | LC_ALL=C sort -u >"$tmp/script"
echo "$node@$node" >>"$tmp/script"
LC_ALL=C sort -u -o "$tmp/script" "$tmp/script"
# Symbol lines start with a space: "name@NODE minver".
grep '^ ' "$symbols" | awk '{ print $1 }' | LC_ALL=C sort >"$tmp/listed"
if [ "$(uniq -d "$tmp/listed" | wc -l)" -ne 0 ]; then
        echo "$symbols lists twice: $(uniq -d "$tmp/listed" | tr '\n' ' ')" >&2
        status=1
fi
grep '^ ' "$symbols" | awk 'NF != 2 { print "malformed line: " $0 }' >&2
grep '^ ' "$symbols" | awk 'NF != 2 { exit 1 }' || status=1
# The version node itself is an absolute symbol without a version suffix.
nm -D --defined-only "$lib" | awk '$2 == "A" && $3 !~ /@/ { print $3 "@" $3; next } { print $3 }' | sed 's/@@*/@/' | LC_ALL=C sort -u >"$tmp/exported"

missing=$(LC_ALL=C comm -23 "$tmp/script" "$tmp/listed")
extra=$(LC_ALL=C comm -13 "$tmp/script" "$tmp/listed")
unexported=$(LC_ALL=C comm -23 "$tmp/listed" "$tmp/exported")
if [ -n "$missing" ]; then
        echo "in libgpudump.sym but not in $symbols:" >&2
        echo "$missing" >&2
        status=1
fi
if [ -n "$extra" ]; then
        echo "in $symbols but not in libgpudump.sym:" >&2
        echo "$extra" >&2
        status=1
fi
if [ -n "$unexported" ]; then
        echo "in $symbols but not exported by $lib at that version:" >&2
        echo "$unexported" >&2
        status=1
fi
[ $status -eq 0 ] && echo "ok: $(wc -l <"$tmp/listed") symbols of $soname match libgpudump.sym and the library"
exit $status
