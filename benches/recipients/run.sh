#!/usr/bin/env bash
# Personal letters and emails at scale: `candor notices --recipients` against
# the usual mail merge (peer.py: Jinja2 and Python's email library), on the
# same generated recipients of the example site, in the same run.
#
#   bash benches/recipients/run.sh                 # 1,000, 100,000 and 1,000,000 people
#   SIZES="1000 100000" PEER_MAX=100000 bash benches/recipients/run.sh
#
# Output goes to BENCH_DIR (default: a folder under /var/tmp, on disk: a
# million people's letters and emails are about 20 GB). Wall time and peak
# RSS come from GNU time (Debian's `time` package). The peer runs up to
# PEER_MAX people (default 100,000; it takes minutes a hundred thousand).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${SIZES:-"1000 100000 1000000"}
PEER_MAX=${PEER_MAX:-100000}
BENCH_DIR=${BENCH_DIR:-/var/tmp/candor-bench-recipients}
cargo build --release -q
candor=$PWD/target/release/candor
python3 -c "import jinja2" 2>/dev/null || { echo "peer needs Jinja2: pip install jinja2"; exit 2; }
mkdir -p "$BENCH_DIR"
site="$BENCH_DIR/site"
rm -rf "$site"; cp -r example-site "$site"; rm -rf "$site/public" "$site/notices" "$site/mailing"
"$candor" build "$site" -q --now 2026-12-01T12:00:00Z
measure() { # label, command...: prints "label seconds peak_MiB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time" "$@" > /dev/null
  read -r secs kb < "$BENCH_DIR/time"
  echo "$label $secs $((kb / 1024))"
}
printf "%-10s %-8s %10s %10s %10s\n" people tool seconds "peak MiB" "output"
for n in $SIZES; do
  python3 benches/recipients/generate.py "$n" > "$BENCH_DIR/people.csv"
  rm -rf "$site/mailing"
  read -r _ secs mib < <(measure candor "$candor" notices "$site" --recipients "$BENCH_DIR/people.csv" -q --now 2026-12-01T12:00:00Z)
  size=$(du -sh "$site/mailing" | cut -f1)
  printf "%-10s %-8s %10s %10s %10s\n" "$n" candor "$secs" "$mib" "$size"
  rm -rf "$site/mailing"
  if [ "$n" -le "$PEER_MAX" ]; then
    rm -rf "$BENCH_DIR/peer"
    read -r _ psecs pmib < <(measure peer python3 benches/recipients/peer.py "$site" "$BENCH_DIR/people.csv" "$BENCH_DIR/peer")
    psize=$(du -sh "$BENCH_DIR/peer" | cut -f1)
    printf "%-10s %-8s %10s %10s %10s   candor/peer %.2f\n" "$n" peer "$psecs" "$pmib" "$psize" "$(echo "$secs / $psecs" | bc -l)"
    rm -rf "$BENCH_DIR/peer"
  fi
done
