#!/bin/bash
# Build the Debian packages (gpudump, libgpudump0, libgpudump-dev) and check them with lintian.
#
#   scripts/build-debs.sh [OUT_DIR]       (default OUT_DIR: build-debs/)
#
# As root on Debian 12 it installs the build dependencies first (scripts/deps.sh deb). The
# source tree is copied (git's tracked files, or the whole tree without build directories) into
# a temporary directory, packaging/debian becomes its debian/, and dpkg-buildpackage -us -uc -b
# builds there, so the working tree is never touched. The .debs, .changes, .buildinfo and
# lintian.txt land in OUT_DIR. Exits non-zero when the build fails or lintian reports an error;
# warnings are printed (docs/packaging.md explains each one that is left).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-debs}
mkdir -p "$out"
out=$(cd "$out" && pwd)

"$src/scripts/deps.sh" deb

work=$(mktemp -d /tmp/gpudump-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
version=$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)
tree=$work/gpudump-$version
mkdir -p "$tree"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # Tracked files as they are in the working tree (uncommitted edits included).
        # (Files deleted in the working tree but still in the index are left out.)
        git -C "$src" ls-files -z --cached --others --exclude-standard |
                while IFS= read -r -d '' f; do
                        if [ -e "$src/$f" ] || [ -L "$src/$f" ]; then printf '%s\0' "$f"; fi
                done | (cd "$src" && xargs -0 -r cp --parents -a -t "$tree")
else
        tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$tree" -xf -
fi
rm -rf "$tree/debian"
cp -a "$src/packaging/debian" "$tree/debian"

echo "build-debs: dpkg-buildpackage in $tree" >&2
(cd "$tree" && nice dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
        tail -40 "$out/build.log" >&2
        echo "build-debs: dpkg-buildpackage failed (log: $out/build.log)" >&2
        exit 1
}
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
changes=$work/gpudump_${version}_$arch.changes
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
for f in $(awk '/^Files:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $5 }' "$changes"); do
        cp "$work/$f" "$out/"
done
cp "$changes" "$out/"

# lintian as root needs --allow-root; the profile is Debian's.
# Errors and warnings, and the informational tags too (docs/packaging.md explains those left).
lintian_args=(--display-info --display-experimental --no-tag-display-limit)
[ "$(id -u)" -eq 0 ] && lintian_args+=(--allow-root)
rc=0
lintian "${lintian_args[@]}" "$out/$(basename "$changes")" >"$out/lintian.txt" 2>&1 || rc=$?
cat "$out/lintian.txt"
errors=$(grep -c '^E: ' "$out/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$out/lintian.txt" || true)
echo "build-debs: $(ls "$out"/*.deb | wc -l) packages in $out; lintian: $errors errors, $warnings warnings"
# lintian exits 1 on errors (and on its own failures, with no E: line).
if [ "$errors" -ne 0 ] || { [ $rc -ne 0 ] && [ $rc -ne 2 ]; }; then
        exit 1
fi
