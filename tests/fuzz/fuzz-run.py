#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The fuzz targets' driver (docs/fuzzing.md).

  fuzz-run.py replay TARGET CORPUS_DIR
      every file of CORPUS_DIR through TARGET once; fails when one fails or the corpus is empty
      (meson suite 'fuzz', so ./scripts/test.sh).
  fuzz-run.py campaign SEED_ROOT WORK_ROOT NAME=TARGET...
      FUZZ_SECONDS (default 60) of fuzzing per target, FUZZ_TARGETS="a b" for some only; the
      corpus grows in WORK_ROOT/NAME/corpus (kept between runs) from SEED_ROOT/NAME; findings go
      to WORK_ROOT/NAME/findings. Prints executions, executions/s and coverage per target; fails
      on any finding (`ninja -C build-fuzz fuzz`).
  fuzz-run.py speed SEED_ROOT NAME=TARGET...
      executions/s of each target replaying its seed corpus (inputs <= 64 KiB) FUZZ_RUNS times.
"""
import os
import re
import subprocess
import sys
import time

LIMITS = ['-rss_limit_mb=2048', '-malloc_limit_mb=256']


def corpus_files(d):
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if os.path.isfile(os.path.join(d, f)))


def replay(target, corpus):
    files = corpus_files(corpus)
    if not files:
        print(f'{corpus}: empty corpus', file=sys.stderr)
        return 1
    # Files, not a directory: libFuzzer runs each once and stops at the first failure.
    r = subprocess.run([target, *LIMITS, '-timeout=60'] + files, stderr=subprocess.PIPE, text=True,
                       errors='replace')
    if r.returncode != 0:
        sys.stderr.write(r.stderr[-20000:])
        print(f'{os.path.basename(target)}: FAILED on the corpus {corpus} (exit {r.returncode})',
              file=sys.stderr)
        return 1
    print(f'{os.path.basename(target)}: {len(files)} inputs of {corpus} replayed, no finding')
    return 0


def targets(args):
    only = os.environ.get('FUZZ_TARGETS', '').split()
    for a in args:
        name, exe = a.split('=', 1)
        if not only or name in only:
            yield name, exe


def campaign(seed_root, work_root, args):
    seconds = int(os.environ.get('FUZZ_SECONDS', '60'))
    jobs = []
    failed = 0
    print(f'{"target":10} {"seconds":>7} {"executions":>12} {"exec/s":>8} {"cov":>6} {"ft":>7} '
          f'{"corpus":>6} {"rss MB":>6}  findings')
    for name, exe in targets(args):
        work = os.path.join(work_root, name)
        corpus = os.path.join(work, 'corpus')
        findings = os.path.join(work, 'findings')
        os.makedirs(corpus, exist_ok=True)
        os.makedirs(findings, exist_ok=True)
        before = set(os.listdir(findings))
        cmd = ['nice', exe, *LIMITS, '-timeout=10', '-max_len=65536', '-print_final_stats=1',
               f'-max_total_time={seconds}', f'-artifact_prefix={findings}/', corpus,
               os.path.join(seed_root, name)]
        t0 = time.monotonic()
        r = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, errors='replace')
        elapsed = time.monotonic() - t0
        log = r.stderr
        with open(os.path.join(work, 'last.log'), 'w') as f:
            f.write(log)
        stat = dict(re.findall(r'^stat::(\w+):\s+(\d+)', log, re.M))
        cov = re.findall(r'cov: (\d+) ft: (\d+) corp: (\d+)', log)
        c, ft, corp = cov[-1] if cov else ('?', '?', '?')
        new = sorted(set(os.listdir(findings)) - before)
        if r.returncode != 0 or new:
            failed = 1
        print(f'{name:10} {elapsed:7.0f} {stat.get("number_of_executed_units", "?"):>12} '
              f'{stat.get("average_exec_per_sec", "?"):>8} {c:>6} {ft:>7} {corp:>6} '
              f'{stat.get("peak_rss_mb", "?"):>6}  '
              f'{", ".join(new) if new else ("exit %d" % r.returncode if r.returncode else "none")}',
              flush=True)
    return failed


def speed(seed_root, args):
    runs = int(os.environ.get('FUZZ_RUNS', '20'))
    print(f'{"target":10} {"inputs":>6} {"executions":>10} {"seconds":>8} {"exec/s":>8}')
    for name, exe in targets(args):
        files = [f for f in corpus_files(os.path.join(seed_root, name))
                 if os.path.getsize(f) <= 65536]
        t0 = time.monotonic()
        subprocess.run([exe, *LIMITS, f'-runs={runs}'] + files, check=True,
                       stderr=subprocess.DEVNULL)
        dt = time.monotonic() - t0
        n = runs * len(files)
        print(f'{name:10} {len(files):6} {n:10} {dt:8.2f} {n / dt:8.0f}', flush=True)
    return 0


def main():
    mode = sys.argv[1]
    if mode == 'replay':
        return replay(sys.argv[2], sys.argv[3])
    if mode == 'campaign':
        return campaign(sys.argv[2], sys.argv[3], sys.argv[4:])
    if mode == 'speed':
        return speed(sys.argv[2], sys.argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
