package forecast

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"
)

// flat returns a schedule of n months with value v from month from on.
func flat(n, from int, v, before float64) []float64 {
	out := make([]float64, n)
	for m := range out {
		out[m] = before
		if m >= from {
			out[m] = v
		}
	}
	return out
}

// quietModel is one council with no hazards and no entrants, and n children
// of 12 in group g at the origin: every change comes from the levers.
func quietModel(t *testing.T, n, g int) *Model {
	m := fittedSynthetic(t, 100)
	m.Councils = m.Councils[:1]
	cm := m.Councils[0]
	clear(cm.Move)
	clear(cm.Exit)
	cm.Entries = nil
	cm.EntryVar, cm.ExitVar = 0, 0
	o := m.Config.Origin
	cm.Current = nil
	for i := 0; i < n; i++ {
		cm.Current = append(cm.Current, InCare{ID: "C", DOB: o.AddDate(-12, 0, 0), Group: g, InGroupSince: o.AddDate(0, -6, 0)})
	}
	return m
}

func simLevers(t *testing.T, m *Model, years, sims int, lv *Levers) *CouncilProjection {
	t.Helper()
	opt := SimOptions{Years: years, Sims: sims, Seed: 9, KeepSims: true}
	if lv != nil {
		opt.Levers = map[string]*Levers{m.Councils[0].Council: lv}
	}
	p, err := Simulate(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p.Councils[0]
}

// TestLeverNoneIsBaseline: levers that change nothing give the baseline
// byte for byte (same draws), so a scenario differs only where it acts.
func TestLeverNoneIsBaseline(t *testing.T) {
	m := fittedSynthetic(t, 300)
	nm := 12
	ones := flat(nm, 0, 1, 1)
	base := simLevers(t, m, 1, 20, nil)
	same := simLevers(t, m, 1, 20, &Levers{Entry: [][]float64{10: ones}, Exit: [][]float64{ones}})
	if !reflect.DeepEqual(base.Total, same.Total) || !reflect.DeepEqual(base.Sims, same.Sims) {
		t.Fatal("levers of 1 changed the projection")
	}
}

// TestLeverStepDown: 100 children in residential with no hazards; a step
// down of 10% within 12 months (hazard −ln(0.9)/365.25 a day) moves about
// 10 into fostering by the year end, none before the lever starts.
func TestLeverStepDown(t *testing.T) {
	ch := groupIndex("childrens_home")
	fi := groupIndex("foster_inhouse")
	m := quietModel(t, 100, ch)
	to := make([]float64, len(m.Groups))
	to[fi] = 1
	rate := -math.Log(0.9) / yearDays
	// starts in month 3: 9 months of the hazard by the year end
	cp := simLevers(t, m, 1, 200, &Levers{Moves: []MoveLever{{From: ch, To: to, PerDay: flat(12, 3, rate, 0)}}})
	if v := cp.Groups[fi].Mean[3]; v != 0 {
		t.Fatalf("%v in fostering before the lever starts", v)
	}
	days := float64(m.Config.Origin.AddDate(0, 12, 0).Sub(m.Config.Origin.AddDate(0, 3, 0))) / float64(24*time.Hour)
	want := 100 * (1 - math.Exp(-rate*days))
	// the month ends of the projection are the ends of calendar months
	if got := cp.Groups[fi].Mean[12]; math.Abs(got-want) > 1.5 {
		t.Fatalf("fostering at the year end %.2f, want about %.2f", got, want)
	}
	if got := cp.Groups[ch].Mean[12] + cp.Groups[fi].Mean[12]; got != 100 {
		t.Fatalf("children lost: %v", got)
	}
}

// TestLeverExit: a doubled SGO hazard doubles SGO exits.
func TestLeverExit(t *testing.T) {
	fo := groupIndex("foster_agency")
	m := quietModel(t, 400, fo)
	cm := m.Councils[0]
	sgo := reasonIndex(ExitSGO)
	for c := 0; c < len(cm.Exposure); c++ {
		cm.Exit[c*len(ExitReasons)+sgo] = 0.1 / yearDays // 10% a year
	}
	count := func(cp *CouncilProjection) float64 {
		tot := 0.0
		for _, v := range cp.Exits[sgo].Mean {
			tot += v
		}
		return tot
	}
	base := count(simLevers(t, m, 1, 100, nil))
	two := make([][]float64, len(ExitReasons))
	two[sgo] = flat(12, 0, 2, 2)
	lev := count(simLevers(t, m, 1, 100, &Levers{Exit: two}))
	// 400 × (1 − e^−0.1) ≈ 38 and 400 × (1 − e^−0.2) ≈ 72.5
	if math.Abs(base-38.1) > 2 || math.Abs(lev-72.5) > 2.5 {
		t.Fatalf("SGO exits %.1f → %.1f, want about 38.1 → 72.5", base, lev)
	}
}

// TestLeverEntriesAndArrivals: entries of one age halved from month 6, and
// 24 arrivals a year of age 16 added; the flows and kept simulations show it.
func TestLeverEntriesAndArrivals(t *testing.T) {
	m := quietModel(t, 0, 0)
	cm := m.Councils[0]
	cm.Entries = []EntryCell{{Age: 12, Sex: "M", Count: 1, PerDay: 120 / yearDays}}
	nm := 24
	entries := func(cp *CouncilProjection, from, to int) float64 {
		tot := 0.0
		for k := from; k <= to; k++ {
			tot += cp.Entries.Mean[k]
		}
		return tot
	}
	base := simLevers(t, m, 2, 200, nil)
	half := simLevers(t, m, 2, 200, &Levers{Entry: [][]float64{12: flat(nm, 6, 0.5, 1)}})
	if b, h := entries(base, 1, 6), entries(half, 1, 6); math.Abs(b-h) > 3 {
		t.Fatalf("first six months: %.1f vs %.1f entries, want the same", b, h)
	}
	b, h := entries(base, 7, 24), entries(half, 7, 24)
	if math.Abs(h/b-0.5) > 0.04 {
		t.Fatalf("months 7–24: %.1f → %.1f entries, want half", b, h)
	}
	arr := make([][]float64, 18)
	arr[16] = flat(nm, 0, 24/yearDays, 0)
	with := simLevers(t, m, 2, 200, &Levers{Arrivals: arr})
	if d := entries(with, 1, 24) - entries(base, 1, 24); math.Abs(d-48) > 3 {
		t.Fatalf("arrivals added %.1f entrants in two years, want 48", d)
	}
	// kept simulations: row ng is entries, and they sum to the series
	rows, k := SimRows(len(m.Groups)), 25
	sum := 0.0
	for sim := 0; sim < 200; sim++ {
		for kk := 1; kk < k; kk++ {
			sum += float64(with.Sims[(sim*rows+len(m.Groups))*k+kk])
		}
	}
	if math.Abs(sum/200-entries(with, 1, 24)) > 1e-9 {
		t.Fatalf("kept entries %.2f, series %.2f", sum/200, entries(with, 1, 24))
	}
}

// TestLeverRedirect: with every agency placement redirected in-house, no
// entrant is placed with an agency.
func TestLeverRedirect(t *testing.T) {
	m := fittedSynthetic(t, 400)
	fa, fi := groupIndex("foster_agency"), groupIndex("foster_inhouse")
	to := make([]float64, len(m.Groups))
	to[fi] = 1
	m.Councils = m.Councils[:1]
	m.Councils[0].Current = nil
	base := simLevers(t, m, 1, 30, nil)
	cp := simLevers(t, m, 1, 30, &Levers{Redirect: []RedirectLever{{From: fa, To: to, Share: flat(12, 0, 1, 1)}}})
	if base.Groups[fa].Mean[12] < 5 {
		t.Fatalf("baseline has only %v in agency fostering", base.Groups[fa].Mean[12])
	}
	if v := cp.Groups[fa].Mean[12]; v != 0 {
		t.Fatalf("%v children placed with agencies after a full redirect", v)
	}
	if cp.Groups[fi].Mean[12] <= base.Groups[fi].Mean[12] {
		t.Fatal("in-house fostering did not grow")
	}
}

func TestLeverBadSchedules(t *testing.T) {
	m := fittedSynthetic(t, 100)
	code := m.Councils[0].Council
	for name, lv := range map[string]*Levers{
		"short":    {Entry: [][]float64{{1, 1}}},
		"negative": {Exit: [][]float64{flat(12, 0, -1, -1)}},
		"share":    {Redirect: []RedirectLever{{From: 0, To: make([]float64, 8), Share: flat(12, 0, 2, 2)}}},
		"group":    {Moves: []MoveLever{{From: 9, To: make([]float64, 8), PerDay: flat(12, 0, 1, 1)}}},
	} {
		if _, err := Simulate(context.Background(), m, SimOptions{Years: 1, Sims: 2, Levers: map[string]*Levers{code: lv}}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
