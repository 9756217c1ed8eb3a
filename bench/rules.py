#!/usr/bin/env python3
"""Rule evaluation: Pharos vs Prometheus 2.42, the same 200 rules over the same 100k series.

The series are promql.py's (x_total counters, y_bucket histograms, z gauges), 1 h at 15 s,
ending just before the servers start, turned into blocks by promtool and copied into both.
Both servers load the same rule file (160 recording rules, 40 alerting rules, in 4 groups,
windows of 30m so that the data stays in range for the whole run) and evaluate it every
`--interval` for `--window` seconds. The figure is CPU seconds per evaluation of all 200
rules: the process' CPU over the window divided by the group iterations in it.

Before any ratio both must have evaluated every rule without failure and produced the same
series: for each recording rule the same output label sets, and for each alerting rule the
same firing alerts (`ALERTS`); and every rule expression must give the same answer on both
at one common time. A difference fails the run.

    python3 bench/rules.py [--series 100000] [--interval 10] [--window 90]
"""
import argparse
import math
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402
import promql  # noqa: E402


def rules():
    """(group, kind, name, expr) for the 200 rules."""
    out = []
    for j in range(10):
        for c in range(8):
            out.append(("x-by-job", "record", f"job_code:x:rate30m_{j}_{c}",
                        f'sum by (job) (rate(x_total{{job="job-{j}",code="c{c}"}}[30m]))'))
    for j in range(10):
        for q, quantile in enumerate(["0.5", "0.9", "0.99", "0.999"]):
            out.append(("y-quantiles", "record", f"job:y:p{q}_{j}",
                        f'histogram_quantile({quantile}, sum by (le) (rate(y_bucket{{job="job-{j}"}}[30m])))'))
    for j in range(10):
        for h in range(4):
            out.append(("x-by-instance", "record", f"instance:x:rate30m_{j}_{h}",
                        f'sum by (instance) (rate(x_total{{job="job-{j}",code=~"c{2 * h}|c{2 * h + 1}"}}[30m]))'))
    for c in range(8):
        for t, threshold in enumerate([100, 500, 1000, 2000, 4000]):
            out.append(("x-alerts", "alert", f"XRateHigh{c}_{t}",
                        f'sum by (job) (rate(x_total{{code="c{c}"}}[30m])) > {threshold}'))
    return out


def rule_file(path, interval):
    groups = {}
    for group, kind, name, expr in rules():
        groups.setdefault(group, []).append((kind, name, expr))
    with open(path, "w") as f:
        f.write("groups:\n")
        for group, items in groups.items():
            f.write(f"  - name: {group}\n    interval: {interval}s\n    rules:\n")
            for kind, name, expr in items:
                key = "record" if kind == "record" else "alert"
                f.write(f"      - {key}: {name}\n        expr: '{expr}'\n")
                if kind == "alert":
                    f.write("        labels: {severity: warning}\n")


def label_sets(server, expr, t):
    result = server.query(expr, t=t)
    if result.get("status") != "success":
        raise RuntimeError(f"{server.kind}: {expr}: {result.get('error')}")
    return sorted(tuple(sorted(s["metric"].items())) for s in result["data"]["result"])


def iterations(server):
    return server.self_metric("prometheus_rule_group_iterations_total") or 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--interval", type=int, default=10)
    ap.add_argument("--window", type=int, default=90)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    bl.check_binaries()
    with bl.Workdir(keep=args.keep) as wd:
        # Blocks end at the last full minute: the 30m windows then cover data for the whole run.
        end_s = int(time.time()) // 60 * 60
        om = os.path.join(wd.path, "data.om")
        t0 = time.time()
        series, samples = promql.generate(om, args.series, end_s)
        blocks = os.path.join(wd.path, "blocks")
        import subprocess
        subprocess.run([bl.PROMTOOL_BIN, "tsdb", "create-blocks-from", "openmetrics", "-q", om, blocks],
                       check=True, stdout=subprocess.DEVNULL)
        os.remove(om)
        print(f"{series} series, {samples} samples ending {end_s}, blocks built in {time.time() - t0:.0f}s")
        rule_path = os.path.join(wd.path, "rules.yml")
        rule_file(rule_path, args.interval)
        config = os.path.join(wd.path, "bench.yml")
        with open(config, "w") as f:
            f.write(f"global:\n  scrape_interval: 1m\n  evaluation_interval: {args.interval}s\n"
                    f"rule_files: [{rule_path}]\nscrape_configs: []\n")
        servers = []
        for kind in ["pharos", "prometheus"]:
            data = os.path.join(wd.path, f"{kind}-data")
            shutil.copytree(blocks, data)
            extra = ["--storage.tsdb.retention.time=30d", "--query.max-samples=500000000"]
            servers.append(wd.start(kind, wd.path, config=config, data=data, extra=extra))
        for server in servers:
            server.wait_ready()
        # Let both settle (first evaluations, block loading), then measure.
        time.sleep(2 * args.interval)
        start = {s.kind: (s.cpu_seconds(), iterations(s)) for s in servers}
        time.sleep(args.window)
        stop = {s.kind: (s.cpu_seconds(), iterations(s)) for s in servers}
        failed = False
        per_eval = {}
        for s in servers:
            cpu = stop[s.kind][0] - start[s.kind][0]
            evaluations = (stop[s.kind][1] - start[s.kind][1]) / 4  # four groups
            failures = s.self_metric("prometheus_rule_evaluation_failures_total") or 0
            if failures or evaluations <= 0:
                print(f"{s.kind}: {failures:.0f} failed evaluations, {evaluations:.1f} evaluations in the window")
                failed = True
            per_eval[s.kind] = (cpu / evaluations if evaluations else float("nan"), evaluations, cpu)
        # Same work, same results: outputs of every rule, and every expression at one time.
        t = time.time() - 1
        checked = 0
        for group, kind, name, expr in rules():
            output = name if kind == "record" else f'ALERTS{{alertname="{name}",alertstate="firing"}}'
            ours, theirs = label_sets(servers[0], output, t), label_sets(servers[1], output, t)
            if ours != theirs:
                print(f"{name}: output series differ: pharos {ours[:2]}…({len(ours)}), prometheus {theirs[:2]}…({len(theirs)})")
                failed = True
            a = promql.canonical(servers[0].query(expr, t=end_s)["data"])
            b = promql.canonical(servers[1].query(expr, t=end_s)["data"])
            difference = promql.difference(a, b, False)
            if difference:
                print(f"{name}: answers at {end_s} differ: {difference}")
                failed = True
            checked += 1
        p, q = per_eval["pharos"], per_eval["prometheus"]
        print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; {checked} rules checked equal on both")
        bl.table([
            ("CPU seconds per evaluation of the 200 rules", f"{p[0]:.3f}", f"{q[0]:.3f}", f"{bl.ratio(p[0], q[0]):.2f}"),
            ("evaluations in the window", f"{p[1]:.1f}", f"{q[1]:.1f}", ""),
            ("CPU seconds in the window", f"{p[2]:.1f}", f"{q[2]:.1f}", ""),
            ("RSS after (MB)", f"{servers[0].rss_bytes() / 1e6:.0f}", f"{servers[1].rss_bytes() / 1e6:.0f}", ""),
        ], ["", "pharos", "prometheus 2.42", "ratio"])
        if failed or any(math.isnan(v[0]) for v in per_eval.values()):
            raise SystemExit(1)


if __name__ == "__main__":
    main()
