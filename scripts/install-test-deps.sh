#!/usr/bin/env bash
# Installs the test peers on a fresh Debian machine and prints their versions.
#
# The tests find every peer at one fixed path, and this script checks exactly those paths:
#   /usr/bin/prometheus, /usr/bin/promtool   Debian's prometheus package (2.42)
#   /usr/bin/prometheus-alertmanager,        Debian's prometheus-alertmanager (0.25): the server and
#   /usr/bin/amtool                          amtool (alertmanager.yml and routing oracles)
#   /usr/sbin/dnsmasq                        Debian's dnsmasq-base (DNS service discovery tests)
#   /usr/bin/python3 with aiosmtpd           Debian's python3-aiosmtpd (the SMTP sink of the e-mail tests)
#   /usr/bin/prometheus-blackbox-exporter    Debian's prometheus-blackbox-exporter (0.23): the /probe oracle
#   /usr/bin/prometheus-node-exporter        Debian's prometheus-node-exporter (1.5): the host-metrics oracle
#   /usr/lib/postgresql/15/bin/{initdb,postgres}  Debian's postgresql (15): the postgres prober's target
#   /usr/bin/redis-server                    Debian's redis-server (7.0): the redis prober's target
#   /usr/bin/openssl                         self-signed certificates for the HTTPS and TLS probe tests
#   /usr/include/sqlite3.h                   Debian's libsqlite3-dev (GRDB links the system SQLite; the
#                                            build needs it, and Debian images have it)
#   .venv/bin/python3                        a virtual environment under the repo (git-ignored),
#                                            made from Debian's python3, with requirements-test.txt
# Debian's python3 refuses system-wide pip installs (PEP 668), hence the venv.
# Idempotent: installs only what is missing. Never stops or signals other processes.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(prometheus prometheus-alertmanager dnsmasq-base python3 python3-venv python3-aiosmtpd libsqlite3-dev
                 prometheus-blackbox-exporter prometheus-node-exporter postgresql redis-server openssl)
peer_paths=(/usr/bin/prometheus /usr/bin/promtool /usr/bin/prometheus-alertmanager /usr/bin/amtool /usr/sbin/dnsmasq /usr/bin/python3
            /usr/bin/prometheus-blackbox-exporter /usr/bin/prometheus-node-exporter /usr/lib/postgresql/15/bin/initdb
            /usr/lib/postgresql/15/bin/postgres /usr/bin/redis-server /usr/bin/openssl)

missing=0
for path in "${peer_paths[@]}"; do [ -x "$path" ] || missing=1; done
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing=1
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing=1
[ -f /usr/include/sqlite3.h ] || missing=1
if [ "$missing" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d 101: the packages must not start their own services (Prometheus, Alertmanager, the
  # exporters, PostgreSQL, Redis); tests start theirs.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; made_policy=1; fi
  apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" >/dev/null
  [ "$made_policy" = 1 ] && rm -f "$policy"
fi

venv=.venv
if [ ! -x "$venv/bin/python3" ]; then
  /usr/bin/python3 -m venv "$venv"
fi
if ! cmp -s scripts/requirements-test.txt "$venv/.installed-requirements" 2>/dev/null; then
  "$venv/bin/python3" -m pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt "$venv/.installed-requirements"
fi

echo "test peers:"
echo "  $(/usr/bin/prometheus --version 2>&1 | head -n 1)"
echo "  $(/usr/bin/promtool --version 2>&1 | head -n 1)"
echo "  $(/usr/bin/prometheus-alertmanager --version 2>&1 | head -n 1)"
echo "  $(/usr/bin/amtool --version 2>&1 | head -n 1)"
echo "  $(/usr/sbin/dnsmasq --version 2>&1 | head -n 1)"
echo "  $(/usr/bin/prometheus-blackbox-exporter --version 2>&1 | head -n 1)"
echo "  $(/usr/bin/prometheus-node-exporter --version 2>&1 | head -n 1)"
echo "  $(/usr/lib/postgresql/15/bin/postgres --version 2>&1 | head -n 1)"
echo "  $(/usr/bin/redis-server --version 2>&1 | head -n 1)"
echo "  aiosmtpd $(/usr/bin/python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)') (/usr/bin/python3)"
echo "  $("$venv/bin/python3" --version) ($venv/bin/python3)"
"$venv/bin/python3" -m pip freeze --disable-pip-version-check | sed 's/^/  /'
