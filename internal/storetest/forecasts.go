package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// RunForecastContract runs the contract of store.ForecastStore. newStore must
// return a new, empty store that also implements store.ForecastStore; the
// store is closed when each sub-test ends.
func RunForecastContract(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store, fs store.ForecastStore)
	}{
		{"SaveAndRead", testForecastSaveAndRead},
		{"ListAndFilter", testForecastList},
		{"RecordKeptByteForByte", testForecastLargeRecord},
		{"ErrNotFound", testForecastNotFound},
		{"ErrInvalid", testForecastInvalid},
		{"NotAudited", testForecastNotAudited},
		{"ConcurrentSaves", testForecastConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t, newStore)
			fs, ok := st.(store.ForecastStore)
			if !ok {
				t.Fatalf("%T does not implement store.ForecastStore", st)
			}
			tt.fn(t, st, fs)
		})
	}
}

// forecastFixture is a saved forecast as a caller would give it.
func forecastFixture(mode string, councils ...string) store.SavedForecast {
	return store.SavedForecast{
		Mode: mode, Scope: fmt.Sprint(councils), Councils: councils,
		Origin: care.Date(2025, time.March, 31), Years: 3, Sims: 1000, Seed: 42,
		ReferenceStart: care.Date(2023, time.April, 1), ReferenceEnd: care.Date(2025, time.March, 31),
		ModelVersion: "childsim-3", InputsDigest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Record: []byte("\x1f\x8b\x08\x00 not really gzip \x00\xff" + mode),
	}
}

func mustSaveForecast(tb testing.TB, fs store.ForecastStore, ctx context.Context, f store.SavedForecast) store.SavedForecast {
	tb.Helper()
	got, err := fs.SaveForecast(ctx, f)
	if err != nil {
		tb.Fatalf("SaveForecast(%s %v): %v", f.Mode, f.Councils, err)
	}
	return got
}

// sameForecast compares everything but ID, At and Actor (set by the store)
// and Record when listing.
func sameForecast(tb testing.TB, what string, got, want store.SavedForecast, withRecord bool) {
	tb.Helper()
	g, w := got, want
	g.ID, g.At, g.Actor, w.ID, w.At, w.Actor = 0, time.Time{}, "", 0, time.Time{}, ""
	if !withRecord {
		if g.Record != nil {
			tb.Errorf("%s: a listed forecast carries its record (%d bytes); lists leave it out", what, len(g.Record))
		}
		w.Record = nil
	}
	diff(tb, what, g, w)
}

func testForecastSaveAndRead(t *testing.T, _ store.Store, fs store.ForecastStore) {
	before := time.Now().Add(-time.Minute)
	a := forecastFixture("simulate", "E08000003", "E08000001")
	sa := mustSaveForecast(t, fs, ctxAs("analyst"), a)
	if sa.ID <= 0 || sa.Actor != "analyst" || sa.At.Before(before) || sa.At.After(time.Now().Add(time.Minute)) ||
		sa.At.Location() != time.UTC || sa.At.Nanosecond()%1000 != 0 {
		t.Fatalf("saved: id %d, actor %q, at %v (want a new id, the context's actor, now in UTC to the microsecond)", sa.ID, sa.Actor, sa.At)
	}
	// an actor given with the forecast wins over the context's
	b := forecastFixture("published")
	b.Actor, b.Seed, b.Sims, b.ReferenceStart, b.ReferenceEnd = "lead", 0, 0, time.Time{}, time.Time{}
	sb := mustSaveForecast(t, fs, ctxAs("analyst"), b)
	if sb.ID <= sa.ID || sb.Actor != "lead" {
		t.Fatalf("second forecast: id %d after %d, actor %q (want a larger id, actor lead)", sb.ID, sa.ID, sb.Actor)
	}
	for _, want := range []store.SavedForecast{sa, sb} {
		got, err := fs.Forecast(ctxAs("reader"), want.ID)
		if err != nil {
			t.Fatalf("Forecast(%d): %v", want.ID, err)
		}
		if got.ID != want.ID || !got.At.Equal(want.At) || got.At.Location() != time.UTC || got.Actor != want.Actor {
			t.Errorf("Forecast(%d): id %d, at %v, actor %q; saved as %v by %q", want.ID, got.ID, got.At, got.Actor, want.At, want.Actor)
		}
		sameForecast(t, fmt.Sprintf("forecast %d", want.ID), got, want, true)
	}
}

func testForecastList(t *testing.T, _ store.Store, fs store.ForecastStore) {
	ctx := ctxAs("storetest")
	if got, err := fs.Forecasts(ctx, store.ForecastFilter{}); err != nil || len(got) != 0 {
		t.Fatalf("empty store lists %v, %v", got, err)
	}
	saved := []store.SavedForecast{
		mustSaveForecast(t, fs, ctx, forecastFixture("simulate", "E08000003")),
		mustSaveForecast(t, fs, ctx, forecastFixture("markov", "E08000001", "E08000003")),
		mustSaveForecast(t, fs, ctx, forecastFixture("published", "E06000001")),
		mustSaveForecast(t, fs, ctx, forecastFixture("simulate")), // no councils named
	}
	cases := []struct {
		name   string
		filter store.ForecastFilter
		want   []int // indexes into saved
	}{
		{"All", store.ForecastFilter{}, []int{0, 1, 2, 3}},
		{"Council", store.ForecastFilter{Council: "E08000003"}, []int{0, 1}},
		{"CouncilOfOne", store.ForecastFilter{Council: "E06000001"}, []int{2}},
		{"UnknownCouncil", store.ForecastFilter{Council: "E99999999"}, nil},
		{"Mode", store.ForecastFilter{Mode: "simulate"}, []int{0, 3}},
		{"CouncilAndMode", store.ForecastFilter{Council: "E08000003", Mode: "markov"}, []int{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := fs.Forecasts(ctx, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("%d forecasts, want %d: %+v", len(got), len(c.want), got)
			}
			for i, k := range c.want {
				if got[i].ID != saved[k].ID || got[i].Actor != saved[k].Actor || !got[i].At.Equal(saved[k].At) {
					t.Errorf("forecast %d: id %d at %v by %q, want id %d at %v by %q", i, got[i].ID, got[i].At, got[i].Actor, saved[k].ID, saved[k].At, saved[k].Actor)
				}
				sameForecast(t, fmt.Sprintf("listed forecast %d", got[i].ID), got[i], saved[k], false)
			}
		})
	}
}

func testForecastLargeRecord(t *testing.T, _ store.Store, fs store.ForecastStore) {
	// every byte value, and a record the size of a region's five-year
	// projection (a few megabytes)
	rec := make([]byte, 3<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range rec {
		rec[i] = byte(rng.Uint32())
	}
	f := forecastFixture("simulate", "E08000003")
	f.Record = rec
	s := mustSaveForecast(t, fs, ctxAs("storetest"), f)
	got, err := fs.Forecast(ctxAs("storetest"), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Record, rec) {
		t.Fatalf("record of %d bytes came back as %d bytes, not byte for byte", len(rec), len(got.Record))
	}
}

func testForecastNotFound(t *testing.T, _ store.Store, fs store.ForecastStore) {
	s := mustSaveForecast(t, fs, ctxAs("storetest"), forecastFixture("simulate", "E08000003"))
	for _, id := range []int64{0, -1, s.ID + 1} {
		if _, err := fs.Forecast(ctxAs("storetest"), id); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("Forecast(%d): %v, want ENOTFOUND", id, err)
		}
	}
}

func testForecastInvalid(t *testing.T, _ store.Store, fs store.ForecastStore) {
	cases := []struct {
		name   string
		change func(f *store.SavedForecast)
	}{
		{"ErrNoMode", func(f *store.SavedForecast) { f.Mode = "" }},
		{"ErrNoModelVersion", func(f *store.SavedForecast) { f.ModelVersion = " " }},
		{"ErrNoDigest", func(f *store.SavedForecast) { f.InputsDigest = "" }},
		{"ErrNoRecord", func(f *store.SavedForecast) { f.Record = nil }},
		{"ErrNoYears", func(f *store.SavedForecast) { f.Years = 0 }},
		{"ErrNoOrigin", func(f *store.SavedForecast) { f.Origin = time.Time{} }},
		{"ErrRepeatedCouncil", func(f *store.SavedForecast) { f.Councils = []string{"E08000003", "E08000003"} }},
		{"ErrBlankCouncil", func(f *store.SavedForecast) { f.Councils = []string{""} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := forecastFixture("simulate", "E08000003")
			c.change(&f)
			if _, err := fs.SaveForecast(ctxAs("storetest"), f); care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("SaveForecast: %v, want EINVALID", err)
			}
		})
	}
	if got, err := fs.Forecasts(ctxAs("storetest"), store.ForecastFilter{}); err != nil || len(got) != 0 {
		t.Fatalf("after refused saves the store lists %d forecasts (%v), want none", len(got), err)
	}
}

func testForecastNotAudited(t *testing.T, st store.Store, fs store.ForecastStore) {
	MustImport(t, st, Fixture("E08000003", []int{2025}, 3, ""))
	n := auditLen(t, st)
	s := mustSaveForecast(t, fs, ctxAs("storetest"), forecastFixture("simulate", "E08000003"))
	if _, err := fs.Forecasts(ctxAs("storetest"), store.ForecastFilter{Council: "E08000003"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Forecast(ctxAs("storetest"), s.ID); err != nil {
		t.Fatal(err)
	}
	if m := auditLen(t, st); m != n {
		t.Fatalf("audit log grew from %d to %d entries on saving and reading a forecast (aggregate figures are not audited)", n, m)
	}
}

func testForecastConcurrent(t *testing.T, _ store.Store, fs store.ForecastStore) {
	const n = 8
	ids := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := fs.SaveForecast(ctxAs(fmt.Sprintf("user%d", i)), forecastFixture("simulate", fmt.Sprintf("E0800000%d", i)))
			ids[i], errs[i] = s.ID, err
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i := range ids {
		if errs[i] != nil {
			t.Fatalf("save %d: %v", i, errs[i])
		}
		if seen[ids[i]] {
			t.Fatalf("two concurrent saves were given id %d", ids[i])
		}
		seen[ids[i]] = true
		got, err := fs.Forecast(ctxAs("storetest"), ids[i])
		if err != nil || got.Actor != fmt.Sprintf("user%d", i) || len(got.Councils) != 1 || got.Councils[0] != fmt.Sprintf("E0800000%d", i) {
			t.Fatalf("forecast %d: %+v, %v", ids[i], got, err)
		}
	}
}
