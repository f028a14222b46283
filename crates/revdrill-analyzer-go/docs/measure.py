#!/usr/bin/env python3
"""Findings per 1,000 lines on a Go tree, and a fixed random sample of findings to read.

    python3 measure.py REPO_DIR REVDRILL_BINARY [--show]

Lines are counted as the analyzer walks (`.go` files; `vendor/`, `testdata/` and folders starting
with `.` or `_` left out). The sample is `random.seed(2026)`, 30 findings (all when fewer); with
`--show` each is printed with two lines of context for reading.
"""
import collections, json, os, random, subprocess, sys, tempfile

repo, binary = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    run = subprocess.run([binary, '--db', os.path.join(tmp, 'db'), 'analyze', repo, '--format', 'json'],
                         capture_output=True, text=True)
findings = json.loads(run.stdout)
lines = 0
for root, dirs, files in os.walk(repo):
    dirs[:] = [d for d in dirs if d not in ('vendor', 'testdata') and not d.startswith(('.', '_'))]
    for f in files:
        if f.endswith('.go'):
            with open(os.path.join(root, f), 'rb') as fh:
                lines += fh.read().count(b'\n')
name = os.path.basename(repo.rstrip('/'))
print(f"{name}: {lines} lines, {len(findings)} findings, {len(findings) * 1000 / lines:.2f} per KLOC,",
      dict(collections.Counter(x['code'] for x in findings).most_common()))
random.seed(2026)
for i, x in enumerate(random.sample(findings, min(30, len(findings)))):
    print(f"#{i} {x['code']} {x['path']}:{x['line']}  {x['message']['en'][:160]}")
    if '--show' in sys.argv:
        src = open(x['path'], errors='replace').read().split('\n')
        for k in range(max(1, x['line'] - 2), min(len(src), x['line'] + 2) + 1):
            print(('>' if k == x['line'] else ' ') + src[k - 1][:120])
