package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSoak runs a short soak (SUFFICIENCY_SOAK_DURATION, default 20 s, after a
// 5 s warm-up) against the PostgreSQL server of SUFFICIENCY_TEST_PG, with the
// sufficiency binary built from this tree, and fails on any of the soak's
// problems: a failed request, a race not won exactly once, a double booking
// in the database, leaked connections or goroutines (memory is judged only
// in runs of 2 minutes or more). Its
// speed is reported (go test -v), never judged: bench/soak.sh runs the long
// soak whose figures go in docs/BENCHMARKS.md.
func TestSoak(t *testing.T) {
	pg := os.Getenv("SUFFICIENCY_TEST_PG")
	if pg == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("SUFFICIENCY_TEST_PG is not set in CI")
		}
		t.Skip("SUFFICIENCY_TEST_PG is not set: skipping the soak")
	}
	if testing.Short() {
		t.Skip("-short: skipping the soak")
	}
	d := 20 * time.Second
	if s := os.Getenv("SUFFICIENCY_SOAK_DURATION"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			t.Fatalf("SUFFICIENCY_SOAK_DURATION: %v", err)
		}
	}
	bin := filepath.Join(t.TempDir(), "sufficiency")
	if err := buildBinary(bin); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	rep, err := run(context.Background(), options{PG: pg, Bin: bin, Duration: d, Warmup: 5 * time.Second, Readers: 8, Flows: 3}, &log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	var out bytes.Buffer
	rep.write(&out)
	t.Log("\n" + out.String())
	for _, p := range rep.Problems {
		t.Error(p)
	}
}

// TestCPUGrowth checks the backends' CPU sum: growth of those in both
// samples, all of a new one, nothing of one gone.
func TestCPUGrowth(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	before := map[int]time.Duration{10: ms(100), 11: ms(50), 12: ms(70)}
	after := map[int]time.Duration{10: ms(160), 11: ms(50), 13: ms(30)}
	if got, want := cpuGrowth(before, after), ms(90); got != want {
		t.Errorf("growth %s, want %s", got, want)
	}
	if got := cpuGrowth(nil, nil); got != 0 {
		t.Errorf("no backends: %s", got)
	}
}
