#!/usr/bin/env python3
"""Checks the code snippets of the answer keys (`code` of each finding in catalog/*/drill.toml).

Every snippet is a fragment of a larger program, so each drill that has compilable snippets keeps a
small harness in scripts/snippets/<drill>/: `checks.toml` lists, per finding, a template file with
a `SNIPPET` marker line (replaced by the finding's code), the other harness files to copy beside it,
what to run (`vet`, `test` or `build`) and what must happen (`pass`, or `fail` for a test that has
to catch the drill's bug). A check with `claim = true` has no marker: its template is a test of a
claim the key makes (about a library or a runtime) and runs as it is. Python snippets are parsed without a harness. A snippet with no check is
listed as "by hand": its AUDIT.md says how it was verified.

A check whose toolchain is missing (Go, cargo), or whose crates are not in the local cargo cache
(Rust checks run `--offline`), is skipped with a note. A Go check that needs a
newer Go than the one installed (`min_go`) runs with the stand-ins of its `[check.older_go]`
table instead, when it has one (`replace`: text substitutions in the snippet and the copied files,
`with`: extra harness files that define the stand-ins), and is skipped otherwise. The script exits
0 unless something that ran failed.

Usage: scripts/check-snippets.py [DRILL_ID ...]     (run from anywhere; needs Python 3.11+)
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
HARNESS = ROOT / "scripts" / "snippets"
MARKER = re.compile(r"^[ \t]*(//|#) SNIPPET[ \t]*$", re.M)


def go_version() -> tuple[int, int] | None:
    if not shutil.which("go"):
        return None
    out = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True).stdout.strip()
    m = re.match(r"go(\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def fill(template: str, code: str) -> str:
    """Puts the snippet in place of the marker line, indented like the marker."""
    m = MARKER.search(template)
    if not m:
        raise ValueError("template has no SNIPPET marker line")
    indent = re.match(r"[ \t]*", m.group(0)).group(0)
    body = textwrap.indent(textwrap.dedent(code).strip("\n"), indent)
    return template[: m.start()] + body + template[m.end() :]


def run_check(drill: str, lang: str, check: dict, code: str, gov) -> tuple[str, str]:
    """Returns (status, detail): status is ok | FAIL | skip."""
    action, expect = check.get("action", "vet"), check.get("expect", "pass")
    replace: dict[str, str] = {}
    note = ""
    if lang == "go":
        if gov is None:
            return "skip", "no Go toolchain (apt-get install golang-go)"
        need = check.get("min_go")
        if need and gov < tuple(int(x) for x in need.split(".")):
            older = check.get("older_go")
            if not older:
                return "skip", f"needs Go {need}, have {gov[0]}.{gov[1]}"
            replace = older.get("replace", {})
            check = {**check, "with": check.get("with", []) + older.get("with", [])}
            note = f" (Go {gov[0]}.{gov[1]} with stand-ins for Go {need} APIs)"
            code = substitute(code, replace)
    if lang == "rust" and not shutil.which("cargo"):
        return "skip", "no cargo"
    hdir = HARNESS / drill
    with tempfile.TemporaryDirectory(prefix=f"snip-{drill}-") as tmp:
        work = Path(tmp)
        for name in check.get("with", []):
            dest = work / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(substitute((hdir / name).read_text(), replace))
        template = substitute((hdir / check["template"]).read_text(), replace)
        target = work / check.get("as", check["template"].removesuffix(".tmpl"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template if check.get("claim") else fill(template, code))
        if lang == "go":
            (work / "go.mod").write_text("module example.com/snippet\n\ngo 1.19\n")
            cmd = {"vet": ["go", "vet", "./..."], "test": ["go", "test", "-count=1", "./..."],
                   "build": ["go", "build", "./..."]}[action]
            env = None
        else:
            cmd = {"test": ["cargo", "test", "--offline", "-q"], "build": ["cargo", "build", "--offline", "-q"],
                   "vet": ["cargo", "check", "--offline", "-q"]}[action]
            env = {**__import__("os").environ, "CARGO_TARGET_DIR": str(ROOT / "target" / "snippets")}
        r = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env)
        out = (r.stdout + r.stderr).strip()
        passed = r.returncode == 0
        if lang == "rust" and not passed and ("offline" in out and ("failed to" in out or "no matching package" in out)):
            return "skip", "the crates it needs are not in the local cargo cache (runs with --offline)"
        if action != "test" and not passed:
            return "FAIL", f"{' '.join(cmd)} failed:\n{out}"
        if (expect == "pass") == passed:
            return "ok", f"{' '.join(cmd)}: {'passes' if passed else 'fails'} as expected{note}"
        if expect == "fail" and not passed and ("[build failed]" in out or "could not compile" in out):
            return "FAIL", f"expected a failing test, got a build failure:\n{out}"
        return "FAIL", f"{' '.join(cmd)}: expected {expect}, got {'pass' if passed else 'fail'}:\n{out}"


def substitute(text: str, replace: dict[str, str]) -> str:
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def main(argv: list[str]) -> int:
    gov = go_version()
    drills = sorted(p.parent for p in CATALOG.glob("*/drill.toml"))
    if argv:
        drills = [d for d in drills if d.name in argv]
    failed = 0
    for ddir in drills:
        drill = tomllib.loads((ddir / "drill.toml").read_text())
        lang = drill.get("language", "")
        checks_file = HARNESS / ddir.name / "checks.toml"
        checks = tomllib.loads(checks_file.read_text()).get("check", []) if checks_file.exists() else []
        print(f"{ddir.name} ({lang})")
        for f in drill.get("findings", []):
            code = f.get("code")
            if not code:
                continue
            mine = [c for c in checks if c["finding"] == f["id"]]
            if lang == "python" and not mine:
                try:
                    ast.parse(textwrap.dedent(code))
                    print(f"  ok    {f['id']}: parses (python {sys.version_info[0]}.{sys.version_info[1]})")
                except SyntaxError as e:
                    failed += 1
                    print(f"  FAIL  {f['id']}: does not parse: {e}")
                continue
            if not mine:
                print(f"  hand  {f['id']}: no harness check; see catalog/{ddir.name}/AUDIT.md")
                continue
            for c in mine:
                status, detail = run_check(ddir.name, lang, c, code, gov)
                failed += status == "FAIL"
                label = c.get("name", c["template"])
                print(f"  {status:<5} {f['id']} [{label}]: {detail}")
        extra = {c["finding"] for c in checks} - {f["id"] for f in drill.get("findings", []) if f.get("code")}
        for e in sorted(extra):
            failed += 1
            print(f"  FAIL  {e}: checks.toml names a finding without code")
    print("snippet checks: " + ("all passed" if not failed else f"{failed} failed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
