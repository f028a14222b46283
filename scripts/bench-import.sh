#!/usr/bin/env bash
# Times `revdrill import` of one commit next to `git show` of the same commit, in one run.
#
#   scripts/bench-import.sh REPO COMMIT [REVDRILL]
#
# REPO is any local clone (bare is fine), e.g. a containerd clone; REVDRILL defaults to
# target/debug/revdrill (build it first; under $CARGO_TARGET_DIR when set). Uses hyperfine when
# installed (apt-get install hyperfine) and BENCH_NO_HYPERFINE is unset, otherwise 21 runs of each timed with `date +%s%N`.
# Prints the median of each, in milliseconds.
set -euo pipefail
repo=${1:?usage: bench-import.sh REPO COMMIT [REVDRILL]}
commit=${2:?usage: bench-import.sh REPO COMMIT [REVDRILL]}
bin=${3:-${CARGO_TARGET_DIR:-target}/debug/revdrill}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
db="$out/db.sqlite"
import="$bin --db $db import --repo $repo --commit $commit --id bench -o $out/pack"
show="git -C $repo show $commit"

if [ -z "${BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; then
  hyperfine -N --style none --warmup 3 --runs 31 --export-json "$out/h.json" --prepare "rm -rf $out/pack" "$import" "$show" >/dev/null
  python3 - "$out/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    name = "revdrill import" if "import" in r["command"] else "git show"
    print(f"{name:16} median {r['median']*1000:7.1f} ms  (min {r['min']*1000:.1f}, max {r['max']*1000:.1f}, {len(r['times'])} runs)")
PY
else
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  run() {
    for _ in $(seq 21); do
      rm -rf "$out/pack"
      local t0; t0=$(date +%s%N)
      "$@" >/dev/null
      echo $(( ($(date +%s%N) - t0) / 1000 ))
    done | median
  }
  # shellcheck disable=SC2086
  printf 'revdrill import   median %7.1f ms\n' "$(echo "$(run $import) / 1000" | bc -l)"
  # shellcheck disable=SC2086
  printf 'git show          median %7.1f ms\n' "$(echo "$(run $show) / 1000" | bc -l)"
fi
