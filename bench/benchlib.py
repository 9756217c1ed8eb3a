"""Shared helpers for the Pharos-vs-Prometheus peer benchmarks (loopback only).

Starts servers on free loopback ports, waits for readiness, reads /proc figures,
queries the Prometheus HTTP API and always cleans up processes and temp dirs.
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHAROS_BIN = os.environ.get("PHAROS_BIN", os.path.join(REPO, ".build", "release", "pharos"))
PROMETHEUS_BIN = os.environ.get("PROMETHEUS_BIN", "/usr/bin/prometheus")
PROMTOOL_BIN = os.environ.get("PROMTOOL_BIN", "/usr/bin/promtool")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def http_post(url, body, headers, timeout=60):
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Server:
    """One server process (pharos or prometheus) on a free loopback port."""

    def __init__(self, kind, workdir, config=None, extra=(), data=None):
        self.kind = kind
        self.port = free_port()
        self.addr = f"127.0.0.1:{self.port}"
        self.base = f"http://{self.addr}"
        self.data = data or os.path.join(workdir, f"{kind}-data")
        os.makedirs(self.data, exist_ok=True)
        self.log_path = os.path.join(workdir, f"{kind}.log")
        binary = PHAROS_BIN if kind == "pharos" else PROMETHEUS_BIN
        args = [binary, f"--storage.tsdb.path={self.data}", f"--web.listen-address={self.addr}"]
        if config:
            args.append(f"--config.file={config}")
        args += list(extra)
        self.args = args
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def wait_ready(self, timeout=600):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}; see {self.log_path}:\n"
                                   + open(self.log_path, errors="replace").read()[-2000:])
            try:
                status, _ = http_get(self.base + "/-/ready", timeout=2)
                if status == 200:
                    return
            except Exception:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.kind} not ready after {timeout}s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def cpu_seconds(self):
        """utime+stime of the process from /proc/<pid>/stat."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_bytes(self):
        with open(f"/proc/{self.pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE

    def rss_anon_bytes(self):
        """RssAnon from /proc/<pid>/status: resident memory that is not file-backed (no
        mmapped block files, no binary), the fairer memory figure between servers."""
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
        return None

    def snapshot(self):
        """Takes a TSDB snapshot (admin API, head included); returns its directory."""
        status, body = http_post(self.base + "/api/v1/admin/tsdb/snapshot", b"", {}, timeout=600)
        if status != 200:
            raise RuntimeError(f"{self.kind}: snapshot failed: {status} {body[:300]!r}")
        return os.path.join(self.data, "snapshots", json.loads(body)["data"]["name"])

    def query(self, expr, t=None, timeout=300):
        params = {"query": expr}
        if t is not None:
            params["time"] = f"{t:.3f}"
        status, body = http_get(self.base + "/api/v1/query?" + urllib.parse.urlencode(params), timeout)
        return json.loads(body)

    def query_range(self, expr, start, end, step, timeout=300):
        params = {"query": expr, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": str(step)}
        status, body = http_get(self.base + "/api/v1/query_range?" + urllib.parse.urlencode(params), timeout)
        return json.loads(body)

    def scalar(self, expr, default=None):
        """First sample value of an instant query, or `default` when empty or failing."""
        try:
            result = self.query(expr)
        except Exception:
            return default
        if result.get("status") != "success":
            return default
        data = result["data"]
        if data["resultType"] == "scalar":
            return float(data["result"][1])
        if not data["result"]:
            return default
        return float(data["result"][0]["value"][1])

    def self_metric(self, name):
        """Sum of a metric from the server's own /metrics page (None when absent)."""
        try:
            _, body = http_get(self.base + "/metrics", timeout=10)
        except Exception:
            return None
        total, seen = 0.0, False
        for line in body.decode("utf-8", "replace").splitlines():
            if line.startswith(name) and (len(line) == len(name) or line[len(name)] in " {"):
                total += float(line.rsplit(" ", 1)[1] if "}" not in line else line.rsplit("}", 1)[1].split()[0])
                seen = True
        return total if seen else None


def dir_bytes(path, only=None):
    """Total bytes of regular files under path (optionally only paths containing `only`)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            if only and only not in full:
                continue
            try:
                total += os.path.getsize(full)
            except OSError:
                pass
    return total


def blocks_bytes_per_sample(path):
    """(chunks + index bytes, samples) over every block directory under `path`."""
    size = samples = 0
    for name in sorted(os.listdir(path)):
        meta = os.path.join(path, name, "meta.json")
        if not os.path.exists(meta):
            continue
        samples += json.load(open(meta))["stats"]["numSamples"]
        size += dir_bytes(os.path.join(path, name, "chunks")) + os.path.getsize(os.path.join(path, name, "index"))
    return size, samples


def median(values):
    return statistics.median(values) if values else float("nan")


def ratio(a, b):
    if a is None or b is None or b == 0 or a != a or b != b:
        return float("nan")
    return a / b


def check_binaries(need_pharos=True):
    missing = [p for p in ([PHAROS_BIN] if need_pharos else []) + [PROMETHEUS_BIN] if not os.access(p, os.X_OK)]
    if missing:
        raise SystemExit(f"missing binaries: {missing} (build with `swift build -c release --product pharos`)")


class Workdir:
    """Temp dir removed on exit, together with every registered server."""

    def __init__(self, keep=False):
        self.path = tempfile.mkdtemp(prefix="pharos-bench-")
        self.keep = keep
        self.servers = []

    def start(self, *args, **kwargs):
        server = Server(*args, **kwargs)
        self.servers.append(server)
        return server

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            try:
                server.stop()
            except Exception:
                pass
        if self.keep:
            print(f"kept {self.path}")
        else:
            shutil.rmtree(self.path, ignore_errors=True)
        return False


def table(rows, headers):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
