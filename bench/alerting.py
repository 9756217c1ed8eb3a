#!/usr/bin/env python3
"""The embedded Alertmanager against Alertmanager 0.25, side by side in one run.

1. Accepted alerts per second through POST /api/v2/alerts: 4 poster processes, batches of
   64, over 10,000 distinct alerts in 100 groups (every alert re-posted a few times, as a rule
   manager does). Before any ratio, both are checked to hold exactly the 10,000 alerts, with
   the same label sets.
2. RSS with those 10,000 active alerts.
3. Post -> webhook delivery latency with group_wait 0s: one new alert (a new group) at a
   time, timed from the POST until the local webhook receiver has the notification; both
   must deliver every alert, with the same groupKey and labels.

    python3 bench/alerting.py [--alerts 10000] [--posts 40000] [--latency-runs 30]
"""
import argparse
import http.client
import http.server
import json
import multiprocessing
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

ALERTMANAGER_BIN = os.environ.get("ALERTMANAGER_BIN", "/usr/bin/prometheus-alertmanager")


def routing(sink_port):
    return f"""route:
  receiver: hook
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
  routes:
    - matchers: ['bench="load"']
      receiver: blackhole
receivers:
  - name: blackhole
  - name: hook
    webhook_configs: [{{url: "http://127.0.0.1:{sink_port}/hook", send_resolved: false}}]
"""


class Sink:
    """A webhook receiver recording (arrival time, body) per alertname of the first alert."""

    def __init__(self):
        self.arrivals = {}
        self.lock = threading.Lock()
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                now = time.perf_counter()
                payload = json.loads(body)
                name = payload["alerts"][0]["labels"]["alertname"]
                with sink.lock:
                    sink.arrivals.setdefault(self.path + " " + name, (now, payload))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, key, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if key in self.arrivals:
                    return self.arrivals[key]
            time.sleep(0.0005)
        return None


class Peer:
    """Alertmanager 0.25 or Pharos with the same routing."""

    def __init__(self, kind, wd, sink_port):
        self.kind = kind
        self.port = bl.free_port()
        folder = os.path.join(wd.path, kind)
        os.makedirs(folder)
        if kind == "alertmanager":
            config = os.path.join(folder, "alertmanager.yml")
            with open(config, "w") as f:
                f.write(routing(sink_port))
            args = [ALERTMANAGER_BIN, f"--config.file={config}", f"--storage.path={folder}/data",
                    f"--web.listen-address=127.0.0.1:{self.port}", "--cluster.listen-address="]
        else:
            config = os.path.join(folder, "pharos.yml")
            with open(config, "w") as f:
                f.write("alertmanager:\n" + "".join("  " + line + "\n" for line in routing(sink_port).splitlines()))
            args = [bl.PHAROS_BIN, f"--config.file={config}", f"--storage.tsdb.path={folder}/data",
                    f"--web.listen-address=127.0.0.1:{self.port}"]
        self.log = open(os.path.join(folder, "log"), "wb")
        import subprocess
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if bl.http_get(f"http://127.0.0.1:{self.port}/-/ready", timeout=2)[0] == 200:
                    return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError(f"{kind} not ready")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()

    cpu_seconds = bl.Server.cpu_seconds
    rss_bytes = bl.Server.rss_bytes
    rss_anon_bytes = bl.Server.rss_anon_bytes


def batch_body(indices, stamp):
    alerts = [{"labels": {"alertname": f"Load{i % 100}", "bench": "load", "instance": f"host-{i:06d}", "job": "node"},
               "annotations": {"summary": f"host-{i:06d} is down", "runbook_url": "https://runbooks.example/down"},
               "startsAt": stamp} for i in indices]
    return json.dumps(alerts).encode()


def poster(port, batches, result):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    failures = 0
    for body in batches:
        connection.request("POST", "/api/v2/alerts", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            failures += 1
    result.put(failures)


def accept_rate(peer, bodies, posters):
    """Seconds to POST every body over `posters` processes, and the failed POSTs."""
    result = multiprocessing.Queue()
    shares = [bodies[k::posters] for k in range(posters)]
    procs = [multiprocessing.Process(target=poster, args=(peer.port, share, result)) for share in shares]
    start = time.perf_counter()
    for p in procs:
        p.start()
    failures = sum(result.get() for _ in procs)
    for p in procs:
        p.join()
    return time.perf_counter() - start, failures


def active_alerts(peer):
    _, body = bl.http_get(f"http://127.0.0.1:{peer.port}/api/v2/alerts?filter=bench%3D%22load%22", timeout=120)
    return sorted(tuple(sorted(a["labels"].items())) for a in json.loads(body))


def latency(peer, sink, runs, tag):
    """Median and all delivery latencies (ms) of single new alerts; the payloads seen."""
    times, payloads = [], []
    for k in range(runs):
        name = f"Latency{tag}{k}"
        body = json.dumps([{"labels": {"alertname": name, "severity": "page"}}]).encode()
        connection = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=30)
        start = time.perf_counter()
        connection.request("POST", "/api/v2/alerts", body, {"Content-Type": "application/json"})
        connection.getresponse().read()
        arrived = sink.wait("/hook " + name)
        if arrived is None:
            raise RuntimeError(f"{peer.kind}: {name} was not delivered within 30s")
        times.append((arrived[0] - start) * 1000)
        payloads.append(arrived[1])
        time.sleep(0.05)
    return bl.median(times), payloads


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alerts", type=int, default=10_000)
    ap.add_argument("--posts", type=int, default=40_000, help="alerts posted in all (re-posting the distinct ones)")
    ap.add_argument("--posters", type=int, default=4)
    ap.add_argument("--latency-runs", type=int, default=30)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    bl.check_binaries()
    if not os.access(ALERTMANAGER_BIN, os.X_OK):
        raise SystemExit(f"missing {ALERTMANAGER_BIN} (./scripts/install-test-deps.sh)")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    order = [k % args.alerts for k in range(args.posts)]
    bodies = [batch_body(order[k:k + 64], stamp) for k in range(0, len(order), 64)]
    sink = Sink()
    failed = False
    with bl.Workdir(keep=args.keep) as wd:
        peers = [Peer("pharos", wd, sink.port), Peer("alertmanager", wd, sink.port)]
        try:
            rows, results = [], {}
            for peer in peers:
                # A warm-up batch, then the timed run.
                accept_rate(peer, bodies[:4], 1)
                cpu0 = peer.cpu_seconds()
                seconds, failures = accept_rate(peer, bodies, args.posters)
                results[peer.kind] = {"rate": args.posts / seconds, "failures": failures, "cpu": peer.cpu_seconds() - cpu0}
            for peer in peers:
                held = active_alerts(peer)
                results[peer.kind]["held"] = held
                results[peer.kind]["rss"] = peer.rss_bytes()
                results[peer.kind]["anon"] = peer.rss_anon_bytes()
            p, a = results["pharos"], results["alertmanager"]
            if p["failures"] or a["failures"]:
                print(f"failed POSTs: pharos {p['failures']}, alertmanager {a['failures']}")
                failed = True
            if len(p["held"]) != args.alerts or p["held"] != a["held"]:
                print(f"active alerts differ: pharos {len(p['held'])}, alertmanager {len(a['held'])} (want {args.alerts})")
                failed = True
            rows.append(("alerts accepted per second (4 posters, batches of 64)", f"{p['rate']:,.0f}", f"{a['rate']:,.0f}",
                         f"{bl.ratio(p['rate'], a['rate']):.2f}"))
            rows.append(("CPU seconds for the posts", f"{p['cpu']:.2f}", f"{a['cpu']:.2f}", f"{bl.ratio(p['cpu'], a['cpu']):.2f}"))
            rows.append((f"RSS with {args.alerts:,} active alerts (MB)", f"{p['rss'] / 1e6:.0f}", f"{a['rss'] / 1e6:.0f}",
                         f"{bl.ratio(p['rss'], a['rss']):.2f}"))
            rows.append(("  of which anonymous (MB)", f"{p['anon'] / 1e6:.0f}", f"{a['anon'] / 1e6:.0f}",
                         f"{bl.ratio(p['anon'], a['anon']):.2f}"))
            medians, payloads = {}, {}
            for peer in peers:
                latency(peer, sink, 3, "warm" + peer.kind)
                medians[peer.kind], payloads[peer.kind] = latency(peer, sink, args.latency_runs, "")
                # The same alert names go to both: clear the sink's record between them.
                with sink.lock:
                    for key in [k for k in sink.arrivals if "Latency" in k and "warm" not in k]:
                        del sink.arrivals[key]

            def shape(payload):
                return (payload["groupKey"], payload["status"], [sorted(x["labels"].items()) for x in payload["alerts"]])
            if [shape(x) for x in payloads["pharos"]] != [shape(x) for x in payloads["alertmanager"]]:
                print("webhook payloads differ between the two")
                failed = True
            rows.append(("POST -> webhook delivery, group_wait 0s (median ms)", f"{medians['pharos']:.1f}",
                         f"{medians['alertmanager']:.1f}", f"{bl.ratio(medians['pharos'], medians['alertmanager']):.2f}"))
        finally:
            for peer in peers:
                peer.stop()
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; {args.posts:,} alerts posted over {args.alerts:,} distinct")
    bl.table(rows, ["", "pharos", "alertmanager 0.25", "ratio"])
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
