#!/usr/bin/env python3
"""Pushes a batch job's metrics to a Pushgateway-compatible URL with prometheus_client.

Usage: push_app.py URL push|add|delete

Grouping key: job="nightly", instance="host/1" (the slash makes the client use the base64
path encoding). Exits non-zero with the client's error on any HTTP failure.
"""
import sys

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import delete_from_gateway, push_to_gateway, pushadd_to_gateway


def main():
    url, mode = sys.argv[1], sys.argv[2]
    key = {"instance": "host/1"}
    registry = CollectorRegistry()
    if mode == "delete":
        delete_from_gateway(url, job="nightly", grouping_key=key)
        return
    if mode == "push":
        records = Counter("pharos_batch_records", "Records processed.", ["stage"], registry=registry)
        records.labels("load").inc(7)
        records.labels("transform").inc(2.5)
        Gauge("pharos_batch_last_success_unixtime", "Last success.", registry=registry).set(1700000000)
        duration = Histogram("pharos_batch_duration_seconds", "Duration.", buckets=(1, 5), registry=registry)
        duration.observe(2)
        push_to_gateway(url, job="nightly", registry=registry, grouping_key=key)
    else:
        Gauge("pharos_batch_extra", "Added with POST.", registry=registry).set(3)
        pushadd_to_gateway(url, job="nightly", registry=registry, grouping_key=key)


if __name__ == "__main__":
    main()
