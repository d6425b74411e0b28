#!/usr/bin/env bash
# Mutation testing with gremlins (https://gremlins.dev), one package at a
# time, and the efficacy table in docs/TESTING.md.
#
#   bench/mutation.sh                    the core packages, one after another
#   bench/mutation.sh care picture       only these (their rows are replaced)
#   bench/mutation.sh --table            rebuild the table from the stored results
#   CASES_ONLY=1 bench/mutation.sh care  only the case-expression mutants of the stored
#                                        report (the tree must be at its commit)
#   bench/mutation.sh --changed main     pre-merge: the packages whose code changed since main,
#                                        only mutants on the changed lines; fails when one
#                                        survives that bench/mutation/equivalent.txt does not
#                                        explain
#   DIFF=main bench/mutation.sh picture  only mutants on lines changed since main, for these
#
# Environment: WORKERS (default 1) and TIMEOUT_COEF (default 10) are passed
# to gremlins as --workers and --timeout-coefficient; each test run gets one
# CPU (--test-cpu 1). On a shared machine keep WORKERS at 1: a mutant's test
# run compiles the package, and a loaded machine makes slow runs look like
# timeouts (a timeout counts as killed, so a higher coefficient keeps the
# figure honest). GREMLINS names the binary (default: gremlins on PATH, else
# $(go env GOPATH)/bin/gremlins, installed at the pinned version if absent).
#
# Results: bench/mutation/results/PKG.json (gremlins' own report),
# PKG.cases.json (the mutants in case expressions, which gremlins reports
# "not covered" without running them, run by go run ./bench/mutation -cases)
# and PKG.log; the table is written between the markers in docs/TESTING.md by
# `go run ./bench/mutation`, which also lists every surviving mutant and,
# for those judged equivalent in bench/mutation/equivalent.txt, why.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

GREMLINS_VERSION=v0.6.0
CORE=(care tabular review picture market match/assign offers auth match ssda903 ssda903/rules forecast)
WORKERS=${WORKERS:-1}
TIMEOUT_COEF=${TIMEOUT_COEF:-10}
OUT=bench/mutation/results
# gremlins times each mutant's test run against its first, coverage, run of
# the package's tests; a cached result would make that near zero and every
# mutant a "timeout" (counted as killed). -count=1 makes it a real run.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"

table() { go run ./bench/mutation -results "$OUT" -equivalent bench/mutation/equivalent.txt -doc docs/TESTING.md; }

if [ "${1:-}" = "--table" ]; then table; exit 0; fi
if [ "${1:-}" = "--changed" ]; then
  base=${2:-main}
  # Packages (directories) with non-test Go code changed since base, generated
  # and command packages aside.
  mapfile -t changed < <(git diff --merge-base --name-only "$base" -- '*.go' | grep -v '_test\.go$' |
    grep -v -E '^(cmd|bench|internal|web/static)/' | xargs -r -n1 dirname | sort -u)
  if [ ${#changed[@]} -eq 0 ]; then echo "no package code changed since $base" >&2; exit 0; fi
  DIFF=$base "$0" "${changed[@]}"
  exit $?
fi

GREMLINS=${GREMLINS:-$(command -v gremlins || true)}
if [ -z "$GREMLINS" ]; then
  GREMLINS="$(go env GOPATH)/bin/gremlins"
  [ -x "$GREMLINS" ] || go install "github.com/go-gremlins/gremlins/cmd/gremlins@$GREMLINS_VERSION"
fi

pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=("${CORE[@]}")
mkdir -p "$OUT"
failed=
for p in "${pkgs[@]}"; do
  p=${p#./}; p=${p%/}
  name=$(printf '%s' "$p" | tr / _)
  if [ -n "${CASES_ONLY:-}" ]; then
    go run ./bench/mutation -results "$OUT" -cases "$p" -timeout-coefficient "$TIMEOUT_COEF" || exit 1
    continue
  fi
  # -E /: only the package's own files. gremlins walks the directory tree,
  # so ./match would also mutate ./match/assign (run against match's tests)
  # and ./ssda903 all of ./ssda903/rules; each package has its own row.
  args=(unleash --workers "$WORKERS" --test-cpu 1 --timeout-coefficient "$TIMEOUT_COEF" -E / -o "$ROOT/$OUT/$name.json.tmp")
  [ -z "${DIFF:-}" ] || args+=(--diff "$DIFF")
  echo "== gremlins ./$p ($(date -u +%H:%M:%S) UTC)" >&2
  start=$(date +%s)
  # gremlins runs in the package's directory: it names mutants by file
  # relative to it, so git must name the changed files the same way for
  # --diff (diff.relative; gremlins' own git diff cannot be given --relative).
  if (cd "$p" && GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=diff.relative GIT_CONFIG_VALUE_0=true \
      "$GREMLINS" "${args[@]}") >"$OUT/$name.log" 2>&1; then
    if [ -z "${DIFF:-}" ]; then
      mv "$OUT/$name.json.tmp" "$OUT/$name.json"
      # gremlins never runs the mutants in a switch's case expressions (Go's
      # coverage leaves them out): run them here, in the same tree.
      rm -f "$OUT/$name.cases.json"
      echo "== case-expression mutants of ./$p ($(date -u +%H:%M:%S) UTC)" >&2
      go run ./bench/mutation -results "$OUT" -cases "$p" -timeout-coefficient "$TIMEOUT_COEF" 2>>"$OUT/$name.log" ||
        { echo "the case-expression mutants of ./$p failed: see $OUT/$name.log" >&2; exit 1; }
      printf '%s\t%s\t%s\n' "$(git rev-parse --short HEAD)" "$(date -u +%Y-%m-%d)" "$(( $(date +%s) - start ))" >"$OUT/$name.meta"
    else
      # A diff run checks the change; it does not replace the package's figure.
      mv "$OUT/$name.json.tmp" "$OUT/$name.diff.json"
    fi
  else
    echo "gremlins failed on ./$p: see $OUT/$name.log" >&2
    rm -f "$OUT/$name.json.tmp"
    exit 1
  fi
  tail -5 "$OUT/$name.log" >&2
  if [ -n "${DIFF:-}" ]; then
    go run ./bench/mutation -check "$OUT/$name.diff.json" -equivalent bench/mutation/equivalent.txt || failed=1
  fi
done
[ -z "${failed:-}" ] || exit 1
[ -n "${DIFF:-}" ] || table
