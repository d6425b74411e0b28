#!/usr/bin/env bash
# bench/scale.sh — issue 14: whole commands on a database of all England, as a user waits for them.
#
#   bash bench/scale.sh [CACHE] [OUT]
#
# Builds all of England once and keeps it in CACHE (default /tmp/sufficiency-scale, outside the repository):
# CACHE/england (synth: 153 councils, 2015–2025, seed 1) and CACHE/england.db (SQLite, imported with one
# `sufficiency import CACHE/england` plus the supply). Later runs reuse both; delete CACHE to rebuild. Then times,
# as whole processes with /usr/bin/time (wall, CPU, max RSS), each command of the issue's table, and writes
# everything to OUT (default CACHE/out). It records the load average before each step: on a shared machine read
# the CPU seconds (user + sys), which do not depend on neighbours, beside the wall time.
# With SUFFICIENCY_TEST_PG set it also imports England into that PostgreSQL database (a schema of its own) and
# times the same reads there.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${1:-/tmp/sufficiency-scale}
OUT=${2:-$CACHE/out}
mkdir -p "$CACHE" "$OUT"
BIN="$OUT/sufficiency"
go build -o "$BIN" ./cmd/sufficiency

step() { # step NAME COMMAND...
	local name=$1
	shift
	echo "== $name  (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee "$OUT/$name.txt"
	/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" "$@" >"$OUT/$name.out" 2>>"$OUT/$name.txt" || echo "FAILED: $name" | tee -a "$OUT/$name.txt"
	tail -n 1 "$OUT/$name.txt"
}

# A cached output of another generator version is made again (and the database imported from it): the
# same seed gives other files, which the current rules may refuse.
want=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' synth/generate.go)
if [ -f "$CACHE/england/manifest.json" ] && ! grep -q "\"generator\": \"$want\"" "$CACHE/england/manifest.json"; then
	echo "== $CACHE/england is not $want: made again"
	rm -rf "$CACHE/england" "$CACHE/england.db"
fi
if [ ! -f "$CACHE/england/manifest.json" ]; then
	step synth-england "$BIN" synth --out "$CACHE/england"
fi
if [ ! -f "$CACHE/england.db" ]; then
	rm -f "$CACHE/england.db.tmp"*
	step import-england "$BIN" import "$CACHE/england" --db "$CACHE/england.db.tmp"
	step import-supply "$BIN" import-supply "$CACHE/england/supply" --db "$CACHE/england.db.tmp"
	mv "$CACHE/england.db.tmp" "$CACHE/england.db"
fi

reads() { # reads DB SUFFIX
	step "picture-la$2" "$BIN" picture --la E08000003 --db "$1"
	step "picture-region$2" "$BIN" picture --region "North West" --db "$1"
	step "picture-england$2" "$BIN" picture --region England --db "$1"
	step "market-region$2" "$BIN" market --region "North West" --db "$1"
	step "review-region$2" "$BIN" review --region "North West" --db "$1"
}
reads "$CACHE/england.db" ""

if [ -n "${SUFFICIENCY_TEST_PG:-}" ]; then
	PG="${SUFFICIENCY_TEST_PG}"
	schema=scale_bench
	psql "$PG" -qc "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
	sep='?'
	case "$PG" in *\?*) sep='&' ;; esac
	URL="$PG${sep}search_path=$schema"
	step import-england-pg "$BIN" import "$CACHE/england" --db "$URL"
	step import-supply-pg "$BIN" import-supply "$CACHE/england/supply" --db "$URL"
	reads "$URL" "-pg"
fi
echo "all outputs in $OUT"
