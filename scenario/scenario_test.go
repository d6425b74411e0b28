package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/forecast"
)

var origin = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

const la = "E08000037"

// quiet is a fitted model of one council whose hazards and entries are
// cleared: every change comes from what a test sets and from the levers.
// n children aged 12 are in care at the origin in group g.
func quiet(t *testing.T, n int, g care.ForecastGroup) *forecast.Model {
	t.Helper()
	var children []care.Child
	var episodes []care.Episode
	for i := 0; i < 60; i++ {
		id := fmt.Sprintf("C%03d", i)
		start := origin.AddDate(0, 0, -10*i-5)
		children = append(children, care.Child{Council: la, ID: id, Sex: care.Male, DOB: start.AddDate(-10, 0, 0)})
		e := care.Episode{Council: la, ChildID: id, Start: start, Placement: "U4", Provider: care.ProviderOwnLA}
		if i%2 == 0 {
			e.End, e.ReasonEnded = start.AddDate(0, 0, 3), "E4A"
		}
		episodes = append(episodes, e)
	}
	m, err := forecast.Fit(children, episodes, forecast.Config{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	cm := m.Councils[0]
	clear(cm.Move)
	clear(cm.Exit)
	cm.Entries = nil
	cm.EntryVar, cm.ExitVar = 0, 0
	cm.Current = nil
	gi := groupIndexes(m, []care.ForecastGroup{g})[0]
	for i := 0; i < n; i++ {
		cm.Current = append(cm.Current, forecast.InCare{ID: fmt.Sprint(i), DOB: origin.AddDate(-12, 0, 0), Sex: care.Male, Group: gi, InGroupSince: origin.AddDate(0, -6, 0)})
	}
	return m
}

// entrants makes the quiet model take perYear entrants of age at entry
// age, first placed in group g.
func entrants(m *forecast.Model, age int, perYear float64, g care.ForecastGroup) {
	cm := m.Councils[0]
	cm.Entries = append(cm.Entries, forecast.EntryCell{Age: age, Sex: care.Male, Count: 1, PerDay: perYear / 365.25})
	gi := groupIndexes(m, []care.ForecastGroup{g})[0]
	for b := range cm.FirstGroup {
		clear(cm.FirstGroup[b])
		cm.FirstGroup[b][gi] = 1
	}
}

// flatCosts prices every group at £1,000 a week, children's homes £5,000,
// with no inflation.
func flatCosts(m *forecast.Model) *forecast.Costs {
	c := &forecast.Costs{}
	for _, g := range m.Groups {
		w := 1000.0
		if g == care.ForecastChildrensHome {
			w = 5000
		}
		c.Weekly = append(c.Weekly, w)
		c.Inflation = append(c.Inflation, 0)
		c.Source = append(c.Source, "test")
	}
	return c
}

func run(t *testing.T, m *forecast.Model, years int, levers ...Lever) *Result {
	t.Helper()
	return runIn(t, Input{Model: m, Costs: flatCosts(m)}, years, levers...)
}

func runIn(t *testing.T, in Input, years int, levers ...Lever) *Result {
	t.Helper()
	seed := uint64(3)
	sc := &Scenario{Name: "test", Scope: Scope{LA: la}, Years: years, Sims: 200, Seed: &seed, Levers: levers}
	r, err := Run(context.Background(), sc, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func f(v float64) *float64 { return &v }

func group(y Year, g care.ForecastGroup) GroupYear {
	for _, x := range y.Groups {
		if x.Group == string(g) {
			return x
		}
	}
	panic("no group " + g)
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s: got %.2f, want %.2f ± %.2f", what, got, want, tol)
	}
}

// TestExampleParses: the example is accepted as written.
func TestExampleParses(t *testing.T) {
	b, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Parse(b, "example.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Levers) != 7 || sc.Years != 5 || *sc.Seed != 1 || sc.Sims != 1000 || sc.Scope.LA != la {
		t.Fatalf("parsed %+v", sc)
	}
}

func TestParseErrors(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"unknown top":      {`{"name":"a","scope":{"la":"X"},"levers":[],"yeers":3}`, "yeers: unknown field"},
		"unknown scope":    {`{"name":"a","scope":{"council":"X"},"levers":[]}`, "scope.council: unknown field"},
		"unknown lever":    {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"build_wall"}]}`, `levers[0].lever: unknown lever "build_wall"`},
		"misspelt field":   {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"entry_rate","change":-0.1},{"lever":"recruit_foster","housholds_per_year":3}]}`, "levers[1].housholds_per_year: unknown field"},
		"field of another": {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"entry_rate","change":-0.1,"places":3}]}`, "levers[0].places: unknown field"},
		"missing":          {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"exit_rate","change":0.1}]}`, "levers[0].to: lever exit_rate needs to"},
		"bad date":         {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"entry_rate","change":-0.1,"start":"1/4/2025"}]}`, "levers[0].start:"},
		"bad reason":       {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"exit_rate","to":"moon","change":0.1}]}`, "levers[0].to:"},
		"bad group":        {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"price_inflation","placement_group":"castle","annual":0.1}]}`, "levers[0].placement_group: unknown placement group"},
		"bad ages":         {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"entry_rate","ages":[15,10],"change":-0.1}]}`, "levers[0].ages"},
		"change too low":   {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"entry_rate","change":-1.5}]}`, "levers[0].change"},
		"type":             {`{"name":"a","scope":{"la":"X"},"years":"five","levers":[]}`, "years"},
		"syntax":           {`{"name":"a",}`, "line 1"},
		"no scope":         {`{"name":"a","levers":[]}`, "scope:"},
		"years":            {`{"name":"a","scope":{"la":"X"},"years":6,"levers":[]}`, "years: 6"},
		"district":         {`{"name":"a","scope":{"la":"X"},"levers":[{"lever":"open_home","postcode_district":"NE 8 9ZZ","places":2,"weekly_cost":4000}]}`, "levers[0].postcode_district"},
	} {
		_, err := Parse([]byte(c.in), "s.json")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "s.json: ") {
			t.Errorf("%s: got %v, want an error with %q", name, err, c.want)
		}
		if e, ok := err.(*care.Error); err != nil && (!ok || e.Code != care.EINVALID) {
			t.Errorf("%s: %T %v, want EINVALID", name, err, err)
		}
	}
}

// TestSchedule: start, end and ramp by month (origin 31 March 2025).
func TestSchedule(t *testing.T) {
	l := Lever{Start: "2025-04-01", RampMonths: 12}
	s := l.schedule(origin, 24)
	near(t, "April of a 12-month ramp", s[0], 30/monthDays/12, 1e-9)
	near(t, "month 12", s[11], 1, 1e-3)
	l = Lever{Start: "2025-04-16", End: "2025-05-15"}
	s = l.schedule(origin, 3)
	near(t, "half of April", s[0], 15.0/30, 1e-9)
	near(t, "half of May", s[1], 15.0/31, 1e-9)
	near(t, "June", s[2], 0, 0)
}

// TestEntryRate: 120 entrants a year aged 12, none leaving; 20% fewer
// entries of 10–15 year-olds cuts the year-end stock by 24 (± noise), and
// entries of other ages are untouched.
func TestEntryRate(t *testing.T) {
	m := quiet(t, 0, care.ForecastFosterInHouse)
	entrants(m, 12, 120, care.ForecastFosterInHouse)
	r := run(t, m, 1, Lever{Lever: "entry_rate", Ages: []int{10, 15}, Change: f(-0.2)})
	y := r.Outcomes[0]
	near(t, "baseline stock", y.InCare.Baseline.Mean, 120, 4)
	near(t, "change", y.InCare.Scenario.Mean-y.InCare.Baseline.Mean, -24, 3)
	// other ages: no change
	r = run(t, m, 1, Lever{Lever: "entry_rate", Ages: []int{0, 9}, Change: f(-0.2)})
	if d := r.Outcomes[0].InCare.Scenario.Mean - r.Outcomes[0].InCare.Baseline.Mean; d != 0 {
		t.Errorf("a lever on ages 0–9 changed the stock of 12-year-old entrants by %v", d)
	}
}

// TestExitRate: 200 children with an SGO hazard of 0.5 a year; doubling it
// takes the year's leavers from 200(1−e^−0.5) = 78.7 to 200(1−e^−1) = 126.4.
func TestExitRate(t *testing.T) {
	m := quiet(t, 200, care.ForecastFosterInHouse)
	cm := m.Councils[0]
	nr := len(forecast.ExitReasons)
	for c := 0; c < len(cm.Exit)/nr; c++ {
		cm.Exit[c*nr+2] = 0.5 / 365.25
	}
	r := run(t, m, 1, Lever{Lever: "exit_rate", To: "sgo", Change: f(1)})
	y := r.Outcomes[0]
	near(t, "baseline stock", y.InCare.Baseline.Mean, 200-78.7, 3)
	near(t, "scenario stock", y.InCare.Scenario.Mean, 200-126.4, 3)
	// another reason: no change
	r = run(t, m, 1, Lever{Lever: "exit_rate", To: "adoption", Change: f(1)})
	if d := r.Outcomes[0].InCare.Scenario.Mean - r.Outcomes[0].InCare.Baseline.Mean; d != 0 {
		t.Errorf("doubling adoptions (none) changed the stock by %v", d)
	}
}

// TestStepDown: 100 children in children's homes, 10% stepped down within
// 12 months: about 10 move to fostering by the year end; spend falls by
// about the 5.1 child-years moved × (£5,000 − £1,000) a week.
func TestStepDown(t *testing.T) {
	m := quiet(t, 100, care.ForecastChildrensHome)
	r := run(t, m, 1, Lever{Lever: "step_down", From: "residential", To: "foster_inhouse", Share: f(0.1), WithinMonths: 12})
	y := r.Outcomes[0]
	near(t, "children's homes", group(y, care.ForecastChildrensHome).Children.Scenario.Mean, 90, 2)
	near(t, "in-house fostering", group(y, care.ForecastFosterInHouse).Children.Scenario.Mean, 10, 2)
	// child-years moved: 100 ∫₀¹ (1 − 0.9^t) dt = 100 (1 − 0.1/−ln 0.9)
	near(t, "saving", y.NetSaving.Mean, 100*(1-0.1/-math.Log(0.9))*4000*365/7, 15000)
	if y.InCare.Scenario.Mean != 100 {
		t.Errorf("a step-down changed the children in care: %v", y.InCare.Scenario.Mean)
	}
}

// TestUASCArrivals: 24 arrivals a year aged 16–17 with no exits add about
// 24 children by the year end (a few of the 17-year-olds reach 18).
func TestUASCArrivals(t *testing.T) {
	m := quiet(t, 0, care.ForecastFosterInHouse)
	entrants(m, 5, 0.0001, care.ForecastSupported)
	r := run(t, m, 1, Lever{Lever: "uasc_arrivals", PerYear: 24})
	y := r.Outcomes[0]
	// 12 arrive aged 16 (all stay), 12 aged 17: one arriving at 17 + u
	// years reaches 18 after 1 − u years, within the year if it arrived
	// at time t > 1 − (1 − u)... on average a quarter of them leave.
	near(t, "added", y.InCare.Scenario.Mean-y.InCare.Baseline.Mean, 12+12*0.75, 3)
	near(t, "supported", group(y, care.ForecastSupported).Children.Scenario.Mean, 21, 3)
}

// TestRecruitFoster: 60 entrants a year placed with agencies, no exits;
// 12 households a year with no attrition give 12 in-house places by the
// year end: agency placements fall and in-house rise, with the same
// children in care.
func TestRecruitFoster(t *testing.T) {
	m := quiet(t, 0, care.ForecastFosterAgency)
	entrants(m, 5, 60, care.ForecastFosterAgency)
	r := run(t, m, 2, Lever{Lever: "recruit_foster", HouseholdsPerYear: 12, Attrition: f(0), CostPerHousehold: 10000})
	y := r.Outcomes[1]
	in := group(y, care.ForecastFosterInHouse)
	ag := group(y, care.ForecastFosterAgency)
	if in.Children.Scenario.Mean < 10 || in.Children.Scenario.Mean > 30 {
		t.Errorf("in-house fostering %.1f after two years of 12 households a year, want 10–30", in.Children.Scenario.Mean)
	}
	near(t, "agency + in-house", ag.Children.Scenario.Mean+in.Children.Scenario.Mean, ag.Children.Baseline.Mean, 3)
	near(t, "in-house places available", in.AvailableScenario-in.AvailableBaseline, 24, 0.01)
	near(t, "recruitment cost year 1", r.Outcomes[0].Programme, 120000, 1e-6)
}

// TestBlockContract: 100 children in children's homes all year at £5,000 a
// week; 6 places block-contracted at £4,000 save exactly 6 × £1,000 a week
// for the year's 365 days.
func TestBlockContract(t *testing.T) {
	m := quiet(t, 100, care.ForecastChildrensHome)
	r := run(t, m, 1, Lever{Lever: "block_contract", PlacementGroup: "residential", Places: 6, WeeklyPrice: 4000})
	y := r.Outcomes[0]
	near(t, "baseline spend", y.Spend.Baseline.Mean, 100*5000*365/7.0, 0.01)
	near(t, "saving", y.NetSaving.Mean, 6*1000*365/7.0, 0.01)
	// voids are paid: 6 places for 2 children cost 6 places
	m = quiet(t, 2, care.ForecastChildrensHome)
	r = run(t, m, 1, Lever{Lever: "block_contract", PlacementGroup: "residential", Places: 6, WeeklyPrice: 4000})
	near(t, "saving with voids", r.Outcomes[0].NetSaving.Mean, (2*5000-6*4000)*365/7.0, 0.01)
}

type fakeLocator map[[2]string]float64

func (l fakeLocator) Miles(a, b string) (float64, bool) {
	v, ok := l[[2]string{a, b}]
	return v, ok
}
func (l fakeLocator) CouncilOf(string) (string, bool) { return la, true }

// TestOpenHome: 10 children in children's homes, 4 of them placed far
// (2 from homes near NE8); a 4-place home in NE8 at £4,500 a place from
// the second year brings those 2 back within 20 miles, costs 4 × £4,500
// a week in place of 4 spot placements at £5,000, and spends its capital
// in year 2.
func TestOpenHome(t *testing.T) {
	m := quiet(t, 10, care.ForecastChildrensHome)
	loc := fakeLocator{}
	var eps []care.Episode
	for i := 0; i < 10; i++ {
		home, place := fmt.Sprintf("NE%d 1", i), "NE8 1"
		miles := 3.0
		if i < 4 {
			place, miles = "LS1 1", 90
		}
		loc[[2]string{home, place}] = miles
		loc[[2]string{home, "NE8"}] = 5
		if i >= 2 {
			loc[[2]string{home, "NE8"}] = 40
		}
		eps = append(eps, care.Episode{Council: la, ChildID: fmt.Sprint(i), Start: origin.AddDate(0, -6, 0), Placement: "K2", Provider: care.ProviderPrivate,
			HomePostcode: home, PlacementPostcode: place})
	}
	in := Input{Model: m, Costs: flatCosts(m), Episodes: eps, Locator: loc}
	r := runIn(t, in, 2, Lever{Lever: "open_home", PostcodeDistrict: "NE8", Places: 4, WeeklyCost: 4500, Capital: 1e6, Start: "2026-04-01"})
	y1, y2 := r.Outcomes[0], r.Outcomes[1]
	near(t, "far at the origin", y1.Far.Baseline.Mean, 0.4, 1e-9)
	near(t, "far in year 1", y1.Far.Scenario.Mean, 0.4, 1e-9)
	near(t, "far in year 2", y2.Far.Scenario.Mean, 0.2, 1e-9)
	if y1.Capital != 0 || y2.Capital != 1e6 {
		t.Errorf("capital %v, %v; want 0 then £1,000,000", y1.Capital, y2.Capital)
	}
	near(t, "year 2 net saving", y2.NetSaving.Mean, 4*500*365/7.0-1e6, 0.01)
	ch := group(y2, care.ForecastChildrensHome)
	near(t, "places added", ch.AvailableScenario-ch.AvailableBaseline, 4, 0)
	if r.PaybackYear != 0 {
		t.Errorf("payback year %d; £1m cannot be paid back by £2,000 a week in a year", r.PaybackYear)
	}
}

// TestPriceInflation: 6% a year on children's homes raises the second
// year's spend by 6% over the first in the baseline and the scenario alike.
func TestPriceInflation(t *testing.T) {
	m := quiet(t, 50, care.ForecastChildrensHome)
	r := run(t, m, 2, Lever{Lever: "price_inflation", PlacementGroup: "residential", Annual: f(0.06)})
	y1, y2 := r.Outcomes[0], r.Outcomes[1]
	near(t, "rise", y2.Spend.Baseline.Mean/y1.Spend.Baseline.Mean, 1.06, 0.001)
	if y2.Spend.Scenario.Mean != y2.Spend.Baseline.Mean || y2.NetSaving.Mean != 0 {
		t.Errorf("price inflation alone made a saving of %v", y2.NetSaving.Mean)
	}
}

// TestReproducible: the same scenario, data and seed give the same bytes;
// another seed does not.
func TestReproducible(t *testing.T) {
	b, _ := os.ReadFile("testdata/example.json")
	enc := func(seed uint64) []byte {
		sc, err := Parse(b, "example.json")
		if err != nil {
			t.Fatal(err)
		}
		sc.Sims, sc.Seed, sc.Scope = 50, &seed, Scope{LA: la}
		sc.Levers[3].LA = la
		m := quiet(t, 40, care.ForecastChildrensHome)
		entrants(m, 12, 50, care.ForecastFosterAgency)
		nr := len(forecast.ExitReasons)
		for c := 0; c < len(m.Councils[0].Exit)/nr; c++ {
			m.Councils[0].Exit[c*nr] = 0.3 / 365.25
		}
		r, err := Run(context.Background(), sc, Input{Model: m, Costs: flatCosts(m)})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(r)
		return out
	}
	a, b2, c := enc(1), enc(1), enc(2)
	if !bytes.Equal(a, b2) {
		t.Fatal("same seed, different bytes")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds, same bytes")
	}
}

// TestTotalsPerSimulation: the total spend's P90 is the P90 of each
// simulation's total, below the sum of the groups' P90s when the groups
// vary independently (a total made of sorted group figures would equal it).
func TestTotalsPerSimulation(t *testing.T) {
	m := quiet(t, 0, care.ForecastFosterInHouse)
	entrants(m, 5, 100, care.ForecastFosterInHouse)
	fa := groupIndexes(m, []care.ForecastGroup{care.ForecastFosterAgency})[0]
	fi := groupIndexes(m, []care.ForecastGroup{care.ForecastFosterInHouse})[0]
	for _, w := range m.Councils[0].FirstGroup {
		w[fa], w[fi] = 0.5, 0.5
	}
	y := run(t, m, 1).Outcomes[0]
	sumP90 := 0.0
	for _, g := range y.Groups {
		sumP90 += g.Spend.Baseline.P90
	}
	if !(y.Spend.Baseline.P90 < sumP90-1) {
		t.Fatalf("total P90 %.0f, groups' P90s sum to %.0f: totals not worked out per simulation", y.Spend.Baseline.P90, sumP90)
	}
}

// TestInArea: 10 children in children's homes, 4 placed over 20 miles;
// placing half of the far ones in the area brings 2 back when the area has
// 12 places (2 spare), 1 when it has 11, none when it has 10.
func TestInArea(t *testing.T) {
	m := quiet(t, 10, care.ForecastChildrensHome)
	loc := fakeLocator{}
	var eps []care.Episode
	for i := 0; i < 10; i++ {
		home, place, miles := fmt.Sprintf("NE%d 1", i), "NE8 1", 3.0
		if i < 4 {
			place, miles = "LS1 1", 90
		}
		loc[[2]string{home, place}] = miles
		eps = append(eps, care.Episode{Council: la, ChildID: fmt.Sprint(i), Start: origin.AddDate(0, -6, 0), Placement: "K2", Provider: care.ProviderPrivate,
			HomePostcode: home, PlacementPostcode: place})
	}
	for places, want := range map[int]float64{12: 0.2, 11: 0.3, 10: 0.4} {
		provs := []care.Provision{{ID: "1", Kind: care.KindChildrensHome, Council: la, Places: places}, {ID: "2", Kind: care.KindChildrensHome, Council: "E08000021", Places: 50}}
		in := Input{Model: m, Costs: flatCosts(m), Episodes: eps, Locator: loc, Provisions: provs}
		y := runIn(t, in, 1, Lever{Lever: "in_area", PlacementGroup: "residential", Share: f(0.5)}).Outcomes[0]
		near(t, fmt.Sprintf("far with %d places", places), y.Far.Scenario.Mean, want, 1e-9)
		near(t, "baseline far", y.Far.Baseline.Mean, 0.4, 1e-9)
		if y.NetSaving.Mean != 0 {
			t.Errorf("placing in the area changed spend by %v", y.NetSaving.Mean)
		}
	}
}

// TestAreasOfARegion: two councils, 10 and 6 children in children's homes
// (no hazards), 12 and 5 places in their areas; a 4-place home opened in
// the second: each council's need and places are shown apart.
func TestAreasOfARegion(t *testing.T) {
	const other = "E08000021"
	var children []care.Child
	var episodes []care.Episode
	for _, c := range []string{la, other} {
		for i := 0; i < 60; i++ {
			id := fmt.Sprintf("C%03d", i)
			start := origin.AddDate(0, 0, -10*i-5)
			children = append(children, care.Child{Council: c, ID: id, Sex: care.Male, DOB: start.AddDate(-10, 0, 0)})
			episodes = append(episodes, care.Episode{Council: c, ChildID: id, Start: start, Placement: "U4", Provider: care.ProviderOwnLA})
		}
	}
	m, err := forecast.Fit(children, episodes, forecast.Config{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	ch := groupIndexes(m, []care.ForecastGroup{care.ForecastChildrensHome})[0]
	for ci, cm := range m.Councils {
		clear(cm.Move)
		clear(cm.Exit)
		cm.Entries, cm.EntryVar, cm.ExitVar, cm.Current = nil, 0, 0, nil
		n := map[int]int{0: 6, 1: 10}[ci] // councils in code order: E08000021, then E08000037
		for i := 0; i < n; i++ {
			cm.Current = append(cm.Current, forecast.InCare{ID: fmt.Sprint(i), DOB: origin.AddDate(-12, 0, 0), Group: ch, InGroupSince: origin.AddDate(0, -6, 0)})
		}
	}
	provs := []care.Provision{{ID: "1", Kind: care.KindChildrensHome, Council: la, Places: 12}, {ID: "2", Kind: care.KindChildrensHome, Council: other, Places: 5}}
	seed := uint64(3)
	sc := &Scenario{Name: "t", Scope: Scope{Region: "North East"}, Years: 1, Sims: 20, Seed: &seed,
		Levers: []Lever{{Lever: "open_home", LA: other, PostcodeDistrict: "NE1", Places: 4, WeeklyCost: 4000}}}
	r, err := Run(context.Background(), sc, Input{Model: m, Costs: flatCosts(m), Provisions: provs})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]AreaYear{}
	for _, a := range r.Outcomes[0].Areas {
		if a.Group == string(care.ForecastChildrensHome) {
			got[a.Council] = a
		}
	}
	if a := got[la]; a.NeededBaseline != 10 || a.AvailableBaseline != 12 || a.AvailableScenario != 12 {
		t.Errorf("Gateshead %+v", a)
	}
	if a := got[other]; a.NeededScenario != 6 || a.AvailableBaseline != 5 || a.AvailableScenario != 9 {
		t.Errorf("Newcastle %+v", a)
	}
	if g := group(r.Outcomes[0], care.ForecastChildrensHome); g.AvailableBaseline != 17 || g.AvailableScenario != 21 {
		t.Errorf("region %+v", g)
	}
}
