"""Minimal Prometheus remote-write v1 encoder: hand-written protobuf + python-snappy.

WriteRequest{1: repeated TimeSeries}; TimeSeries{1: repeated Label, 2: repeated Sample};
Label{1: name, 2: value}; Sample{1: double value, 2: int64 timestamp ms}.
"""
import struct

import snappy

HEADERS = {
    "Content-Type": "application/x-protobuf",
    "Content-Encoding": "snappy",
    "X-Prometheus-Remote-Write-Version": "0.1.0",
    "User-Agent": "pharos-bench",
}


def _varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(num, payload):
    return _varint(num << 3 | 2) + _varint(len(payload)) + payload


def encode_labels(labels):
    """Pre-encodes a series' sorted labels (a dict or pairs) once; reuse with encode_series."""
    pairs = sorted(labels.items() if isinstance(labels, dict) else labels)
    return b"".join(_field(1, _field(1, k.encode()) + _field(2, v.encode())) for k, v in pairs)


def encode_sample(value, timestamp_ms):
    return _field(2, b"\x09" + struct.pack("<d", value) + b"\x10" + _varint(timestamp_ms))


def encode_series(encoded_labels, samples):
    """samples: iterable of (value, timestamp_ms)."""
    body = encoded_labels + b"".join(encode_sample(v, t) for v, t in samples)
    return _field(1, body)


def compress(write_request):
    return snappy.compress(write_request)
