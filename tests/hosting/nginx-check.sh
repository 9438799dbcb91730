#!/usr/bin/env bash
# Serve a built site with real nginx, configured by `candor hosting nginx`,
# and check with curl what a reader's browser gets: the security headers on
# every kind of file, the 404 page, the content types of the feed,
# status.json and security.txt, and the cache headers.
#
#   bash tests/hosting/nginx-check.sh CANDOR SITE_DIR
#
# DROP_CSP=1 removes the Content-Security-Policy lines from the generated
# configuration first: the check must then fail (.ci/run makes sure it does).
# Exit 0 all good, 1 a check failed, 2 nginx or curl is missing.
set -uo pipefail
candor=$1
site=$2
port=${PORT:-18089}
command -v nginx >/dev/null || { echo "nginx-check: nginx is missing (Debian: apt-get install nginx)"; exit 2; }
command -v curl >/dev/null || { echo "nginx-check: curl is missing"; exit 2; }
tmp=$(mktemp -d)
"$candor" hosting nginx --site "$site" --listen "127.0.0.1:$port" > "$tmp/candor.conf" || exit 2
if [ -n "${DROP_CSP:-}" ]; then sed -i '/Content-Security-Policy/d' "$tmp/candor.conf"; fi
cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
error_log $tmp/error.log;
pid $tmp/nginx.pid;
daemon off;
events {}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    include $tmp/candor.conf;
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

failures=0
checks=0
# check PATH STATUS HEADER-PATTERN... : the status, and each pattern among the headers.
check() {
  local path=$1 status=$2
  shift 2
  local headers
  headers=$(curl -s -D - -o "$tmp/body.out" "http://127.0.0.1:$port$path" | tr -d '\r')
  checks=$((checks + 1))
  if ! grep -q "^HTTP/[0-9.]* $status" <<<"$headers"; then
    echo "nginx-check: $path: not $status: $(head -1 <<<"$headers")"; failures=$((failures + 1)); return
  fi
  for pattern in "$@"; do
    if ! grep -qi "^$pattern" <<<"$headers"; then
      echo "nginx-check: $path: no header matching '$pattern'"; failures=$((failures + 1))
    fi
  done
}
security=("Content-Security-Policy: default-src 'none'" "X-Content-Type-Options: nosniff" "Referrer-Policy: strict-origin-when-cross-origin")
incident=$(ls "$site/public/incidents" | head -1)
check / 200 "${security[@]}" "Content-Type: text/html" "Cache-Control: public, max-age=60"
check /faq/ 200 "${security[@]}" "Content-Type: text/html"
check "/incidents/$incident/" 200 "${security[@]}" "Content-Type: text/html"
check /style.css 200 "${security[@]}" "Content-Type: text/css" "Cache-Control: public, max-age=3600"
check /feed.xml 200 "${security[@]}" "Content-Type: application/atom+xml" "Cache-Control: public, max-age=60"
check "/incidents/$incident/feed.xml" 200 "${security[@]}" "Content-Type: application/atom+xml"
check /status.json 200 "${security[@]}" "Content-Type: application/json" "Access-Control-Allow-Origin: \*" "Cache-Control: public, max-age=60"
check /.well-known/security.txt 200 "${security[@]}" "Content-Type: text/plain"
check /record.jsonl 200 "${security[@]}" "Content-Type: text/plain; charset=utf-8" "Access-Control-Allow-Origin: \*"
check /sitemap.xml 200 "${security[@]}"
check /no-such-page/ 404 "${security[@]}" "Content-Type: text/html"
if ! grep -q "Page not found" "$tmp/body.out"; then
  echo "nginx-check: /no-such-page/: the site's 404 page was not served"; failures=$((failures + 1))
fi
echo "nginx-check: $checks requests, $failures problems"
[ "$failures" -eq 0 ]
