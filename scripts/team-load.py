#!/usr/bin/env python3
"""Load test of the team server: simulated learners against two `revdrill serve --database-url`
instances on one PostgreSQL, on loopback only (docs/team-server.md, "Load test").

    eval "$(scripts/pg-test-cluster.sh start)"
    python3 scripts/team-load.py --learners 200 --seconds 60     # the issue's size
    python3 scripts/team-load.py                                 # a quick run: 20 for 10 s

It makes a new database on the cluster of REVDRILL_TEST_PG, runs `revdrill team init`, starts two
server instances (REVDRILL_BIN, default target/debug/revdrill), completes the admin's setup link,
creates a cohort and one invite per learner, and has every learner join (half through each
instance). Then each learner, in its own thread, loops until the time is up: its assignments,
the drill, and a graded attempt (the drill's model answers), each request sent to instance A or
B in turn. It prints p50/p99 per endpoint and the throughput, then counts the rows: every
submission answered is exactly one finished attempt, none lost, none duplicated, none
half-written. Exit 1 otherwise.

Faults (optional): --restart-db restarts PostgreSQL (pg_ctl restart of the cluster in
REVDRILL_TEST_PG_DIR) a third of the way in; --kill-instance kills instance B two thirds of the
way in, after which learners whose connection is refused go to instance A (as a load balancer's
health check would). Each submission carries an Idempotency-Key and is resent with it when it
gets no answer or a 503, so every submission answered must be stored exactly once; no 500.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRILL = "containerd-shimv1-leak"
PASSWORD = "load test passphrase"
MAX_LEARNERS = 500
MAX_SECONDS = 300
TIMEOUT = 30
RESENDS = 20
RESEND_PAUSE = 0.25


def psql(url, sql):
    out = subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def start_server(binary, url):
    p = subprocess.Popen(
        [binary, "serve", "--database-url", url, "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = p.stdout.readline()
    m = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
    if not m:
        p.kill()
        sys.exit(f"the server did not start: {line!r}")
    return p, m.group(1)


class Client:
    """One learner's keep-alive connections, one per instance."""

    def __init__(self, addrs):
        self.addrs = addrs
        self.down = set()
        self.conns = [http.client.HTTPConnection(a, timeout=TIMEOUT) for a in addrs]
        self.cookie = None
        self.turn = 0
        self.errors = {}

    def request(self, method, path, body=None, instance=None, key=None):
        i = self.turn % len(self.conns) if instance is None else instance
        self.turn += 1
        if i in self.down:
            i = next(j for j in range(len(self.conns)) if j not in self.down)
        headers = {"Host": "127.0.0.1"}
        if self.cookie:
            headers["Cookie"] = f"revdrill_session={self.cookie}"
        if key:
            headers["Idempotency-Key"] = key
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = body if isinstance(body, str) else json.dumps(body)
        # A keep-alive connection the server closed while idle (its header timeout, 10 s) fails
        # on reuse; as browsers do, a GET is retried once on a new connection.
        for attempt in (1, 2):
            c = self.conns[i]
            try:
                c.request(method, path, body=body, headers=headers)
                r = c.getresponse()
                return r.status, r.getheader("Set-Cookie"), r.read()
            except (OSError, http.client.HTTPException) as e:
                c.close()
                self.errors[type(e).__name__] = self.errors.get(type(e).__name__, 0) + 1
                if isinstance(e, ConnectionRefusedError) and len(self.down) + 1 < len(self.conns):
                    # Nothing was sent: the instance is gone; use another one from now on.
                    self.down.add(i)
                    i = next(j for j in range(len(self.conns)) if j not in self.down)
                    continue
                if method != "GET" or attempt == 2:
                    return 0, None, b""
        return 0, None, b""


def cookie_of(set_cookie):
    m = re.match(r"revdrill_session=([0-9a-f]{64})", set_cookie or "")
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learners", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--restart-db", action="store_true", help="restart PostgreSQL a third of the way in")
    ap.add_argument("--kill-instance", action="store_true", help="kill instance B two thirds of the way in")
    args = ap.parse_args()
    if not (1 <= args.learners <= MAX_LEARNERS and 1 <= args.seconds <= MAX_SECONDS):
        sys.exit(f"--learners 1-{MAX_LEARNERS}, --seconds 1-{MAX_SECONDS}")
    base = os.environ.get("REVDRILL_TEST_PG") or sys.exit("set REVDRILL_TEST_PG (scripts/pg-test-cluster.sh start)")
    if not re.match(r"postgres(ql)?://[^@]*@(127\.0\.0\.1|localhost|\[::1\])[:/]", base):
        sys.exit("loopback only: REVDRILL_TEST_PG must name 127.0.0.1, localhost or [::1]")
    binary = os.environ.get("REVDRILL_BIN", os.path.join(ROOT, "target/debug/revdrill"))
    name = "revdrill_load_" + uuid.uuid4().hex[:12]
    psql(base, f"CREATE DATABASE {name}")
    url = base.rsplit("/", 1)[0] + "/" + name
    init = subprocess.run([binary, "team", "init", "--database-url", url, "--email", "admin@example.com"],
                          check=True, capture_output=True, text=True).stdout
    token = re.search(r"/join/([0-9a-f]{64})", init).group(1)
    servers = [start_server(binary, url) for _ in range(2)]
    addrs = [a for _, a in servers]
    try:
        run(args, url, addrs, token, servers)
    finally:
        for p, _ in servers:
            p.terminate()
            p.wait()


def setup(addrs, token, n):
    admin = Client(addrs)
    st, sc, _ = admin.request("POST", "/api/team/join", {"token": token, "password": PASSWORD})
    admin.cookie = cookie_of(sc) or sys.exit(f"setup link: {st}")
    st, _, body = admin.request("POST", "/api/team/cohorts", {"name": "load"})
    cohort = json.loads(body)["id"]
    admin.request("POST", f"/api/team/cohorts/{cohort}/assignments", {"title": "load", "drills": [DRILL]})
    learners = []
    for i in range(n):
        _, _, body = admin.request("POST", "/api/team/invites", {"role": "learner", "cohort_id": cohort})
        invite = json.loads(body)["token"]
        c = Client(addrs)
        st, sc, _ = c.request("POST", "/api/team/join",
                              {"token": invite, "email": f"learner{i}@example.com", "name": f"L{i}", "password": PASSWORD},
                              instance=i % len(addrs))
        c.cookie = cookie_of(sc) or sys.exit(f"join {i}: {st}")
        learners.append(c)
    return learners


def restart_db():
    """pg_ctl restart of the test cluster (as its owner when root), keeping its port."""
    folder = os.environ["REVDRILL_TEST_PG_DIR"]
    data = os.path.join(folder, "data")
    pg_ctl = subprocess.run(["bash", "-c", "readlink -f \"$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -n1)\""],
                            check=True, capture_output=True, text=True).stdout.strip()
    # -l: the server's output goes to its log file; without it the new postmaster would hold
    # our pipe open forever.
    cmd = [pg_ctl, "-D", data, "-l", os.path.join(folder, "server.log"), "-m", "fast", "-w", "restart"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    t = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t


def faults(args, servers, start, log):
    if args.restart_db:
        time.sleep(max(0.0, start + args.seconds / 3 - time.monotonic()))
        took = restart_db()
        log.append(f"{time.monotonic() - start:5.1f} s: PostgreSQL restarted (down about {took:.1f} s)")
    if args.kill_instance:
        time.sleep(max(0.0, start + 2 * args.seconds / 3 - time.monotonic()))
        servers[1][0].kill()
        log.append(f"{time.monotonic() - start:5.1f} s: instance B killed")


def run(args, url, addrs, token, servers):
    t0 = time.monotonic()
    learners = setup(addrs, token, args.learners)
    print(f"setup: {args.learners} learners joined in {time.monotonic() - t0:.1f} s (argon2id per join)")
    with open(os.path.join(ROOT, "catalog", DRILL, "answers", "model-en.json")) as f:
        answers = f.read()
    lat = {}  # endpoint -> [seconds]
    codes = {}  # (endpoint, status) -> count
    created = []  # attempt ids of submissions answered 201 (or 200 when resent)
    gave_up = []  # submissions never answered 200/201 after every resend
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds
    steps = [("GET /api/team/assignments", "GET", "/api/team/assignments", None),
             ("GET /api/drills/{id}", "GET", f"/api/drills/{DRILL}", None),
             ("POST /api/drills/{id}/attempts", "POST", f"/api/drills/{DRILL}/attempts", answers)]

    def learner(c):
        mine = {}
        while time.monotonic() < stop:
            for name, method, path, body in steps:
                # A submission carries its own Idempotency-Key and is resent with it (up to
                # RESENDS times) when it got no answer or a 503: it must be stored exactly once.
                key = uuid.uuid4().hex if method == "POST" else None
                for _ in range(RESENDS if key else 1):
                    t = time.monotonic()
                    st, _, data = c.request(method, path, body, key=key)
                    d = time.monotonic() - t
                    mine.setdefault(name, []).append((d, st))
                    if st not in (0, 503):
                        break
                    time.sleep(RESEND_PAUSE)
                if st in (200, 201) and key:
                    with lock:
                        created.append(json.loads(data)["attempt"])
                elif key:
                    with lock:
                        gave_up.append(key)
        with lock:
            for name, xs in mine.items():
                lat.setdefault(name, []).extend(d for d, _ in xs)
                for _, st in xs:
                    codes[(name, st)] = codes.get((name, st), 0) + 1

    threads = [threading.Thread(target=learner, args=(c,)) for c in learners]
    start = time.monotonic()
    log = []
    chaos = threading.Thread(target=faults, args=(args, servers, start, log))
    chaos.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    chaos.join()
    for line in log:
        print(line)
    elapsed = time.monotonic() - start
    total = sum(len(v) for v in lat.values())
    print(f"{args.learners} learners, {elapsed:.1f} s, 2 instances: {total} requests, {total / elapsed:.0f} req/s, "
          f"{len(created) / elapsed:.1f} graded attempts/s")
    print(f"{'endpoint':34} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name, xs in lat.items():
        xs.sort()
        p50 = statistics.median(xs) * 1000
        p99 = xs[min(len(xs) - 1, int(len(xs) * 0.99))] * 1000
        sts = ", ".join(f"{st}: {n}" for (e, st), n in sorted(codes.items()) if e == name)
        print(f"{name:34} {len(xs):7} {p50:8.1f} {p99:8.1f}  {sts}")
    errors = {}
    for c in learners:
        for k, n in c.errors.items():
            errors[k] = errors.get(k, 0) + n
    if errors:
        print("client-side connection errors (status 0 above when not retried): "
              + ", ".join(f"{k}: {n}" for k, n in sorted(errors.items())))
    rows, distinct, unfinished = psql(
        url, "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE report_json IS NULL OR finished_at IS NULL) FROM attempts"
    ).split("|")
    stored = set(int(x) for x in psql(url, "SELECT id FROM attempts").split())
    rows, distinct, unfinished = int(rows), int(distinct), int(unfinished)
    errors500 = sum(n for (_, st), n in codes.items() if st >= 500 and st != 503)
    # Every submission answered is stored exactly once; one that was never answered (after
    # every resend) may or may not be stored, once at most.
    ok = (set(created) <= stored and rows == distinct and unfinished == 0 and errors500 == 0
          and len(set(created)) <= rows <= len(set(created)) + len(gave_up))
    again = codes.get(("POST /api/drills/{id}/attempts", 200), 0)
    verdict = (f"every answered submission stored exactly once ({again} resends answered 200 with the attempt "
               f"already stored), {rows - len(set(created))} stored of {len(gave_up)} never answered, none "
               f"unfinished, no 500" if ok else "MISMATCH")
    print(f"rows: {rows} attempts ({distinct} distinct, {unfinished} unfinished) for {len(set(created))} submissions answered: {verdict}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
