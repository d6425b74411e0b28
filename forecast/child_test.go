package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"sufficiency/care"
)

var testOrigin = care.Date(2025, 3, 31)

// pooledRate returns the pooled hazard per year of an exit reason (r ≥ 0) or
// of any move (r < 0), over all cells.
func pooledRate(m *Model, r int) float64 {
	ev, exp := 0.0, 0.0
	for c, e := range m.Pooled.Exposure {
		exp += e
		if r >= 0 {
			ev += m.Pooled.ExitCount[c*len(ExitReasons)+r]
		} else {
			for g := 0; g < m.NumGroups(); g++ {
				ev += m.Pooled.MoveCount[c*m.NumGroups()+g]
			}
		}
	}
	return ev / exp * 365.25
}

func TestFitRecoversKnownRates(t *testing.T) {
	p := defaultProcess(3000)
	children, episodes := p.generate(rand.New(rand.NewPCG(1, 2)), "E06000001", testOrigin.AddDate(-12, 0, 0), testOrigin)
	m, err := Fit(children, episodes, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for r, want := range p.exitPerDay {
		got := pooledRate(m, r)
		if math.Abs(got/(want*365.25)-1) > 0.08 {
			t.Errorf("exit %s: %.4f a year, generator %.4f", ExitReasons[r], got, want*365.25)
		}
	}
	if got, want := pooledRate(m, -1), p.movePerDay*365.25; math.Abs(got/want-1) > 0.08 {
		t.Errorf("moves: %.4f a year, generator %.4f", got, want)
	}
	entries := 0
	for _, e := range m.Councils[0].Entries {
		entries += e.Count
	}
	if got, want := float64(entries)/2, 3000.0; math.Abs(got/want-1) > 0.05 {
		t.Errorf("entries %.0f a year, generator %.0f", got, want)
	}
}

func TestSimulationRecoversGeneratorStock(t *testing.T) {
	// A projection from a steady state should stay near the generator's own
	// continuation of it.
	p := defaultProcess(1500)
	children, episodes := p.generate(rand.New(rand.NewPCG(3, 4)), "E06000002", testOrigin.AddDate(-14, 0, 0), testOrigin.AddDate(2, 0, 0))
	m, err := Fit(children, episodes, Config{Origin: testOrigin})
	if err != nil {
		t.Fatal(err)
	}
	proj, err := Simulate(context.Background(), m, SimOptions{Years: 2, Sims: 200, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	// what the generator actually had in care two years on
	end := testOrigin.AddDate(2, 0, 0)
	end = monthEnd(testOrigin, 24)
	actual := 0
	for _, e := range episodes {
		if e.Covers(end) {
			actual++
		}
	}
	tot := proj.RollUp.Total
	t.Logf("start %.0f, projected P10 %.0f P50 %.0f P90 %.0f at %s; generator %d", tot.Mean[0], tot.P10[24], tot.P50[24], tot.P90[24], proj.Months[24].Format(time.DateOnly), actual)
	if float64(actual) < tot.P10[24]*0.97 || float64(actual) > tot.P90[24]*1.03 {
		t.Errorf("generator's stock %d outside the projected 80%% interval %.0f–%.0f", actual, tot.P10[24], tot.P90[24])
	}
}
