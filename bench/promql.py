#!/usr/bin/env python3
"""PromQL latency: Pharos vs Prometheus on the same blocks.

Generates 100k series (x_total counters, y_bucket histogram buckets, z gauges) over 1 h at
15 s as an OpenMetrics file, turns it into TSDB blocks with `promtool tsdb
create-blocks-from openmetrics`, copies the blocks into a fresh data dir for each server,
then times each query N times on both (client-side wall time of the HTTP API call, median).
Both servers run with the same explicit config file and the same --query.max-samples.

Every answer is compared in full before any time counts: result type, every series' complete
label set, every timestamp and value (relative 1e-9), and the order of the values where the
query orders them (instant topk/bottomk/sort; ties may come in either order). A query whose answers differ, or that fails on
either side, fails the run (exit status 1) and gets no ratio.

    python3 bench/promql.py [--series 100000] [--runs 10] [--keep]
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

STEP_S = 15
SPAN_S = 3600


def layout(total):
    """(jobs, instances per job) for each family so that the total is about `total` series:
    40% x_total (8 codes), 30% y_bucket (10 le), 30% z (6 shards); 10 jobs."""
    jobs = 10
    x_inst = max(1, round(total * 0.4 / (jobs * 8)))
    y_inst = max(1, round(total * 0.3 / (jobs * 10)))
    z_inst = max(1, round(total * 0.3 / (jobs * 6)))
    return jobs, x_inst, y_inst, z_inst


LES = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]


def generate(path, total, end_s):
    """Writes the OpenMetrics file; returns (series, samples)."""
    jobs, x_inst, y_inst, z_inst = layout(total)
    n = SPAN_S // STEP_S + 1
    stamps = [f" {end_s - SPAN_S + k * STEP_S}\n" for k in range(n)]
    series = 0
    with open(path, "w", buffering=1 << 22) as f:
        f.write("# TYPE x counter\n")
        for j in range(jobs):
            for i in range(x_inst):
                for c in range(8):
                    prefix = f'x_total{{job="job-{j}",instance="inst-{i:05d}",code="c{c}"}} '
                    rate = 1 + (i * 8 + c + j) % 17
                    f.write("".join(prefix + str(k * rate * STEP_S) + stamps[k] for k in range(n)))
                    series += 1
        for j in range(jobs):
            for i in range(y_inst):
                for b, le in enumerate(LES):
                    prefix = f'y_bucket{{job="job-{j}",instance="inst-{i:05d}",le="{le}"}} '
                    rate = (b + 1) * (1 + (i + j) % 5)
                    f.write("".join(prefix + str(k * rate) + stamps[k] for k in range(n)))
                    series += 1
        f.write("# TYPE z gauge\n")
        for j in range(jobs):
            for i in range(z_inst):
                for s in range(6):
                    prefix = f'z{{job="job-{j}",instance="inst-{i:05d}",shard="s{s}"}} '
                    seed = i * 31 + s * 7 + j
                    f.write("".join(prefix + str((seed + k * 13) % 1000) + stamps[k] for k in range(n)))
                    series += 1
        f.write("# EOF\n")
    return series, series * n


def queries(total):
    jobs, x_inst, _, _ = layout(total)
    # x_total series per code value = jobs * x_inst; pick enough codes for ~10k series.
    codes = max(1, min(8, round(10_000 / (jobs * x_inst))))
    code_re = "|".join(f"c{c}" for c in range(codes))
    return [
        ("sum by (job) (rate(x_total[5m]))", "instant"),
        ("histogram_quantile(0.99, sum by (le) (rate(y_bucket[5m])))", "instant"),
        ("topk(10, z)", "instant"),
        ('count({__name__=~"x_total|y_bucket|z", instance=~".*1.*5.*"})', "instant"),
        (f'sum by (job) (rate(x_total{{code=~"{code_re}"}}[5m]))', "range"),
    ], codes * jobs * x_inst


def run_query(server, expr, kind, end_s):
    """(milliseconds, canonical answer); raises when the server answers with an error."""
    start = time.perf_counter()
    if kind == "instant":
        result = server.query(expr, t=end_s)
    else:
        result = server.query_range(expr, end_s - SPAN_S, end_s, STEP_S)
    elapsed = (time.perf_counter() - start) * 1000
    if result.get("status") != "success":
        raise RuntimeError(f"{server.kind}: {expr}: {result.get('error')}")
    return elapsed, canonical(result["data"])


def canonical(data):
    """(result type, [(sorted label pairs, [(time, value)])]) in the answer's series order."""
    kind, result = data["resultType"], data["result"]
    if kind in ("scalar", "string"):
        return kind, [((), [(float(result[0]), result[1])])]
    return kind, [(tuple(sorted(s["metric"].items())), [(float(t), float(v)) for t, v in (s.get("values") or [s["value"]])])
                  for s in result]


def orders_result(expr, kind):
    return kind == "instant" and expr.split("(")[0].strip().split(" ")[0] in ("topk", "bottomk", "sort", "sort_desc")


def difference(a, b, ordered):
    """None when both answers are the same (see the module's doc); else the first difference.

    Where the query orders its result, series with equal values may come in either order:
    Prometheus leaves the order of ties to its heap and sort (neither is stable), so only the
    sequence of values is compared in order, and the series themselves as a set."""
    if a[0] != b[0]:
        return f"result types {a[0]} vs {b[0]}"
    if ordered:
        values_a = [points for _, points in a[1]]
        values_b = [points for _, points in b[1]]
        if values_a != values_b:
            return "series order differs (values in a different order)"
    left, right = sorted(a[1]), sorted(b[1])
    if [labels for labels, _ in left] != [labels for labels, _ in right]:
        only_a = {l for l, _ in left} - {l for l, _ in right}
        only_b = {l for l, _ in right} - {l for l, _ in left}
        if not only_a and not only_b:
            return "series order differs"
        return f"series differ: only pharos {sorted(only_a)[:3]}, only prometheus {sorted(only_b)[:3]}"
    for (labels, pa), (_, pb) in zip(left, right):
        if [t for t, _ in pa] != [t for t, _ in pb]:
            return f"{dict(labels)}: timestamps differ"
        for (t, va), (_, vb) in zip(pa, pb):
            if isinstance(va, str) or isinstance(vb, str):
                if va != vb:
                    return f"{dict(labels)} at {t}: {va!r} vs {vb!r}"
            elif not (va == vb or (math.isnan(va) and math.isnan(vb)) or math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-12)):
                return f"{dict(labels)} at {t}: {va} vs {vb}"
    return None


def build_blocks(workdir, total, cache):
    """Returns (blocks dir, end of data in s); reuses `cache`/<total> when it holds blocks."""
    if cache:
        cached = os.path.join(cache, str(total))
        stamp = os.path.join(cached, "end_s")
        if os.path.exists(stamp):
            print(f"reusing blocks in {cached}")
            return os.path.join(cached, "blocks"), int(open(stamp).read())
        shutil.rmtree(cached, ignore_errors=True)
        os.makedirs(cached)
        workdir = cached
    end_s = (int(time.time()) // 900) * 900 - 900
    om = os.path.join(workdir, "data.om")
    t0 = time.time()
    series, samples = generate(om, total, end_s)
    print(f"generated {series} series, {samples} samples ({os.path.getsize(om) / 1e6:.0f} MB) in {time.time() - t0:.0f}s")
    blocks = os.path.join(workdir, "blocks")
    t0 = time.time()
    subprocess.run([bl.PROMTOOL_BIN, "tsdb", "create-blocks-from", "openmetrics", "-q", om, blocks],
                   check=True, stdout=subprocess.DEVNULL)
    os.remove(om)
    print(f"promtool built blocks ({bl.dir_bytes(blocks) / 1e6:.0f} MB) in {time.time() - t0:.0f}s")
    if cache:
        with open(os.path.join(workdir, "end_s"), "w") as f:
            f.write(str(end_s))
    return blocks, end_s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--cache", help="directory keeping the promtool blocks between runs (reused if present)")
    ap.add_argument("--only", choices=["pharos", "prometheus"], help="run one server only")
    ap.add_argument("--blocks-only", action="store_true", help="only build the blocks into --cache")
    args = ap.parse_args()
    kinds = [args.only] if args.only else ["pharos", "prometheus"]
    if not args.blocks_only:
        bl.check_binaries(need_pharos="pharos" in kinds)
    with bl.Workdir(keep=args.keep) as wd:
        blocks, end_s = build_blocks(wd.path, args.series, args.cache)
        if args.blocks_only:
            return
        servers = []
        config = os.path.join(wd.path, "bench.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\nscrape_configs: []\n")
        for kind in kinds:
            data = os.path.join(wd.path, f"{kind}-data")
            shutil.copytree(blocks, data)
            extra = ["--storage.tsdb.retention.time=30d", "--query.max-samples=500000000", "--query.timeout=2m"]
            server = wd.start(kind, wd.path, config=config, data=data, extra=extra)
            servers.append(server)
        for server in servers:
            server.wait_ready()
        qs, range_series = queries(args.series)
        print(f"instant queries at t={end_s}; range query over {range_series} series, 1h at {STEP_S}s; "
              f"median of {args.runs} runs after 1 warm-up\n")
        rows, ratios, failed = [], [], False
        for expr, kind in qs:
            times = {s.kind: [] for s in servers}
            answers, errors = {}, {}
            for rep in range(args.runs + 1):
                for server in servers:
                    try:
                        elapsed, answer = run_query(server, expr, kind, end_s)
                    except Exception as e:  # noted; the query then gets no ratio
                        errors[server.kind] = str(e)[:120]
                        continue
                    if rep == 0:
                        answers[server.kind] = answer
                    else:
                        times[server.kind].append(elapsed)
            p = bl.median(times.get("pharos", []))
            q = bl.median(times.get("prometheus", []))
            note = ""
            if errors:
                note = "; ".join(f"{k} error: {v}" for k, v in errors.items())
            elif len(answers) == 2:
                note = difference(answers["pharos"], answers["prometheus"], orders_result(expr, kind)) or ""
                note = note and "answers differ: " + note
            if note:
                failed = True
                rows.append((f"[{kind}] {expr}", f"{p:.1f}", f"{q:.1f}", "-", note))
                continue
            r = bl.ratio(p, q)
            if not math.isnan(r):
                ratios.append(r)
            series = len(next(iter(answers.values()))[1]) if answers else 0
            rows.append((f"[{kind}] {expr}", f"{p:.1f}", f"{q:.1f}", f"{r:.2f}", f"same answer ({series} series)"))
        print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.series} series")
        bl.table(rows, ["query", "pharos ms", "prometheus ms", "ratio", "note"])
        if failed:
            print("\nsome answers differ or failed: no median ratio")
        else:
            print(f"\nmedian ratio pharos/prometheus: {bl.median(ratios):.2f}")
        for s in servers:
            print(f"{s.kind}: RSS after queries {s.rss_bytes() / 1e6:.0f} MB (anonymous {s.rss_anon_bytes() / 1e6:.0f} MB), "
                  f"CPU {s.cpu_seconds():.1f}s")
        if failed:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
