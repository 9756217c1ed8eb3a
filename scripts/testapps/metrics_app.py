#!/usr/bin/env python3
"""A small prometheus_client app for Pharos' integration tests.

Usage: metrics_app.py PORT [--tick]

Without --tick every value is fixed at start-up (tests assert exact numbers); with --tick a
background thread keeps counters, the gauge and the histogram moving every 100 ms so rates
are non-zero. Prints "listening on PORT" once the HTTP server is up.
"""
import sys
import threading
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary, start_http_server


def main():
    port = int(sys.argv[1])
    tick = "--tick" in sys.argv[2:]
    registry = CollectorRegistry()
    requests = Counter("pharos_app_requests", "Requests handled.", ["method", "code"], registry=registry)
    temperature = Gauge("pharos_app_temperature_celsius", "Room temperature.", ["room"], registry=registry)
    latency = Histogram("pharos_app_latency_seconds", "Request latency.", ["handler"],
                        buckets=(0.1, 0.5, 1.0), registry=registry)
    sizes = Summary("pharos_app_response_bytes", "Response sizes.", registry=registry)

    requests.labels("GET", "200").inc(42)
    requests.labels("POST", "500").inc(3)
    temperature.labels("kitchen").set(21.5)
    temperature.labels("cellar").set(-4.25)
    for value in (0.05, 0.2, 0.3, 0.7, 2.0):
        latency.labels("/api").observe(value)
    for value in (100, 250):
        sizes.observe(value)

    start_http_server(port, addr="127.0.0.1", registry=registry)
    print(f"listening on {port}", flush=True)

    step = 0
    while True:
        time.sleep(0.1)
        if tick:
            step += 1
            requests.labels("GET", "200").inc(1)
            requests.labels("POST", "500").inc(step % 3)
            temperature.labels("kitchen").set(21.5 + (step % 10) / 10)
            latency.labels("/api").observe((step % 13) / 10)
            sizes.observe(100 + step % 7)


if __name__ == "__main__":
    main()
