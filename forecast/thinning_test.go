package forecast

import (
	"context"
	"math"
	"testing"
)

// TestLeversThinning: in a run of epochs whose hazards differ a child draws
// its events at the run's highest hazard and keeps each with probability
// (the epoch's hazard) / (the highest) instead of crossing every epoch.
// Both are exact, so they must agree within Monte Carlo error; and with
// thinTol = 1 (runs of equal hazards only) the projection is, byte for
// byte, the one the simulator gave before thinning (TestLeversGolden's
// levers digest of 7 December 2026).
func TestLeversThinning(t *testing.T) {
	defer func(v float64) { thinTol = v }(thinTol)
	m, opt := leversEveryKind(t, 100)
	// the levers make thinned runs (recruit_foster's redirect, whose share
	// changes every month, changes the move hazard out of in-house
	// fostering a little each month)
	s := m.newSimulator(5)
	thin := 0
	for _, cm := range m.Councils {
		for _, v := range s.prepare(cm, 1, opt.Levers[cm.Council]).runThin {
			if v {
				thin++
			}
		}
	}
	if thin == 0 {
		t.Fatal("no run of unequal hazards: the test does not test thinning")
	}
	thinTol = 1
	p, err := Simulate(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	const before = "41d85accb96e8671bff235a8eaf7b1e00a13a44135f86d82f4e73a073b5be909"
	if d := projectionDigest(t, p); d != before {
		t.Fatalf("with thinTol = 1 the projection is not the one crossing every epoch gave: %s, want %s", d, before)
	}

	// the two ways, independent seeds, 1,000 simulations each: every
	// council's stock by group at 1, 3 and 5 years, and its entries and
	// exits by reason over the 5 years, within 4 standard errors
	const sims = 1000
	run := func(tol float64, seed uint64) *Projection {
		thinTol = tol
		o := opt
		o.Sims, o.Seed, o.KeepSims, o.SimsOnly = sims, seed, false, true
		p, err := Simulate(context.Background(), m, o)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	exact, thinned := run(1, 11), run(1.5, 12)
	ng := len(m.Groups)
	rows, K := SimRows(ng), len(exact.Months)
	stats := func(cp *CouncilProjection, f func(sim []int32) float64) (mean, v float64) {
		for i := 0; i < sims; i++ {
			x := f(cp.Sims[i*rows*K : (i+1)*rows*K])
			mean += x
			v += x * x
		}
		mean /= sims
		return mean, (v/sims - mean*mean) / sims
	}
	worst, n := 0.0, 0
	for ci := range exact.Councils {
		var figures []func([]int32) float64
		for g := 0; g < ng; g++ {
			for _, k := range []int{12, 36, 60} {
				figures = append(figures, func(sim []int32) float64 { return float64(sim[g*K+k]) })
			}
		}
		for r := ng; r < rows; r++ { // entries, exits by reason, age18
			figures = append(figures, func(sim []int32) float64 {
				tot := 0
				for _, v := range sim[r*K : (r+1)*K] {
					tot += int(v)
				}
				return float64(tot)
			})
		}
		for fi, f := range figures {
			m1, v1 := stats(exact.Councils[ci], f)
			m2, v2 := stats(thinned.Councils[ci], f)
			if v1+v2 == 0 {
				if m1 != m2 {
					t.Errorf("council %d figure %d: %.3f crossing epochs, %.3f thinned, no variance", ci, fi, m1, m2)
				}
				continue
			}
			z := math.Abs(m1-m2) / math.Sqrt(v1+v2)
			worst, n = max(worst, z), n+1
			if z > 4 {
				t.Errorf("council %d figure %d: mean %.3f crossing epochs, %.3f thinned (z = %.1f)", ci, fi, m1, m2, z)
			}
		}
	}
	t.Logf("%d figures, largest |z| %.2f", n, worst)
}
