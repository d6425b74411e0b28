#!/usr/bin/env bash
# bench/soak.sh — issue 14, item 6: the load and soak test of the JSON API on PostgreSQL with two app servers.
#
#   SUFFICIENCY_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable bash bench/soak.sh [DURATION] [OUT]
#
# Builds sufficiency, then runs bench/soak (see its doc comment: a database of its own on that server, two
# `sufficiency serve` processes, readers and offer races through a client-side round robin) for DURATION (default
# 10m) after a 30 s warm-up, and writes the report to OUT (default /tmp/sufficiency-soak.txt) with /usr/bin/time's
# figures for the whole run. Exits non-zero when the soak found a problem (a failed request, a double booking,
# leaked connections or goroutines, memory growing). Record the figures in docs/BENCHMARKS.md with the load average
# it prints: on a shared machine the CPU seconds per request are the figure to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10m}
OUT=${2:-/tmp/sufficiency-soak.txt}
: "${SUFFICIENCY_TEST_PG:?set SUFFICIENCY_TEST_PG to a PostgreSQL server URL}"
BIN=$(mktemp -d)/sufficiency
go build -o "$BIN" ./cmd/sufficiency
go build -o "$BIN-soak" ./bench/soak
echo "== soak $DURATION (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee "$OUT"
/usr/bin/time -f "soak process: wall %e s, user %U s, sys %S s, max RSS %M KB" \
	"$BIN-soak" --pg "$SUFFICIENCY_TEST_PG" --bin "$BIN" --duration "$DURATION" --warmup 30s --readers "${READERS:-12}" --flows "${FLOWS:-4}" 2>&1 | tee -a "$OUT"
