#!/usr/bin/env bash
# Times `revdrill grade` on hostile answers files (issue 9, items 8 and 10): N unknown checklist
# item ids (validation must stay linear and the error list capped), and /dev/zero (reading must
# stop at the 4 MiB cap).
#
#   scripts/bench-answers.sh [N] [REVDRILL]
#
# N defaults to 100000; REVDRILL defaults to target/debug/revdrill (build it first; under
# $CARGO_TARGET_DIR when set). Prints the wall time of each run in milliseconds, the number of
# error lines, and the exit code (2 is expected for both).
set -euo pipefail
n=${1:-100000}
bin=${2:-${CARGO_TARGET_DIR:-target}/debug/revdrill}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 - "$n" > "$out/many.json" <<'PY'
import sys
n = int(sys.argv[1])
print('{"answers": {')
print(",\n".join(f'"item{i:06}": "x"' for i in range(n)))
print("}}")
PY
timed() {
  local name=$1; shift
  local t0 t1 code=0
  t0=$(date +%s%N)
  "$@" >/dev/null 2>"$out/err" || code=$?
  t1=$(date +%s%N)
  printf '%-28s %7.1f ms  %s error lines  exit %s\n' "$name" "$(( (t1 - t0) / 1000 ))e-3" "$(wc -l < "$out/err")" "$code"
}
echo "answers file: $(wc -c < "$out/many.json") bytes, $n unknown ids"
for _ in 1 2 3; do
  timed "grade $n unknown ids" "$bin" --db "$out/db.sqlite" grade --drill containerd-shimv1-leak --answers "$out/many.json"
  timed "grade --answers /dev/zero" "$bin" --db "$out/db.sqlite" grade --drill containerd-shimv1-leak --answers /dev/zero
done
