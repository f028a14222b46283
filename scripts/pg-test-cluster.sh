#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the team server's tests (docs/team-server.md, "Tests").
#
#   eval "$(scripts/pg-test-cluster.sh start)"   # prints `export REVDRILL_TEST_PG=...` and
#                                                # `export REVDRILL_TEST_PG_DIR=...`
#   scripts/pg-test-cluster.sh stop "$REVDRILL_TEST_PG_DIR"
#
# `start` runs initdb in a new temporary folder, starts the server on 127.0.0.1 only, on a free
# port of its own (no Unix socket in /var/run, nothing else touched), and creates the database
# `revdrill_test`. PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` user that Debian's package creates (`apt-get install postgresql`). Binaries are
# taken from PATH, else from the newest /usr/lib/postgresql/*/bin. `stop` stops it and deletes
# the folder. Everything it prints on stdout is shell to eval; messages go to stderr.
set -euo pipefail

pg_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$d" ] || { echo "pg-test-cluster: no initdb (apt-get install postgresql)" >&2; exit 1; }
  echo "$d"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port
  bin=$(pg_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/revdrill-pg.XXXXXX")
  chmod 0755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U revdrill --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(free_port)
  # -k: the socket lives in the cluster's own folder; listen on loopback only.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c max_connections=200" start >&2 ||
    { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U revdrill revdrill_test >&2 ||
    { stop "$dir"; exit 1; }
  echo "export REVDRILL_TEST_PG='postgres://revdrill@127.0.0.1:$port/revdrill_test'"
  echo "export REVDRILL_TEST_PG_DIR='$dir'"
  echo "pg-test-cluster: PostgreSQL on 127.0.0.1:$port, folder $dir" >&2
}

stop() {
  local dir=${1:-${REVDRILL_TEST_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "pg-test-cluster: no cluster folder given" >&2; exit 1; }
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
