#!/usr/bin/env bash
# bench/headline.sh — runs every benchmark of the summary table in docs/BENCHMARKS.md, one after another, and
# writes each one's output to OUT (default /tmp/sufficiency-bench). Run it on a quiet machine: it records the load
# average before each step so a reader can tell. Takes about ten minutes on the standard 2-core machine.
#
#   bash bench/headline.sh [OUT]
#
# Needs: Go; for the solver comparison /usr/bin/python3 with SciPy (Debian: apt-get install python3-scipy); for the
# whole-process validate timing hyperfine (apt-get install hyperfine). Steps whose tool is missing are skipped and
# say so. PostgreSQL steps run only when SUFFICIENCY_TEST_PG is set.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/sufficiency-bench}
mkdir -p "$OUT"
BIN="$OUT/sufficiency"
go build -o "$BIN" ./cmd/sufficiency

step() { # step NAME COMMAND...
	local name=$1
	shift
	echo "== $name  (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee "$OUT/$name.txt"
	/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" "$@" >>"$OUT/$name.txt" 2>&1 || echo "FAILED: $name" | tee -a "$OUT/$name.txt"
	tail -n 4 "$OUT/$name.txt"
}

# Issue 2: ingest.
step parse-validate-1m go test -run XXX -bench ParseValidate1M -benchtime 1x -count 3 ./ssda903/rules/
step read-xml go test ./ssda903 -run '^$' -bench 'ReadXML5000|ReadEpisodes5000|ReadCouncilYear' -benchtime 10x
step sqlite-import go test ./store/sqlite -run '^$' -bench Import -benchtime 1x
if command -v hyperfine >/dev/null; then
	SUFFICIENCY_BENCH_DIR="$OUT/benchcy" go test -count=1 -run WriteBench ./ssda903/rules/ >/dev/null
	step validate-process hyperfine -N -w 5 -r 40 -i "$BIN validate $OUT/benchcy/E08000003/2025"
else
	echo "== validate-process skipped: hyperfine is not installed"
fi

# Issue 3: synthetic England and its import.
rm -rf "$OUT/england" "$OUT/england.db"*
step synth-england "$BIN" synth --out "$OUT/england"
step import-england bash -c 'for d in "$1"/england/E*; do "$2" import "$d" --la "$(basename "$d")" --db "$1/england.db" >/dev/null || exit 1; done' _ "$OUT" "$BIN"

# Issue 4: child-level forecast of England, 1,000 simulations.
(cd forecast && go test -c -o "$OUT/forecast.test" .)
step forecast-england "$OUT/forecast.test" -test.run XXX -test.bench EnglandChildLevel -test.benchtime 1x -test.benchmem

# Issue 5: solvers against SciPy; one match over England's supply.
if /usr/bin/python3 -c 'import scipy' 2>/dev/null; then
	step assign-vs-scipy /usr/bin/python3 bench/assign/compare.py
else
	echo "== assign-vs-scipy skipped: /usr/bin/python3 has no SciPy (apt-get install python3-scipy)"
fi
step match-england go test -run XXX -bench SearchEngland -benchtime 300x -benchmem ./match

# Issue 6: picture, review, market.
step picture-england go test ./picture/ -run '^$' -bench PictureEngland -benchtime 3x
step review-region go test ./review/ -run '^$' -bench ReviewRegion -benchtime 5x
step market-england go test ./market/ -run '^$' -bench MarketEngland -benchtime 3x

# Issue 13: the sufficiency statement of a region, whole command, on the England database imported above.
for f in html pdf xlsx; do
	step "report-region-$f" "$BIN" report --region "North East" --format "$f" --out "$OUT/north-east.$f" --db "$OUT/england.db"
done
step report-council-html "$BIN" report --la Gateshead --format html --out "$OUT/gateshead.html" --db "$OUT/england.db"

# Web.
step web-api go test ./web -run '^$' -bench API -benchtime 200x

echo "all outputs in $OUT"
