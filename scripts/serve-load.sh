#!/usr/bin/env bash
# Load test of `candor serve`: 200 concurrent connections for 30 seconds
# (wrk) while an update is edited every 50 ms, with 50 idle connections that
# never send a request held open the whole time. Passes when wrk reports no
# socket error and no non-2xx response, and the idle connections did not
# block anyone. Sends traffic only to 127.0.0.1.
#
#   bash scripts/serve-load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
conns=${2:-200}
command -v wrk >/dev/null || { echo "serve-load: wrk is missing (apt-get install wrk)"; exit 2; }
cargo build --release --quiet
site=$(mktemp -d)
cp -r example-site/. "$site"
rm -rf "$site/public" "$site/notices"
log=$(mktemp)
./target/release/candor serve "$site" --port 0 >"$log" 2>&1 &
serve=$!
cleanup() { kill "$serve" 2>/dev/null || true; kill "${editor:-0}" "${idle:-0}" 2>/dev/null || true; rm -rf "$site" "$log"; }
trap cleanup EXIT
for _ in $(seq 50); do grep -q http "$log" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | head -1)
port=${url##*:}; port=${port%/}
echo "serve-load: $url, $conns connections for ${secs}s, an edit every 50 ms, 50 idle connections"

# 50 connections that connect and never send a byte.
python3 - "$port" "$secs" <<'PY' &
import socket, sys, time
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(50)]
time.sleep(int(sys.argv[2]) + 5)
PY
idle=$!

# An author saving an update every 50 ms.
update="$site/content/incidents/customer-database-2026/2026-11-20-1700-scam-warning.md"
(n=0; end=$((SECONDS + secs)); while [ $SECONDS -lt $end ]; do n=$((n + 1)); printf '\nEdit %s.\n' "$n" >> "$update"; sleep 0.05; done) &
editor=$!

rss_before=$(awk '/VmRSS/ {print $2}' /proc/$serve/status)
out=$(wrk -t2 -c"$conns" -d"${secs}s" --timeout 5s "${url}incidents/customer-database-2026/")
echo "$out"
rss_after=$(awk '/VmRSS/ {print $2}' /proc/$serve/status)
rebuilds=$(grep -c '^rebuilt' "$log" || true)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
errors=$(echo "$out" | awk '/Socket errors/ {s=0; for (i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) s+=$i; print s}')
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
errors=${errors:-0}; non2xx=${non2xx:-0}
# A fresh request still answers while the idle connections are held.
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${url}faq/")
echo "serve-load: requests=$requests socket_errors=$errors non_2xx=$non2xx rebuilds=$rebuilds rss_kb=$rss_before->$rss_after fresh_request=$code"
[ "$errors" = 0 ] && [ "$non2xx" = 0 ] && [ "$code" = 200 ] && [ "$rebuilds" -gt 0 ]
