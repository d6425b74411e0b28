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
//
// The redirect is in the cells' tables here (redirectAtDraw off), as it was
// when those bytes were taken: it is what makes the runs of unequal hazards.
func TestLeversThinning(t *testing.T) {
	defer func(v float64, d bool) { thinTol, redirectAtDraw = v, d }(thinTol, redirectAtDraw)
	redirectAtDraw = false
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
	n, worst := compareSims(t, m, exact, thinned, sims, "crossing epochs", "thinned")
	t.Logf("%d figures, largest |z| %.2f", n, worst)
}

// TestRedirectAtDraw: a redirect applied when a placement is drawn (a move
// redirected into the child's own group thrown away) and the same redirect
// in the cells' tables of an epoch a month are the same model, so with
// independent seeds they agree within Monte Carlo error; and at a draw the
// redirect whose share changes every month makes no epoch.
func TestRedirectAtDraw(t *testing.T) {
	defer func(d bool) { redirectAtDraw = d }(redirectAtDraw)
	m, opt := leversEveryKind(t, 100)
	s := m.newSimulator(5)
	for _, atDraw := range []bool{false, true} {
		redirectAtDraw = atDraw
		for _, cm := range m.Councils {
			sc := s.prepare(cm, 1, opt.Levers[cm.Council])
			// the levers' other schedules are the same every month
			if want := map[bool]int{false: 60, true: 1}[atDraw]; sc.ne != want {
				t.Fatalf("redirect at a draw %v, council %s: %d epochs, want %d", atDraw, cm.Council, sc.ne, want)
			}
			if (sc.redirects != nil) != atDraw {
				t.Fatalf("redirect at a draw %v: %d redirects at a draw", atDraw, len(sc.redirects))
			}
		}
	}
	const sims = 1000
	run := func(atDraw bool, seed uint64) *Projection {
		redirectAtDraw = atDraw
		o := opt
		o.Sims, o.Seed, o.KeepSims, o.SimsOnly = sims, seed, false, true
		p, err := Simulate(context.Background(), m, o)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tables, drawn := run(false, 21), run(true, 22)
	n, worst := compareSims(t, m, tables, drawn, sims, "redirect in the tables", "at a draw")
	t.Logf("%d figures, largest |z| %.2f", n, worst)
}

// compareSims compares two projections of m with sims simulations each
// (SimsOnly) made two ways that must give the same model: every council's
// stock by group at 1, 3 and 5 years, and its entries and exits by reason
// over the 5 years, must agree within 4 standard errors. It returns the
// number of figures compared and the largest |z|, and logs the mean of z²
// (about 1 when the two agree; the figures are not independent).
func compareSims(t *testing.T, m *Model, a, b *Projection, sims int, nameA, nameB string) (n int, worst float64) {
	t.Helper()
	exact, thinned := a, b
	z2 := 0.0
	defer func() { t.Logf("%s against %s: mean z² %.2f over %d figures", nameA, nameB, z2/float64(max(n, 1)), n) }()
	ng := len(m.Groups)
	rows, K := SimRows(ng), len(exact.Months)
	stats := func(cp *CouncilProjection, f func(sim []int32) float64) (mean, v float64) {
		for i := 0; i < sims; i++ {
			x := f(cp.Sims[i*rows*K : (i+1)*rows*K])
			mean += x
			v += x * x
		}
		ns := float64(sims)
		mean /= ns
		return mean, (v/ns - mean*mean) / ns
	}
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
					t.Errorf("council %d figure %d: %.3f %s, %.3f %s, no variance", ci, fi, m1, nameA, m2, nameB)
				}
				continue
			}
			z := math.Abs(m1-m2) / math.Sqrt(v1+v2)
			z2 += z * z
			worst, n = max(worst, z), n+1
			if z > 4 {
				t.Errorf("council %d figure %d: mean %.3f %s, %.3f %s (z = %.1f)", ci, fi, m1, nameA, m2, nameB, z)
			}
		}
	}
	return n, worst
}

// TestOneEpochPath: child1, which a council of one epoch is simulated with,
// gives the same projection byte for byte as child, for the baseline (no
// levers) and for levers of every kind (whose schedules, with the redirect
// at a draw, make one epoch), on both splits of the work.
func TestOneEpochPath(t *testing.T) {
	defer func(o bool) { oneEpochPath = o }(oneEpochPath)
	m, opt := leversEveryKind(t, 40)
	s := m.newSimulator(5)
	for _, cm := range m.Councils {
		if sc := s.prepare(cm, 1, opt.Levers[cm.Council]); sc.ne != 1 {
			t.Fatalf("council %s: %d epochs, want 1 (the test would not reach child1)", cm.Council, sc.ne)
		}
	}
	base := SimOptions{Years: 5, Sims: opt.Sims, Seed: 3, KeepSims: true}
	for _, o := range []SimOptions{base, opt} {
		for _, workers := range []int{1, 2} {
			o.Workers = workers
			var got [2]string
			for i, one := range []bool{false, true} {
				oneEpochPath = one
				p, err := Simulate(context.Background(), m, o)
				if err != nil {
					t.Fatal(err)
				}
				got[i] = projectionDigest(t, p)
			}
			if got[0] != got[1] {
				t.Fatalf("levers %v, workers %d: child gives %s, child1 %s", o.Levers != nil, workers, got[0], got[1])
			}
		}
	}
}
