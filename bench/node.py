#!/usr/bin/env python3
"""Pharos' built-in node exporter against node_exporter 1.5, side by side in one run.

CPU seconds per scrape of Pharos' /metrics/node and of node_exporter's /metrics with the same
collectors (cpu, diskstats, filefd, filesystem, loadavg, meminfo, netdev, os, pressure, stat,
time, uname, vmstat; node_exporter with --web.disable-exporter-metrics, so neither serves
go_/process_ families, and with node_exporter 1.5.0's own mount-point and netdev defaults,
which Debian patches). Before timing, both answers are checked to hold the same families and
label sets. Scrapes are sequential on one keep-alive connection, uncompressed; CPU is the
server process' utime+stime over the run. Pharos runs with no scrape jobs, so nothing else
works in it.

    python3 bench/node.py [--scrapes 2000]
"""
import argparse
import http.client
import os
import re
import sys
import subprocess
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

NODE_EXPORTER_BIN = os.environ.get("NODE_EXPORTER_BIN", "/usr/bin/prometheus-node-exporter")
COLLECTORS = ["cpu", "diskstats", "filefd", "filesystem", "loadavg", "meminfo", "netdev", "os", "pressure", "stat",
              "time", "uname", "vmstat"]
UPSTREAM_DEFAULTS = [
    "--collector.filesystem.mount-points-exclude=^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
    "--collector.netdev.device-exclude=",
]
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? ')


class NodeExporter:
    def __init__(self, workdir):
        self.port = bl.free_port()
        self.kind = "node_exporter"
        self.log = open(os.path.join(workdir, "node_exporter.log"), "wb")
        args = [NODE_EXPORTER_BIN, f"--web.listen-address=127.0.0.1:{self.port}", "--collector.disable-defaults",
                "--web.disable-exporter-metrics"] + [f"--collector.{c}" for c in COLLECTORS] + UPSTREAM_DEFAULTS
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if bl.http_get(f"http://127.0.0.1:{self.port}/metrics", timeout=2)[0] == 200:
                    return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("node_exporter did not answer within 30s")

    def cpu_seconds(self):
        return bl.Server.cpu_seconds(self)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def families(body):
    """{family name: set of label strings} of the node_ families."""
    result = {}
    for line in body.decode().splitlines():
        match = SAMPLE.match(line)
        if match and match.group(1).startswith("node_") and match.group(1) != "node_exporter_build_info":
            result.setdefault(match.group(1), set()).add(match.group(2) or "")
    return result


def scrape_run(port, path, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    size = 0
    for _ in range(count):
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path} on {port}: {response.status}")
        size = len(body)
    connection.close()
    return size


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scrapes", type=int, default=2000)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not os.access(bl.PHAROS_BIN, os.X_OK):
        raise SystemExit(f"missing {bl.PHAROS_BIN} (build with `swift build -c release --product pharos`)")
    if not os.access(NODE_EXPORTER_BIN, os.X_OK):
        raise SystemExit(f"missing {NODE_EXPORTER_BIN} (./scripts/install-test-deps.sh)")
    failed = False
    with bl.Workdir(keep=args.keep) as wd:
        config = os.path.join(wd.path, "pharos.yml")
        with open(config, "w") as f:
            f.write("scrape_configs: []\n")
        pharos = wd.start("pharos", wd.path, config=config)
        pharos.wait_ready()
        node = NodeExporter(wd.path)
        try:
            ours = families(bl.http_get(pharos.base + "/metrics/node")[1])
            theirs = families(bl.http_get(f"http://127.0.0.1:{node.port}/metrics")[1])
            if ours != theirs:
                only_ours = sorted(set(ours) - set(theirs))
                only_theirs = sorted(set(theirs) - set(ours))
                differing = sorted(n for n in set(ours) & set(theirs) if ours[n] != theirs[n])
                print(f"answers differ: only pharos {only_ours}, only node_exporter {only_theirs}, label sets {differing}")
                failed = True
            results = {}
            for name, port, path, proc in [("pharos", pharos.port, "/metrics/node", pharos),
                                           ("node_exporter", node.port, "/metrics", node)]:
                scrape_run(port, path, 50)  # warm-up
                cpu0 = proc.cpu_seconds()
                start = time.perf_counter()
                size = scrape_run(port, path, args.scrapes)
                wall = time.perf_counter() - start
                results[name] = {"cpu": (proc.cpu_seconds() - cpu0) / args.scrapes, "wall": wall / args.scrapes, "size": size}
        finally:
            node.stop()
    p, n = results["pharos"], results["node_exporter"]
    rows = [
        ("CPU per scrape (ms)", f"{p['cpu'] * 1000:.3f}", f"{n['cpu'] * 1000:.3f}", f"{bl.ratio(p['cpu'], n['cpu']):.2f}"),
        ("wall time per scrape (ms)", f"{p['wall'] * 1000:.3f}", f"{n['wall'] * 1000:.3f}", f"{bl.ratio(p['wall'], n['wall']):.2f}"),
        ("body size (bytes)", f"{p['size']:,}", f"{n['size']:,}", f"{bl.ratio(p['size'], n['size']):.2f}"),
    ]
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; {args.scrapes:,} sequential scrapes each, "
          f"{len(ours)} node_ families")
    bl.table(rows, ["", "pharos /metrics/node", "node_exporter 1.5", "ratio"])
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
