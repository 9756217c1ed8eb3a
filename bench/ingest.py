#!/usr/bin/env python3
"""Ingest cost: Pharos vs Prometheus, scraping and remote-write.

Part 1 (scrape): a synthetic target server (pre-rendered bodies, values change every
second) serves T targets x S series; Pharos and Prometheus scrape all of them every second
from the same config file, with 1-minute blocks so that a block is cut during the run.
After a warm-up, over a fixed window, each server reports (from its own metrics and API):
  samples/s            increase of prometheus_tsdb_head_samples_appended_total / window
  CPU s per 1M samples utime+stime from /proc/<pid>/stat over the window
  RSS bytes/series     RSS / prometheus_tsdb_head_series
  RssAnon bytes/series anonymous resident memory (no mmapped files) / head series
  disk bytes/sample    (chunks + index) / numSamples over a TSDB snapshot of each server taken
                       at the end of the window (admin API, head cut into a block): the same
                       kind of object on both sides
  scrapes lost         expected scrapes (targets x window) - count_over_time(up) over the window,
                       and expected samples - sum_over_time(scrape_samples_scraped)
Part 2 (remote-write): a Python sender pushes the same pre-built snappy+protobuf batches
(R samples/s, 2000 samples per request) to both `/api/v1/write` endpoints for a window;
reports CPU seconds per million samples and the rate actually appended.

Before any ratio is printed, both servers must have stored what they were given: for scraping,
every sample of every scrape (count_over_time of the series = scrape_samples_scraped) and no
scrape lost; for remote write, every series and every sample acknowledged with a 2xx. A server
that fails this fails the run (exit status 1) and no ratio is printed.

    python3 bench/ingest.py [--targets 10] [--series 10000] [--window 60] [--rw-rate 100000]
"""
import argparse
import http.client
import http.server
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402
import remotewrite as rw  # noqa: E402

APPENDED = "prometheus_tsdb_head_samples_appended_total"
VARIANTS = 8


# ---------------------------------------------------------------- synthetic targets

METRIC_NAMES = 10


def render_bodies(target, series):
    """VARIANTS pre-rendered text-format bodies for one target; the variant served changes
    every second, so every scrape sees new values."""
    names = METRIC_NAMES
    per_name = max(1, series // names)
    bodies = []
    for v in range(VARIANTS):
        lines = []
        for n in range(names):
            lines.append(f"# HELP bench_metric_{n} Synthetic benchmark series.\n# TYPE bench_metric_{n} gauge\n")
            lines.extend(f'bench_metric_{n}{{target="t{target}",series="{s:05d}"}} {(s * 7 + v * 13 + n) % 1000 + v * 0.5}\n'
                         for s in range(per_name))
        bodies.append("".join(lines).encode())
    return bodies, names * per_name


class TargetFarm:
    """T HTTP servers on loopback, each in its own thread."""

    def __init__(self, targets, series):
        self.servers, self.threads = [], []
        self.series_per_target = 0
        for t in range(targets):
            bodies, self.series_per_target = render_bodies(t, series)

            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                _bodies = bodies

                def do_GET(self):
                    body = self._bodies[int(time.time()) % VARIANTS]
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; version=0.0.4")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, *args):
                    pass

            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self.servers.append(server)
            self.threads.append(thread)

    @property
    def addresses(self):
        return [f"127.0.0.1:{s.server_address[1]}" for s in self.servers]

    def close(self):
        for s in self.servers:
            s.shutdown()
            s.server_close()


def write_config(path, addresses):
    targets = ", ".join(f'"{a}"' for a in addresses)
    with open(path, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                "scrape_configs:\n  - job_name: bench\n"
                f"    static_configs:\n      - targets: [{targets}]\n")


# ---------------------------------------------------------------- measurements

class Snapshot:
    def __init__(self, server):
        self.time = time.time()
        self.appended = server.self_metric(APPENDED)
        self.cpu = server.cpu_seconds()


def rates(server, before, after):
    appended = None if before.appended is None or after.appended is None else after.appended - before.appended
    span = after.time - before.time
    cpu = after.cpu - before.cpu
    return {
        "samples_per_s": appended / span if appended is not None else None,
        "cpu_s_per_million": cpu / (appended / 1e6) if appended else None,
        "cpu_s": cpu,
        "appended": appended,
    }


def fmt(value, spec=".1f"):
    return "n/a" if value is None else format(value, spec)


def scrape_part(args, wd, servers, farm):
    expected_per_target = args.window
    print(f"scraping {args.targets} targets x {farm.series_per_target} series at 1s; "
          f"warm-up {args.warmup}s, window {args.window}s")
    time.sleep(args.warmup)
    before = {s.kind: Snapshot(s) for s in servers}
    time.sleep(args.window)
    after = {s.kind: Snapshot(s) for s in servers}
    t_end = after[servers[0].kind].time
    results = {}
    for s in servers:
        r = rates(s, before[s.kind], after[s.kind])
        head_series = s.scalar("prometheus_tsdb_head_series") or s.self_metric("prometheus_tsdb_head_series")
        r["rss_per_series"] = s.rss_bytes() / head_series if head_series else None
        r["head_series"] = head_series
        w = f"{args.window}s"
        ups = s.query(f'sum(count_over_time(up{{job="bench"}}[{w}]))', t=t_end)
        got = ups["data"]["result"] if ups.get("status") == "success" else []
        r["scrapes"] = float(got[0]["value"][1]) if got else 0.0
        r["scrapes_expected"] = args.targets * expected_per_target
        failed = s.query(f'sum(count_over_time(up{{job="bench"}}[{w}])) - sum(sum_over_time(up{{job="bench"}}[{w}]))', t=t_end)
        got = failed["data"]["result"] if failed.get("status") == "success" else []
        r["scrapes_down"] = float(got[0]["value"][1]) if got else None
        scraped = s.query(f'sum(sum_over_time(scrape_samples_scraped{{job="bench"}}[{w}]))', t=t_end)
        got = scraped["data"]["result"] if scraped.get("status") == "success" else []
        r["samples_scraped"] = float(got[0]["value"][1]) if got else 0.0
        # One term per metric name: `count_over_time` drops the name, and Prometheus 2.42 (unlike
        # 3.x) refuses a range over several names whose other labels then collide.
        stored = s.query(" + ".join(f'sum(count_over_time(bench_metric_{n}{{job="bench"}}[{w}]))'
                                    for n in range(METRIC_NAMES)), t=t_end)
        got = stored["data"]["result"] if stored.get("status") == "success" else []
        r["samples_stored"] = float(got[0]["value"][1]) if got else 0.0
        anon = s.rss_anon_bytes()
        r["rss_anon_per_series"] = anon / head_series if anon and head_series else None
        results[s.kind] = r
    for s in servers:
        size, samples = bl.blocks_bytes_per_sample(s.snapshot())
        results[s.kind]["disk_per_sample"] = size / samples if samples else None
    return results


def verify_scrape(results, targets, series_per_target):
    """Problems that make the scrape figures incomparable (empty when both did the same work)."""
    problems = []
    for kind, r in results.items():
        if r["samples_stored"] != r["samples_scraped"]:
            problems.append(f"{kind}: stored {r['samples_stored']:.0f} samples, scraped {r['samples_scraped']:.0f}")
        if abs(r["scrapes"] - r["scrapes_expected"]) > targets:
            problems.append(f"{kind}: {r['scrapes']:.0f} scrapes in the window, {r['scrapes_expected']} expected")
        if r["scrapes_down"]:
            problems.append(f"{kind}: {r['scrapes_down']:.0f} failed scrapes")
        if r["samples_scraped"] != r["scrapes"] * series_per_target:
            problems.append(f"{kind}: {r['samples_scraped']:.0f} samples scraped for {r['scrapes']:.0f} scrapes")
    return problems


def rw_part(args, wd, servers):
    """Pushes R samples/s (one sample per series per second over R series) for the window."""
    series = args.rw_rate
    per_request = 2000
    labels = [rw.encode_labels({"__name__": f"rw_metric_{i % 10}", "instance": f"sender-{i // 1000:03d}",
                                "series": f"{i:06d}"}) for i in range(series)]
    stop = threading.Event()
    stats = {s.kind: {"sent": 0, "failed": 0, "status": None, "late": 0} for s in servers}

    # Every series' bytes are `prefix + sample`: the sample (value, timestamp) is shared by one
    # request, and its encoded length is fixed, so the prefix (tag, length, labels) is built once.
    sample_len = len(rw.encode_sample(0.0, int(time.time() * 1000)))
    prefixes = [rw._varint(1 << 3 | 2) + rw._varint(len(lab) + sample_len) + lab for lab in labels]
    groups = [prefixes[i:i + per_request] for i in range(0, series, per_request)]

    def batches_for(second_ts_ms, tick):
        out = []
        for g, group in enumerate(groups):
            sample = rw.encode_sample(tick * 1.5 + g, second_ts_ms)
            assert len(sample) == sample_len
            out.append(rw.compress(sample.join(group) + sample))
        return out

    queues = {s.kind: [] for s in servers}
    cond = threading.Condition()

    def sender(server):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        st = stats[server.kind]
        while not stop.is_set():
            with cond:
                while not queues[server.kind] and not stop.is_set():
                    cond.wait(0.5)
                if stop.is_set():
                    return
                batch = queues[server.kind].pop(0)
                backlog = len(queues[server.kind])
            if backlog > 2 * (series // per_request):
                st["late"] += 1
            try:
                conn.request("POST", "/api/v1/write", body=batch, headers=rw.HEADERS)
                resp = conn.getresponse()
                resp.read()
                with cond:
                    st["status"] = resp.status
                    if resp.status // 100 == 2:
                        st["sent"] += per_request
                    else:
                        st["failed"] += 1
            except Exception as e:
                with cond:
                    st["failed"] += 1
                    st["status"] = str(e)[:80]
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)

    threads = [threading.Thread(target=sender, args=(s,), daemon=True) for s in servers for _ in range(args.rw_shards)]
    for t in threads:
        t.start()
    print(f"remote-write: {series} series, {series} samples/s, {per_request} samples/request, "
          f"{args.rw_shards} connections per server, window {args.rw_window}s")
    start = time.time()
    before = None
    tick = 0
    total_ticks = args.rw_warmup + args.rw_window
    while tick < total_ticks:
        if tick == args.rw_warmup:
            before = {s.kind: Snapshot(s) for s in servers}
        ts = int(time.time() * 1000)
        batch = batches_for(ts, tick)
        with cond:
            for s in servers:
                queues[s.kind].extend(batch)
            cond.notify_all()
        tick += 1
        sleep = start + tick - time.time()
        if sleep > 0:
            time.sleep(sleep)
    after = {s.kind: Snapshot(s) for s in servers}
    with cond:
        backlog = {k: len(q) for k, q in queues.items()}
    stop.set()
    with cond:
        cond.notify_all()
    for t in threads:
        t.join(timeout=35)
    results = {}
    for s in servers:
        r = rates(s, before[s.kind], after[s.kind])
        r.update(stats[s.kind])
        r["backlog"] = backlog[s.kind]
        head_series = s.self_metric("prometheus_tsdb_head_series")
        r["head_series"] = head_series
        r["rss_per_series"] = s.rss_bytes() / head_series if head_series else None
        anon = s.rss_anon_bytes()
        r["rss_anon_per_series"] = anon / head_series if anon and head_series else None
        span = f"{args.rw_warmup + args.rw_window + 30}s"
        r["series_stored"] = s.scalar('count({__name__=~"rw_metric_.*"})', default=0)
        r["samples_stored"] = s.scalar(f'sum(count_over_time({{__name__=~"rw_metric_.*"}}[{span}]))', default=0)
        r["series_sent"] = series
        results[s.kind] = r
    return results


def verify_rw(results):
    problems = []
    for kind, r in results.items():
        if r["failed"] or r["backlog"]:
            problems.append(f"{kind}: {r['failed']} failed requests, {r['backlog']} still queued")
        if r["series_stored"] != r["series_sent"]:
            problems.append(f"{kind}: {r['series_stored']:.0f} series stored of {r['series_sent']} sent")
        if r["samples_stored"] != r["sent"]:
            problems.append(f"{kind}: {r['samples_stored']:.0f} samples stored of {r['sent']} acknowledged")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", type=int, default=10)
    ap.add_argument("--series", type=int, default=10_000, help="series per target")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--window", type=int, default=60)
    ap.add_argument("--block-wait", type=int, default=240, help="max seconds to wait for the first block")
    ap.add_argument("--rw-rate", type=int, default=100_000, help="remote-write samples per second")
    ap.add_argument("--rw-shards", type=int, default=4, help="concurrent connections per server")
    ap.add_argument("--rw-warmup", type=int, default=10)
    ap.add_argument("--rw-window", type=int, default=30)
    ap.add_argument("--skip-scrape", action="store_true")
    ap.add_argument("--skip-rw", action="store_true")
    ap.add_argument("--only", choices=["pharos", "prometheus"], help="run one server only")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    kinds = [args.only] if args.only else ["pharos", "prometheus"]
    bl.check_binaries(need_pharos="pharos" in kinds)
    block_flags = ["--storage.tsdb.min-block-duration=1m", "--storage.tsdb.max-block-duration=1m",
                   "--web.enable-admin-api"]
    report, problems = {}, []
    with bl.Workdir(keep=args.keep) as wd:
        if not args.skip_scrape:
            farm = TargetFarm(args.targets, args.series)
            try:
                config = os.path.join(wd.path, "scrape.yml")
                write_config(config, farm.addresses)
                servers = [wd.start(k, wd.path, config=config, extra=block_flags) for k in kinds]
                for s in servers:
                    s.wait_ready()
                report["scrape"] = scrape_part(args, wd, servers, farm)
                problems += verify_scrape(report["scrape"], args.targets, farm.series_per_target)
                for s in servers:
                    s.stop()
            finally:
                farm.close()
        if not args.skip_rw:
            servers = [wd.start(k, os.path.join(wd.path), data=os.path.join(wd.path, f"{k}-rw"),
                                extra=["--web.enable-remote-write-receiver"]) for k in kinds]
            for s in servers:
                s.wait_ready()
            report["rw"] = rw_part(args, wd, servers)
            problems += verify_rw(report["rw"])
    if problems:
        print("\nthe servers did not do the same work; no ratio is reported:")
        for problem in problems:
            print(f"  - {problem}")
        print_report(report, kinds, ratios=False)
        raise SystemExit(1)
    print_report(report, kinds)


def print_report(report, kinds, ratios=True):
    both = len(kinds) == 2 and ratios

    def row(name, key, spec, source):
        vals = [source[k].get(key) for k in kinds]
        r = bl.ratio(vals[0], vals[1]) if both else float("nan")
        return [name] + [fmt(v, spec) for v in vals] + ([f"{r:.2f}"] if both else [])

    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    headers = ["metric"] + kinds + (["ratio"] if both else [])
    if "scrape" in report:
        sc = report["scrape"]
        print("\n== scrape ingest")
        rows = [row("samples/s appended", "samples_per_s", ".0f", sc),
                row("CPU s per 1M samples", "cpu_s_per_million", ".2f", sc),
                row("RSS bytes per head series", "rss_per_series", ".0f", sc),
                row("RssAnon bytes per head series", "rss_anon_per_series", ".0f", sc),
                row("head series", "head_series", ".0f", sc),
                row("disk bytes per sample (snapshot)", "disk_per_sample", ".3f", sc),
                row("scrapes in window (count up)", "scrapes", ".0f", sc),
                row("scrapes expected", "scrapes_expected", ".0f", sc),
                row("scrapes failed (up=0)", "scrapes_down", ".0f", sc),
                row("samples scraped in window", "samples_scraped", ".0f", sc),
                row("samples stored in window", "samples_stored", ".0f", sc)]
        bl.table(rows, headers)
    if "rw" in report:
        r = report["rw"]
        print("\n== remote-write ingest")
        rows = [row("samples/s appended", "samples_per_s", ".0f", r),
                row("CPU s per 1M samples", "cpu_s_per_million", ".2f", r),
                row("RSS bytes per head series", "rss_per_series", ".0f", r),
                row("RssAnon bytes per head series", "rss_anon_per_series", ".0f", r),
                row("head series", "head_series", ".0f", r),
                row("samples acknowledged", "sent", ".0f", r),
                row("samples stored", "samples_stored", ".0f", r),
                row("requests failed", "failed", ".0f", r),
                row("requests still queued at end", "backlog", ".0f", r),
                row("last HTTP status", "status", "", r)]
        bl.table(rows, headers)


if __name__ == "__main__":
    main()
