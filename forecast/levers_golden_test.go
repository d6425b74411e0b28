package forecast

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestLeversGolden keeps a projection with levers of every kind byte for
// byte: four fitted councils (two workers take whole councils, one worker
// splits each council's simulations: both must agree), five years, an entry
// change ramped in over a year at 10–15, arrivals at 16–17, an exit multiplier from the first month,
// a step-down move and a redirect whose share changes every month (as
// recruit_foster's does, so every month is an epoch of its own). The digest
// covers every series and every simulation's counts; speeding the simulator
// up must not change it (go test ./forecast -run LeversGolden -update
// rewrites it only when the model is meant to change).
func TestLeversGolden(t *testing.T) {
	m, opt := leversEveryKind(t, 100)
	const years = 5
	digest := func(p *Projection) string { return projectionDigest(t, p) }
	var got []string
	for _, o := range []SimOptions{{Years: years, Sims: opt.Sims, Seed: 5, KeepSims: true, Workers: 2}, opt} {
		p, err := Simulate(context.Background(), m, o)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, digest(p))
		o.Workers = 1 // the other split of the work gives the same bytes
		p1, err := Simulate(context.Background(), m, o)
		if err != nil {
			t.Fatal(err)
		}
		if d := digest(p1); d != got[len(got)-1] {
			t.Fatalf("one worker and two give different projections: %s, %s", d, got[len(got)-1])
		}
	}
	const file = "testdata/levers_golden.txt"
	text := "baseline " + got[0] + "\nlevers " + got[1] + "\n"
	if *update {
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != text {
		t.Fatalf("the projection changed:\n got %s\nwant %s", text, want)
	}
}

// projectionDigest is the SHA-256 of a projection's JSON and every
// simulation's counts.
func projectionDigest(t testing.TB, p *Projection) string {
	h := sha256.New()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(b)
	for _, cp := range append(p.Councils, p.RollUp) {
		binary.Write(h, binary.LittleEndian, cp.Sims)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// leversEveryKind is the model and options of TestLeversGolden: four fitted
// councils, five years, sims simulations, levers of every kind.
func leversEveryKind(t testing.TB, sims int) (*Model, SimOptions) {
	m := fittedSyntheticN(t, 400, 4)
	const years = 5
	nm := 12 * years
	ng := len(m.Groups)
	ch, fa, fi := groupIndex("childrens_home"), groupIndex("foster_agency"), groupIndex("foster_inhouse")
	ramp := make([]float64, nm)
	for i := range ramp {
		ramp[i] = 1 - 0.2*min(1, float64(i+1)/12)
	}
	arrive := make([]float64, nm)
	for i := range arrive {
		arrive[i] = 10.0 / yearDays
	}
	share := make([]float64, nm)
	for i := range share {
		share[i] = min(1, 0.013*float64(i+1))
	}
	toFoster := make([]float64, ng)
	toFoster[fi], toFoster[fa] = 2, 1
	toInHouse := make([]float64, ng)
	toInHouse[fi] = 1
	levers := func(code string) *Levers {
		lv := &Levers{Entry: make([][]float64, 18), Arrivals: make([][]float64, 18), Exit: make([][]float64, len(ExitReasons)),
			Moves:    []MoveLever{{From: ch, To: toFoster, PerDay: flat(nm, 0, 0.1053605/365.25, 0)}},
			Redirect: []RedirectLever{{From: fa, To: toInHouse, Share: share}}}
		for a := 10; a <= 15; a++ {
			lv.Entry[a] = ramp
		}
		lv.Arrivals[16], lv.Arrivals[17] = arrive, arrive
		lv.Exit[1] = flat(nm, 0, 1.1, 1)
		if strings.HasSuffix(code, "1") { // one council with no exit change: fewer epochs' hazards differ
			lv.Exit[1] = nil
		}
		return lv
	}
	opt := SimOptions{Years: years, Sims: sims, Seed: 5, KeepSims: true, Workers: 2, Levers: map[string]*Levers{}}
	for _, cm := range m.Councils {
		opt.Levers[cm.Council] = levers(cm.Council)
	}
	return m, opt
}

// BenchmarkSimulateLevers is the projection of TestLeversGolden with 400
// simulations: the simulator's cost with levers that make every month an
// epoch (as a scenario with recruit_foster does).
func BenchmarkSimulateLevers(b *testing.B) {
	m, opt := leversEveryKind(b, 400)
	b.ResetTimer()
	for range b.N {
		if _, err := Simulate(context.Background(), m, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSimsOnly: SimsOnly keeps the same simulations as KeepSims, without
// series, spend or roll-up, on both ways of splitting the work.
func TestSimsOnly(t *testing.T) {
	m, opt := leversEveryKind(t, 30)
	opt.Costs = &Costs{}
	for range m.Groups {
		opt.Costs.Weekly = append(opt.Costs.Weekly, 1000)
		opt.Costs.Inflation = append(opt.Costs.Inflation, 0)
		opt.Costs.Source = append(opt.Costs.Source, "test")
	}
	for _, workers := range []int{1, 2} {
		opt.Workers = workers
		full, err := Simulate(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		o := opt
		o.KeepSims, o.SimsOnly = false, true
		only, err := Simulate(context.Background(), m, o)
		if err != nil {
			t.Fatal(err)
		}
		if only.RollUp != nil || len(only.Councils) != len(full.Councils) {
			t.Fatalf("workers %d: roll-up %v, %d councils, want none and %d", workers, only.RollUp, len(only.Councils), len(full.Councils))
		}
		for i, cp := range only.Councils {
			if cp.Council != full.Councils[i].Council || !slices.Equal(cp.Sims, full.Councils[i].Sims) || len(cp.Sims) == 0 {
				t.Fatalf("workers %d council %s: simulations differ from KeepSims's", workers, cp.Council)
			}
			if cp.Groups != nil || cp.States != nil || cp.Total.Mean != nil || cp.Spend != nil {
				t.Fatalf("workers %d council %s: series or spend kept", workers, cp.Council)
			}
		}
	}
}
