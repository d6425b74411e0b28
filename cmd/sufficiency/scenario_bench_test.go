package main

import (
	"os"
	"testing"
)

// BenchmarkScenarioRegion runs a regional scenario file as the whole
// command on a database of all England: SUFFICIENCY_BENCH_DB names the
// database and SUFFICIENCY_BENCH_SCENARIO the file (skipped without them).
// docs/BENCHMARKS.md records the figures.
func BenchmarkScenarioRegion(b *testing.B) {
	db, file := os.Getenv("SUFFICIENCY_BENCH_DB"), os.Getenv("SUFFICIENCY_BENCH_SCENARIO")
	if db == "" || file == "" {
		b.Skip("set SUFFICIENCY_BENCH_DB and SUFFICIENCY_BENCH_SCENARIO")
	}
	for i := 0; i < b.N; i++ {
		if err := runErr("scenario", file, "--db", db, "--no-save", "--format", "json"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSiteHomesEngland chooses 10 homes over every postcode district
// in England for England's children in children's homes, as the whole
// command, on SUFFICIENCY_BENCH_DB (skipped without it).
func BenchmarkSiteHomesEngland(b *testing.B) {
	db := os.Getenv("SUFFICIENCY_BENCH_DB")
	if db == "" {
		b.Skip("set SUFFICIENCY_BENCH_DB")
	}
	for i := 0; i < b.N; i++ {
		if err := runErr("site-homes", "--region", "England", "--england", "--homes", "10", "--places", "4", "--db", db); err != nil {
			b.Fatal(err)
		}
	}
}
