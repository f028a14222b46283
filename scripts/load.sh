#!/usr/bin/env bash
# Load test of `revdrill serve` on loopback, bounded in time: the drill page (GET) and the grade
# endpoint (POST, the seed drill's model answers), each with 100 concurrent connections for 10 s.
# Prints wrk's latency percentiles (p50, p99) and requests per second.
#
#   scripts/load.sh                 # release build (benchmarks are measured on release builds)
#   DURATION=5s CONNS=50 scripts/load.sh
#
# Needs wrk (Debian: apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${CONNS:-100}
THREADS=${THREADS:-2}
PORT=${PORT:-7979}
DRILL=containerd-shimv1-leak

command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }
cargo build --release -q -p revdrill
bin=target/release/revdrill

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --lang en --db "$work/db.sqlite" serve --addr "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 50); do
  curl -fsS "$base/api/session" >/dev/null 2>&1 && break
  sleep 0.1
done
csrf=$(curl -fsS "$base/api/session" | sed -E 's/.*"csrf":"([0-9a-f]+)".*/\1/')

cat >"$work/grade.lua" <<'LUA'
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["content-type"] = "application/json"
wrk.headers["x-revdrill-csrf"] = os.getenv("CSRF")
LUA

echo "== GET /drills/$DRILL  ($CONNS connections, $DURATION)"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$base/drills/$DRILL"
echo
echo "== POST /api/drills/$DRILL/grade  ($CONNS connections, $DURATION)"
BODY_FILE="catalog/$DRILL/answers/model-en.json" CSRF="$csrf" \
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$work/grade.lua" "$base/api/drills/$DRILL/grade"
