#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The house is one way: no file of lib/, daemon/ or cli/ depends on a file that depends back
on it (directly or around a loop), and no lower layer of the library uses a higher one.

"Depends on" is read from the built objects, not from the sources: file A depends on file B
when A's object leaves a global symbol undefined that B's object defines (`nm`). The objects
and their sources come from the build's compile_commands.json, so every compiled file counts.

Usage: check-layers.py BUILD_ROOT SOURCE_ROOT [NM]
Prints the circles and the upward uses it finds; exits 1 when there is any.
"""
import json
import os
import subprocess
import sys

# The layers, lowest first. A file may use files of its own layer and of lower ones only.
# The library's folders are built as static libraries in this order (lib/libgpudump/meson.build);
# dump.c, the public entry, sits on all of them; the binaries use the public API and lib/shared.
LAYERS = [
        ('shared', ['lib/shared/']),
        ('input', ['lib/libgpudump/input/']),
        ('model', ['lib/libgpudump/model/']),
        ('formats', ['lib/libgpudump/formats/']),
        ('commands', ['lib/libgpudump/commands/']),
        ('analysis', ['lib/libgpudump/analysis/']),
        ('json', ['lib/libgpudump/json/']),
        ('dump', ['lib/libgpudump/dump.c']),
        ('binaries', ['cli/', 'daemon/']),
]
CHECKED = ('lib/', 'cli/', 'daemon/')


def layer_of(path):
        for rank, (name, prefixes) in enumerate(LAYERS):
                for p in prefixes:
                        if path == p or (p.endswith('/') and path.startswith(p)):
                                return rank, name
        return None, None


def component(path):
        """lib/libgpudump, cli/gpudump, daemon/gpudumpd, lib/shared: where a symbol is looked up first."""
        return '/'.join(path.split('/')[:2])


def nm_symbols(nm, obj):
        out = subprocess.run([nm, '-g', '-P', obj], check=True, capture_output=True,
                             text=True).stdout
        defined, undefined = set(), set()
        for line in out.splitlines():
                parts = line.split()
                if len(parts) < 2:
                        continue
                name, kind = parts[0], parts[1]
                if kind in ('U', 'w', 'v'):
                        undefined.add(name)
                elif kind in ('T', 'D', 'B', 'R', 'C', 'W', 'V', 'G', 'S', 'i'):
                        defined.add(name)
        return defined, undefined


def sccs(nodes, edges):
        """Tarjan's strongly connected components, iterative (no recursion limit)."""
        index, low, on_stack, stack, out = {}, {}, set(), [], []
        counter = 0
        for root in sorted(nodes):
                if root in index:
                        continue
                work = [(root, iter(sorted(edges.get(root, ()))))]
                index[root] = low[root] = counter
                counter += 1
                stack.append(root)
                on_stack.add(root)
                while work:
                        v, it = work[-1]
                        advanced = False
                        for w in it:
                                if w not in index:
                                        index[w] = low[w] = counter
                                        counter += 1
                                        stack.append(w)
                                        on_stack.add(w)
                                        work.append((w, iter(sorted(edges.get(w, ())))))
                                        advanced = True
                                        break
                                if w in on_stack:
                                        low[v] = min(low[v], index[w])
                        if advanced:
                                continue
                        work.pop()
                        if work:
                                low[work[-1][0]] = min(low[work[-1][0]], low[v])
                        if low[v] == index[v]:
                                comp = []
                                while True:
                                        w = stack.pop()
                                        on_stack.discard(w)
                                        comp.append(w)
                                        if w == v:
                                                break
                                out.append(sorted(comp))
        return out


def main():
        if len(sys.argv) < 3:
                print(__doc__, file=sys.stderr)
                return 2
        build, source = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
        nm = sys.argv[3] if len(sys.argv) > 3 else 'nm'
        with open(os.path.join(build, 'compile_commands.json')) as f:
                commands = json.load(f)

        # source file (relative to the source root) -> its objects
        objects = {}
        for c in commands:
                src = os.path.relpath(os.path.realpath(os.path.join(c['directory'], c['file'])),
                                      source)
                if not src.startswith(CHECKED) or not src.endswith('.c'):
                        continue
                objects.setdefault(src, []).append(os.path.join(c['directory'], c['output']))
        if not objects:
                print('check-layers: no objects of lib/, cli/ or daemon/ in the build', file=sys.stderr)
                return 1

        missing = sorted(o for objs in objects.values() for o in objs if not os.path.exists(o))
        if missing:
                print('check-layers: objects not built (build everything first): ' +
                      ', '.join(missing[:5]), file=sys.stderr)
                return 1

        defined, undefined = {}, {}
        for src, objs in objects.items():
                defined[src], undefined[src] = set(), set()
                for o in objs:
                        d, u = nm_symbols(nm, o)
                        defined[src] |= d
                        undefined[src] |= u
        definers = {}
        for src, syms in defined.items():
                for s in syms:
                        definers.setdefault(s, set()).add(src)

        # file -> {file it uses: symbols}; a symbol defined in several files (a source compiled
        # into two programs) resolves to the definer of the user's own component when there is one.
        edges = {src: {} for src in objects}
        for src, syms in undefined.items():
                for s in syms:
                        cands = definers.get(s, set()) - {src}
                        if not cands:
                                continue
                        local = {c for c in cands if component(c) == component(src)}
                        for dst in (local or cands):
                                edges[src].setdefault(dst, set()).add(s)

        failures = 0
        unplaced = sorted(s for s in objects if layer_of(s)[0] is None)
        for s in unplaced:
                print(f'not in any layer: {s}')
                failures += 1

        circles = [c for c in sccs(objects.keys(), edges) if len(c) > 1]
        in_circles = sum(len(c) for c in circles)
        for c in circles:
                print(f'circle of {len(c)} files:')
                members = set(c)
                for a in c:
                        for b in sorted(edges[a]):
                                if b in members:
                                        syms = ', '.join(sorted(edges[a][b])[:4])
                                        print(f'    {a} -> {b} ({syms})')
        failures += len(circles)

        upward = 0
        for a in sorted(edges):
                ra, na = layer_of(a)
                for b in sorted(edges[a]):
                        rb, nb = layer_of(b)
                        if ra is None or rb is None:
                                continue
                        syms = ', '.join(sorted(edges[a][b])[:4])
                        if rb > ra:
                                print(f'upward: {a} ({na}) uses {b} ({nb}): {syms}')
                                upward += 1
                        elif (na == 'binaries' and b.startswith('lib/libgpudump/') and
                              any(not s.startswith('gpudump_') for s in edges[a][b])):
                                # The CLI and the daemon see the library through gpudump.h only.
                                inner = ', '.join(sorted(s for s in edges[a][b]
                                                         if not s.startswith('gpudump_'))[:4])
                                print(f'internal use: {a} uses {b} past the public API: {inner}')
                                upward += 1
        failures += upward

        print(f'check-layers: {len(objects)} files, {sum(len(e) for e in edges.values())} uses, '
              f'{len(circles)} circles with {in_circles} files, {upward} upward uses, '
              f'{len(unplaced)} files outside the layers')
        return 1 if failures else 0


if __name__ == '__main__':
        sys.exit(main())
