#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-test-deps.sh
swift build --build-tests
# Serial on purpose: on a 2-core machine the cooperative pool has two threads, and CPU-bound
# suites (conformance, WAL repair) starve the timing-sensitive live tests when run in parallel.
# Serial is also no slower here (~70 s for the whole suite).
swift test --skip-build --no-parallel "$@"
