"""Load benchmark: a fresh emulator (real CLI subprocess), N servers, M concurrent pollers.

    python tests/emulator/bench_emulator.py --duration 10 --servers 100 --pollers 50

Prints requests/s and p50/p99 latency; exits non-zero only when a request failed.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import requests


def start_emulator(time_scale):
    tmpdir = tempfile.mkdtemp(prefix="ecs-emu-bench-")
    ready = os.path.join(tmpdir, "ready.json")
    proc = subprocess.Popen([sys.executable, "-m", "ecs_emulator", "serve", "--port", "0", "--ready-file", ready,
                             "--time-scale", str(time_scale)], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("ecs-emulator listening on"):
        proc.kill()
        raise SystemExit("emulator did not start: %r" % line)
    with open(ready) as handle:
        return proc, json.load(handle)


def get_token(info):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": info["username"], "domain": {"name": info["user_domain_name"]}, "password": info["password"]}}},
        "scope": {"project": {"id": info["project_id"]}}}}
    resp = requests.post(info["auth_url"] + "/auth/tokens", json=body, timeout=30)
    resp.raise_for_status()
    return resp.headers["X-Subject-Token"]


def percentile(sorted_values, pct):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, int(round(pct / 100.0 * (len(sorted_values) - 1))))
    return sorted_values[index]


def poller(url_list, headers, deadline, offset, latencies, errors, lock):
    session = requests.Session()
    mine = []
    failures = []
    i = offset
    while time.monotonic() < deadline:
        url = url_list[i % len(url_list)]
        i += 1
        start = time.monotonic()
        try:
            resp = session.get(url, headers=headers, timeout=30)
            ok = resp.status_code == 200 and resp.json()["server"]["status"]
        except (requests.RequestException, ValueError, KeyError) as exc:
            ok = False
            failures.append(repr(exc))
        mine.append(time.monotonic() - start)
        if not ok:
            failures.append("status %s" % getattr(resp, "status_code", "?"))
    with lock:
        latencies.extend(mine)
        errors.extend(failures)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of polling")
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument("--pollers", type=int, default=50)
    parser.add_argument("--resizes", type=int, default=20, help="servers put into a resize before polling")
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    proc, info = start_emulator(args.time_scale)
    try:
        admin = info["admin_url"]
        servers = [{"name": "bench-%03d" % i, "flavor": "s6.medium.2",
                    "status": "ACTIVE" if i % 4 else "SHUTOFF"} for i in range(args.servers)]
        created = requests.post(admin + "/seed", json={"servers": servers}, timeout=60).json()["servers"]
        token = get_token(info)
        headers = {"X-Auth-Token": token, "X-OpenStack-Nova-API-Version": "2.60"}
        for server in created[:args.resizes]:
            requests.post("%s/servers/%s/action" % (info["compute_url"], server["id"]), headers=headers,
                          json={"resize": {"flavorRef": "s6.large.2"}}, timeout=30).raise_for_status()
        urls = ["%s/servers/%s" % (info["compute_url"], s["id"]) for s in created]
        latencies, errors, lock = [], [], threading.Lock()
        start = time.monotonic()
        deadline = start + args.duration
        threads = [threading.Thread(target=poller, args=(urls, headers, deadline, i * 7, latencies, errors, lock))
                   for i in range(args.pollers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        proc.stdout.close()
    latencies.sort()
    result = {"requests": len(latencies), "seconds": round(elapsed, 2),
              "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
              "p50_ms": round(percentile(latencies, 50) * 1000, 2),
              "p99_ms": round(percentile(latencies, 99) * 1000, 2),
              "errors": len(errors), "servers": args.servers, "pollers": args.pollers}
    if args.json:
        print(json.dumps(result))
    else:
        print("%(requests)d requests in %(seconds)ss: %(rps)s req/s, p50 %(p50_ms)s ms, p99 %(p99_ms)s ms, "
              "%(errors)d errors (%(servers)d servers, %(pollers)d pollers)" % result)
    if errors:
        print("first errors: %s" % errors[:5], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
