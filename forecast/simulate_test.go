package forecast

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"

	"sufficiency/care"
)

func fittedSynthetic(t testing.TB, entriesPerYear float64) *Model {
	t.Helper()
	return fittedSyntheticN(t, entriesPerYear, 2)
}

func fittedSyntheticN(t testing.TB, entriesPerYear float64, councils int) *Model {
	t.Helper()
	p := defaultProcess(entriesPerYear)
	var children []care.Child
	var episodes []care.Episode
	for i := 0; i < councils; i++ {
		la := fmt.Sprintf("E060000%02d", 10+i)
		c, e := p.generate(rand.New(rand.NewPCG(uint64(i), 5)), la, testOrigin.AddDate(-10, 0, 0), testOrigin)
		children = append(children, c...)
		episodes = append(episodes, e...)
	}
	m, err := Fit(children, episodes, Config{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSimulatorInvariants checks every simulation's raw counts: no negative
// stocks, and conservation of children: stock(k) − stock(k−1) = entries(k) −
// exits(k) in every month.
func TestSimulatorInvariants(t *testing.T) {
	m := fittedSynthetic(t, 400)
	s := m.newSimulator(3)
	nS := s.nb * s.ng
	for _, cm := range m.Councils {
		sc := s.prepare(cm, 11, nil)
		wk := s.newWork()
		out := make([]int32, (nS+2+s.nr)*s.k)
		for sim := 0; sim < 20; sim++ {
			clear(out)
			s.run(sc, sim, wk, out)
			stock := func(k int) int32 {
				n := int32(0)
				for st := 0; st < nS; st++ {
					v := out[st*s.k+k]
					if v < 0 {
						t.Fatalf("sim %d month %d state %d: negative count %d", sim, k, st, v)
					}
					n += v
				}
				return n
			}
			if got := stock(0); got != int32(len(cm.Current)) {
				t.Fatalf("month 0 stock %d, want the %d children in care at the origin", got, len(cm.Current))
			}
			for k := 1; k < s.k; k++ {
				in := out[nS*s.k+k]
				exits := int32(0)
				for r := 0; r <= s.nr; r++ {
					exits += out[(nS+1+r)*s.k+k]
				}
				if d := stock(k) - stock(k-1); d != in-exits {
					t.Fatalf("sim %d month %d: stock changed by %d but entries − exits = %d − %d", sim, k, d, in, exits)
				}
			}
		}
	}
}

// TestChildrenAgeOutAt18: with no hazards at all, a child of 17½ leaves at
// 18 and is counted as an age18 exit in that month.
func TestChildrenAgeOutAt18(t *testing.T) {
	m := fittedSynthetic(t, 100)
	cm := m.Councils[0]
	for i := range cm.Move {
		cm.Move[i] = 0
	}
	for i := range cm.Exit {
		cm.Exit[i] = 0
	}
	cm.Entries = nil
	o := m.Config.Origin
	cm.Current = []InCare{{ID: "X", DOB: o.AddDate(-17, -6, 0), Group: 1, InGroupSince: o.AddDate(-1, 0, 0)}}
	p, err := Simulate(context.Background(), m, SimOptions{Years: 1, Sims: 5, Seed: 1, Only: []string{cm.Council}})
	if err != nil {
		t.Fatal(err)
	}
	tot := p.Councils[0].Total
	age18 := p.Councils[0].Exits[len(ExitReasons)]
	if age18.Name != "exit:age18" {
		t.Fatalf("last exit series %q", age18.Name)
	}
	for k := range tot.Mean {
		wantIn := 1.0
		if k >= 6 {
			wantIn = 0
		}
		if tot.Mean[k] != wantIn {
			t.Errorf("month %d (%s): %v in care, want %v", k, p.Months[k].Format("2006-01-02"), tot.Mean[k], wantIn)
		}
		wantOut := 0.0
		if k == 6 {
			wantOut = 1
		}
		if age18.Mean[k] != wantOut {
			t.Errorf("month %d: %v age-outs, want %v", k, age18.Mean[k], wantOut)
		}
	}
}

func TestSimulateReproducible(t *testing.T) {
	m := fittedSynthetic(t, 300)
	run := func(seed uint64, workers int) *Projection {
		p, err := Simulate(context.Background(), m, SimOptions{Years: 2, Sims: 40, Seed: seed, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c := run(7, 1), run(7, 2), run(8, 2)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different number of workers: results differ")
	}
	if reflect.DeepEqual(a.RollUp.Total, c.RollUp.Total) {
		t.Fatal("different seeds gave identical results")
	}
	// many councils: councils are shared out between workers instead
	m5 := fittedSyntheticN(t, 150, 5)
	costs := &Costs{Weekly: []float64{300, 500, 900, 5000, 1500, 0, 0, 6000}, Inflation: make([]float64, 8), Budget: []float64{1e6}}
	opt := SimOptions{Years: 1, Sims: 30, Seed: 4, Costs: costs}
	var outs []*Projection
	for _, w := range []int{1, 2, 3} {
		opt.Workers = w
		p, err := Simulate(context.Background(), m5, opt)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, p)
	}
	if !reflect.DeepEqual(outs[0], outs[1]) || !reflect.DeepEqual(outs[0], outs[2]) {
		t.Fatal("5 councils: results depend on the number of workers")
	}
	for _, cp := range a.Councils {
		for _, sr := range append(append(cp.States, cp.Groups...), cp.Total) {
			for k := range sr.Mean {
				if sr.P10[k] < 0 || sr.P10[k] > sr.P50[k] || sr.P50[k] > sr.P90[k] {
					t.Fatalf("%s %s month %d: P10 %v P50 %v P90 %v", cp.Council, sr.Name, k, sr.P10[k], sr.P50[k], sr.P90[k])
				}
			}
		}
	}
	// the roll-up is the sum of the councils
	sum := 0.0
	for _, cp := range a.Councils {
		sum += cp.Total.Mean[24]
	}
	if d := sum - a.RollUp.Total.Mean[24]; d > 1e-9 || d < -1e-9 {
		t.Fatalf("roll-up mean %v, councils sum to %v", a.RollUp.Total.Mean[24], sum)
	}
}

func TestSimulateBadOptions(t *testing.T) {
	m := fittedSynthetic(t, 100)
	for name, opt := range map[string]SimOptions{
		"ErrYears":   {Years: 6, Sims: 10},
		"ErrSims":    {Years: 1, Sims: 0},
		"ErrCouncil": {Years: 1, Sims: 10, Only: []string{"E99"}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Simulate(context.Background(), m, opt); care.ErrorCode(err) == "" {
				t.Fatal("accepted")
			}
		})
	}
}

func TestMarkovAgreesWithSimulation(t *testing.T) {
	m := fittedSynthetic(t, 600)
	mk, err := Markov(m, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Simulate(context.Background(), m, SimOptions{Years: 2, Sims: 100, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, 12, 24} {
		a, b := mk.RollUp.Total.Mean[k], p.RollUp.Total.Mean[k]
		if a < b*0.93 || a > b*1.07 {
			t.Errorf("month %d: Markov %.0f, simulation %.0f", k, a, b)
		}
		if mk.RollUp.Total.Lower[k] > a || mk.RollUp.Total.Upper[k] < a {
			t.Errorf("month %d: band %v–%v around %v", k, mk.RollUp.Total.Lower[k], mk.RollUp.Total.Upper[k], a)
		}
	}
	if mk.RollUp.Total.SD[0] != 0 || mk.RollUp.Total.SD[24] <= mk.RollUp.Total.SD[12] {
		t.Errorf("variance should start at 0 and grow: %v %v %v", mk.RollUp.Total.SD[0], mk.RollUp.Total.SD[12], mk.RollUp.Total.SD[24])
	}
}

func TestMarkovSingleState(t *testing.T) {
	// One state, exit rate r a day, no entrants: mean N(1−r)^days and
	// variance accumulated linearly as Σ r(1−r)·pop.
	m := fittedSynthetic(t, 100)
	cm := m.Councils[0]
	for i := range cm.Exposure {
		cm.Exposure[i], cm.AgeUp[i%len(cm.AgeUp)] = 0, 0
	}
	for i := range cm.MoveCount {
		cm.MoveCount[i] = 0
	}
	for i := range cm.ExitCount {
		cm.ExitCount[i] = 0
	}
	cm.Entries = nil
	c := m.Cell(2, 1, 2)
	cm.Exposure[c], cm.ExitCount[c*len(ExitReasons)] = 1000, 1 // r = 0.001 a day
	o := m.Config.Origin
	cm.Current = nil
	for i := 0; i < 100; i++ {
		cm.Current = append(cm.Current, InCare{DOB: o.AddDate(-7, 0, 0), Group: 1, InGroupSince: o.AddDate(-2, 0, 0)})
	}
	mk, err := Markov(m, 1, []string{cm.Council})
	if err != nil {
		t.Fatal(err)
	}
	s := m.newSimulator(1)
	days := int(s.months[12])
	want, wantVar, pop := 100.0, 0.0, 100.0
	for d := 0; d < days; d++ {
		wantVar += 0.001 * 0.999 * pop // the diagonal term; the exit's term falls on "not in care"
		pop *= 0.999
	}
	want = pop
	got := mk.Councils[0].Total
	if d := got.Mean[12] - want; d > 1e-6 || d < -1e-6 {
		t.Errorf("mean after %d days %v, want %v", days, got.Mean[12], want)
	}
	if d := got.SD[12]*got.SD[12] - wantVar; d > 1e-6 || d < -1e-6 {
		t.Errorf("variance %v, want %v", got.SD[12]*got.SD[12], wantVar)
	}
}

func TestSpendAndFundingGap(t *testing.T) {
	// One child in in-house fostering with no hazards, £700 a week, no
	// inflation: a year costs £100 a day for every day of the year.
	m := fittedSynthetic(t, 100)
	cm := m.Councils[0]
	for i := range cm.Move {
		cm.Move[i] = 0
	}
	for i := range cm.Exit {
		cm.Exit[i] = 0
	}
	cm.Entries = nil
	o := m.Config.Origin
	inhouse := groupIndex(care.ForecastFosterInHouse)
	cm.Current = []InCare{{ID: "X", DOB: o.AddDate(-8, 0, 0), Group: inhouse, InGroupSince: o.AddDate(-1, 0, 0)}}
	costs := &Costs{Weekly: make([]float64, len(m.Groups)), Inflation: make([]float64, len(m.Groups)), Budget: []float64{30000, 50000}}
	costs.Weekly[inhouse] = 700
	p, err := Simulate(context.Background(), m, SimOptions{Years: 2, Sims: 3, Seed: 1, Only: []string{cm.Council}, Costs: costs})
	if err != nil {
		t.Fatal(err)
	}
	sp := p.Councils[0].Spend
	s := m.newSimulator(2)
	want1, want2 := 100*s.months[12], 100*(s.months[24]-s.months[12])
	if len(sp) != 2 || math.Abs(sp[0].Mean-want1) > 1e-6 || math.Abs(sp[1].P90-want2) > 1e-6 {
		t.Fatalf("spend %+v, want %.0f and %.0f", sp, want1, want2)
	}
	if sp[0].OverBudgetP != 1 || math.Abs(sp[0].GapMean-(want1-30000)) > 1e-6 || sp[1].OverBudgetP != 0 {
		t.Fatalf("funding gap %+v", sp)
	}
	// with 10% inflation the second year costs about 10% more
	costs.Inflation[inhouse] = 0.10
	p, _ = Simulate(context.Background(), m, SimOptions{Years: 2, Sims: 3, Seed: 1, Only: []string{cm.Council}, Costs: costs})
	if r := p.Councils[0].Spend[1].Mean / p.Councils[0].Spend[0].Mean; r < 1.09 || r > 1.11 {
		t.Fatalf("year 2 / year 1 spend %.3f, want about 1.10", r)
	}
}

// TestSimulateProgress: the progress callback never runs twice at once,
// never goes backwards, and ends with every simulation done, with both ways
// of sharing the work (simulations of one council, or whole councils).
func TestSimulateProgress(t *testing.T) {
	m := fittedSyntheticN(t, 150, 5)
	for _, tc := range []struct {
		name    string
		only    []string
		workers int
	}{
		{"OneCouncil", []string{m.Councils[0].Council}, 2},
		{"Councils", nil, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls, inside atomic.Int32
			last, lastTotal := -1, 0
			report := func(done, total int) {
				if inside.Add(1) != 1 {
					t.Error("progress called from two goroutines at once")
				}
				defer inside.Add(-1)
				calls.Add(1)
				if done < last || done > total {
					t.Errorf("progress %d of %d after %d", done, total, last)
				}
				last, lastTotal = done, total
			}
			opt := SimOptions{Years: 1, Sims: 50, Seed: 2, Workers: tc.workers, Only: tc.only, Progress: report}
			if _, err := Simulate(context.Background(), m, opt); err != nil {
				t.Fatal(err)
			}
			n := len(tc.only)
			if n == 0 {
				n = len(m.Councils)
			}
			if calls.Load() == 0 || last != n*50 || lastTotal != n*50 {
				t.Fatalf("%d calls, last %d of %d, want %d of %d", calls.Load(), last, lastTotal, n*50, n*50)
			}
		})
	}
}

// TestIntQuantiles checks the counting quantiles against sorting, for
// narrow and wide ranges, ties and tiny samples.
func TestIntQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, tc := range []struct {
		n    int
		span int32
	}{{1, 5}, {2, 1}, {3, 4}, {10, 3}, {1000, 40}, {1000, 100000}, {7, 1000}} {
		v := make([]int32, tc.n)
		for i := range v {
			v[i] = 100 + rng.Int32N(tc.span)
		}
		sorted := append([]int32(nil), v...)
		slices.Sort(sorted)
		want := func(p float64) float64 {
			pos := p * float64(tc.n-1)
			i := int(pos)
			if i >= tc.n-1 {
				return float64(sorted[tc.n-1])
			}
			f := pos - float64(i)
			return float64(sorted[i])*(1-f) + float64(sorted[i+1])*f
		}
		sum := 0.0
		for _, x := range v {
			sum += float64(x)
		}
		mean, p10, p50, p90 := intQuantiles(v)
		if mean != sum/float64(tc.n) || p10 != want(0.1) || p50 != want(0.5) || p90 != want(0.9) {
			t.Errorf("n %d span %d: got %v %v %v %v, want %v %v %v %v", tc.n, tc.span, mean, p10, p50, p90,
				sum/float64(tc.n), want(0.1), want(0.5), want(0.9))
		}
	}
}
