package forecast

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// The limits of the forecast's inputs, each on the limit, one below and one
// above, from docs/METHOD.md and the documented options: a reference window
// of at least 180 days; projections of 1–5 years; 1 to 100,000 simulations;
// a published forecast of 1–10 years; age bands from 0 to the leaving age.
// Before these tests each of the boundary mutants of the checks (child.go:245,
// 288; childbacktest.go:101; and the others named in the tests) lived.

// isInvalidSaying reports whether err is EINVALID with says in its message.
func isInvalidSaying(err error, says string) bool {
	return care.ErrorCode(err) == care.EINVALID && strings.Contains(err.Error(), says)
}

// TestFitReferenceWindowAtLeast180Days pins docs/METHOD.md's "reference
// window [start, end) … at least 180 days": 180 days is enough, 179 is not.
func TestFitReferenceWindowAtLeast180Days(t *testing.T) {
	children, episodes, _ := handMade()
	end := care.Date(2023, 10, 1)
	for _, c := range []struct {
		days int
		ok   bool
	}{{179, false}, {180, true}, {181, true}} {
		cfg := Config{RefStart: end.AddDate(0, 0, -c.days), RefEnd: end, Origin: end, PriorDays: -1}
		_, err := Fit(children, episodes, cfg)
		short := isInvalidSaying(err, "at least 180 days")
		if short == c.ok {
			t.Errorf("a window of %d days: %v; want accepted %v", c.days, err, c.ok)
		}
		if c.ok && err != nil {
			t.Errorf("a window of %d days: %v", c.days, err)
		}
	}
}

// TestFitAgeBandsEndAtLeavingAge pins Config.AgeBands: the bands start at 0
// and the last edge is the age children leave care, at most 25 (a care
// leaver's support ends at 25); 26 is refused.
func TestFitAgeBandsEndAtLeavingAge(t *testing.T) {
	children, episodes, cfg := handMade()
	for _, c := range []struct {
		last int
		ok   bool
	}{{24, true}, {25, true}, {26, false}} {
		cfg.AgeBands = []int{0, 10, c.last}
		_, err := Fit(children, episodes, cfg)
		if bad := isInvalidSaying(err, "must start at 0"); bad == c.ok || (c.ok && err != nil) {
			t.Errorf("age bands ending at %d: %v; want accepted %v", c.last, err, c.ok)
		}
	}
}

// TestProjectionHorizonOneToFiveYears pins docs/METHOD.md's "over 1–5
// years" for the simulation, the Markov projection and the child-level
// backtest: 0 and 6 refused, 1 and 5 accepted.
func TestProjectionHorizonOneToFiveYears(t *testing.T) {
	children, episodes, m, cancelled := fittedCancelled(t)
	for _, c := range []struct {
		years int
		ok    bool
	}{{0, false}, {1, true}, {5, true}, {6, false}} {
		_, err := Markov(m, c.years, nil)
		if bad := isInvalidSaying(err, "give 1 to 5"); bad == c.ok || (c.ok && err != nil) {
			t.Errorf("Markov over %d years: %v; want accepted %v", c.years, err, c.ok)
		}
		// A cancelled context stops the simulation after the options are
		// checked: an accepted horizon gives the context's error.
		_, err = Simulate(cancelled, m, SimOptions{Years: c.years, Sims: 2, Seed: 1})
		if bad := isInvalidSaying(err, "give 1 to 5"); bad == c.ok {
			t.Errorf("Simulate over %d years: %v; want accepted %v", c.years, err, c.ok)
		}
		_, err = BacktestChildLevel(cancelled, children, episodes, nil, c.years, 2, 1)
		if bad := isInvalidSaying(err, "give 1 to 5"); bad == c.ok {
			t.Errorf("BacktestChildLevel over %d years: %v; want accepted %v", c.years, err, c.ok)
		}
	}
}

// TestSimulationsOneTo100000 pins the simulation's "give 1 to 100000"
// simulations: 0 and 100,001 refused, 1 and 100,000 accepted.
func TestSimulationsOneTo100000(t *testing.T) {
	_, _, m, cancelled := fittedCancelled(t)
	for _, c := range []struct {
		sims int
		ok   bool
	}{{0, false}, {1, true}, {2, true}, {100000, true}, {100001, false}} {
		_, err := Simulate(cancelled, m, SimOptions{Years: 1, Sims: c.sims, Seed: 1})
		if bad := isInvalidSaying(err, "give 1 to 100000"); bad == c.ok {
			t.Errorf("%d simulations: %v; want accepted %v", c.sims, err, c.ok)
		}
	}
}

// TestPublishedForecastOneToTenYears pins the published forecast's horizon,
// 1 to 10 years: 0 and 11 refused, 1 and 10 accepted.
func TestPublishedForecastOneToTenYears(t *testing.T) {
	pub := mustPublished(t)
	for _, c := range []struct {
		years int
		ok    bool
	}{{0, false}, {1, true}, {10, true}, {11, false}} {
		_, err := PublishedForecast(pub, 2021, c.years, []string{pub.Councils[0].Code})
		if bad := isInvalidSaying(err, "give 1 to 10"); bad == c.ok || (c.ok && err != nil) {
			t.Errorf("a published forecast over %d years: %v; want accepted %v", c.years, err, c.ok)
		}
	}
}

// TestParseOriginsRangeLimit pins a backtest's range of origins: at most 100
// years from the first to the last (101 origins); a range of 101 years is
// refused, as is one that runs backwards (a single year, lo = hi, is fine).
func TestParseOriginsRangeLimit(t *testing.T) {
	for in, n := range map[string]int{"2000..2099": 100, "2000..2100": 101, "2000..2101": -1, "2015..2015": 1, "2016..2015": -1} {
		got, err := ParseOrigins(in)
		if n < 0 {
			if care.ErrorCode(err) != care.EINVALID {
				t.Errorf("ParseOrigins(%q) = %v, %v; want EINVALID", in, got, err)
			}
			continue
		}
		if err != nil || len(got) != n {
			t.Errorf("ParseOrigins(%q) = %d origins, %v; want %d", in, len(got), err, n)
		}
	}
}

// TestParseYearLimits pins the published series' years: 1900 to 2200 as
// written, and the DfE's six-digit form (202223 is the year ending 31 March
// 2023; 199900 the year ending 31 March 2000) within the same years; a
// six-digit figure whose two years do not follow (202224) is refused.
func TestParseYearLimits(t *testing.T) {
	for in, want := range map[string]int{"1899": -1, "1900": 1900, "1901": 1901, "2199": 2199, "2200": 2200, "2201": -1,
		"202223": 2023, "199900": 2000, "219900": 2200, "220001": -1, "202224": -1, "999999": -1, "100000": -1, "99999": -1, "1000000": -1} {
		got, err := parseYear(in)
		if want < 0 {
			if err == nil {
				t.Errorf("parseYear(%q) = %d; want an error", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("parseYear(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

// costedYear is n episodes of a children's home (K2, private) starting in
// year y, each costed at weekly pounds a week.
func costedYear(y, n int, weekly float64) []care.Episode {
	var eps []care.Episode
	for k := 0; k < n; k++ {
		start := care.Date(y, 5, 1+k)
		eps = append(eps, care.Episode{Council: "E06000001", ChildID: "c", Start: start, End: start.AddDate(0, 1, 0),
			Placement: "K2", Provider: "PR4", WeeklyCost: care.FromPounds(weekly)})
	}
	return eps
}

// TestObservedCostsRiseNeedsTwoYearsOfFive pins docs/METHOD.md's inflation
// from imported costs: "a line through the log of yearly mean costs, at
// least two years with five costed placements". Four costed placements in a
// year do not make a year (a placement costed at £0 is not costed); one year
// of five is not a line.
func TestObservedCostsRiseNeedsTwoYearsOfFive(t *testing.T) {
	g := groupIndex(care.ForecastGroupOf("K2", "PR4"))
	from, to := care.Date(2020, 1, 1), care.Date(2023, 1, 1)
	zero := costedYear(2020, 1, 0)
	zero[0].WeeklyCost = 0
	for _, c := range []struct {
		name     string
		eps      []care.Episode
		wantRise bool
	}{
		{"four and five", append(costedYear(2020, 4, 4000), costedYear(2021, 5, 4400)...), false},
		{"four and a £0 and five", append(append(costedYear(2020, 4, 4000), zero...), costedYear(2021, 5, 4400)...), false},
		{"five and five", append(costedYear(2020, 5, 4000), costedYear(2021, 5, 4400)...), true},
		{"six and five", append(costedYear(2020, 6, 4000), costedYear(2021, 5, 4400)...), true},
		{"five in one year", costedYear(2021, 5, 4400), false},
	} {
		_, _, rise := ObservedCosts(c.eps, from, to)
		if got := rise[g]; c.wantRise != !math.IsNaN(got) || (c.wantRise && math.Abs(got-0.10) > 1e-9) {
			t.Errorf("%s: rise %v; want 10%% a year %v", c.name, got, c.wantRise)
		}
	}
}

// TestCostsCheckLimits pins the costs a forecast accepts: a weekly cost of
// £0 or more (−£0.01 refused) and inflation above −100% (−100% refused).
func TestCostsCheckLimits(t *testing.T) {
	ng := len(care.ForecastGroups)
	for _, c := range []struct {
		weekly, inflation float64
		ok                bool
	}{{0, 0, true}, {-0.01, 0, false}, {0.01, 0, true}, {100, -1, false}, {100, -0.99, true}, {100, -1.01, false}} {
		costs := &Costs{Weekly: make([]float64, ng), Inflation: make([]float64, ng)}
		costs.Weekly[ng-1], costs.Inflation[ng-1] = c.weekly, c.inflation
		if err := costs.check(ng); (err == nil) != c.ok {
			t.Errorf("weekly %v, inflation %v: %v; want accepted %v", c.weekly, c.inflation, err, c.ok)
		}
	}
}

// TestSpendOverBudget pins the budget line of docs/METHOD.md: the gap is
// spend − budget, the share over budget counts the simulations spending
// more than the budget (one spending exactly the budget is not over), and a
// year with no budget (0, or past the end of the list) has no gap.
func TestSpendOverBudget(t *testing.T) {
	months := make([]time.Time, 37)
	for i := range months {
		months[i] = care.Date(2024, 3, 31).AddDate(0, i, 0)
	}
	// four simulations of three years: spend[sim*years+y]
	spend := []float64{
		90, 10, 5,
		100, 10, 5,
		110, 10, 5,
		120, 10, 5,
	}
	got := spendYears(spend, 4, 3, &Costs{Budget: []float64{100, 0}}, months)
	if y := got[0]; y.Budget != 100 || y.GapMean != 5 || y.OverBudgetP != 0.5 {
		t.Errorf("year 1 against £100: %+v; want gap 5, half the simulations over", y)
	}
	for _, y := range got[1:] {
		if y.Budget != 0 || y.GapMean != 0 || y.GapP90 != 0 || y.OverBudgetP != 0 {
			t.Errorf("year %d without a budget: %+v", y.Year, y)
		}
	}
}

// TestMarkovEntrantOnBandEdge pins Config.AgeBands' "band i is [AgeBands[i],
// AgeBands[i+1])" for the Markov projection's entrants: a child entering at
// 1 (a band edge) starts in the 1–5 band, not 0–1; one entering at 0 in 0–1.
func TestMarkovEntrantOnBandEdge(t *testing.T) {
	children, episodes, cfg := handMade()
	for _, age := range []int{0, 1} {
		m, err := Fit(children, episodes, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cm := m.Councils[0]
		cm.Current = nil
		cm.Entries = []EntryCell{{Age: age, Count: 100}}
		for b := range cm.FirstGroup {
			clear(cm.FirstGroup[b])
			cm.FirstGroup[b][0] = 1
		}
		p, err := Markov(m, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		ng := m.NumGroups()
		first, second := p.Councils[0].States[0], p.Councils[0].States[ng]
		in, out := first, second
		if age == 1 {
			in, out = second, first
		}
		if last := len(in.Mean) - 1; !(in.Mean[1] > 0) || out.Mean[1] != 0 || out.Mean[last] != 0 {
			t.Errorf("entrants aged %d: %s %v, %s %v; want them all in %s", age, in.Name, in.Mean[:2], out.Name, out.Mean[:2], in.Name)
		}
	}
}

// TestBacktestChildLevelMoreThanMinStock pins docs/METHOD.md's "every council
// with more than 20 children in care at the origin" for the child-level
// backtest: a council with 20 at the origin is not scored, one with 21 is.
// And the 80% interval holds its ends: the councils have no moves or exits,
// and seed 1's one simulation has no entrant in the year, so P10 = P90 = 21,
// the outcome, which is inside the interval [P10, P90].
func TestBacktestChildLevelMoreThanMinStock(t *testing.T) {
	d := care.Date
	var children []care.Child
	var episodes []care.Episode
	add := func(la string, n int, start time.Time) {
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("%s-%s-%d", la, start.Format("20060102"), i)
			children = append(children, care.Child{Council: la, ID: id, Sex: care.Female, DOB: d(2012, 1, 1)})
			episodes = append(episodes, care.Episode{Council: la, ChildID: id, Start: start, Placement: "U4", Provider: care.ProviderOwnLA})
		}
	}
	add("E06000001", 20, d(2018, 4, 1))
	add("E06000002", 21, d(2018, 4, 1))
	add("E06000003", 1, d(2019, 6, 1)) // the one entry in the reference window
	add("E06000003", 1, d(2021, 4, 1)) // the data run past the outcome
	origin := d(2020, 3, 31)
	m, err := Fit(children, CutAt(episodes, origin), Config{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := Simulate(context.Background(), m, SimOptions{Years: 1, Sims: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sim.Councils {
		if c.Council == "E06000002" && (c.Total.P10[12] != 21 || c.Total.P90[12] != 21) {
			t.Fatalf("the case needs a simulation ending on 21 children; seed 1 gives P10 %v, P90 %v", c.Total.P10[12], c.Total.P90[12])
		}
	}
	res, err := BacktestChildLevel(context.Background(), children, episodes, []time.Time{origin}, 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Scores {
		if s.N != 1 {
			t.Errorf("%s at %q: %d councils scored; want 1 (21 children at the origin, not 20)", s.Method, s.Origin, s.N)
		}
		if s.Method == MethodSimulate && s.Coverage80 != 1 {
			t.Errorf("%s at %q: coverage %v; want 1 (the outcome on both ends of the interval)", s.Method, s.Origin, s.Coverage80)
		}
	}
	if len(res.Scores) == 0 {
		t.Error("nothing scored")
	}
}

// TestLeverScheduleLimits pins the levers' schedules: a redirect share is a
// share, 0 to 1 (−0.01 and 1.01 refused), sent to destinations weighted 0 or
// more, not all 0 (a redirect to nowhere would lose the children); an entry
// or exit multiplier and a move hazard are at least 0 (0 turns the flow off;
// −0.01 refused).
func TestLeverScheduleLimits(t *testing.T) {
	ng, months := len(care.ForecastGroups), 12
	to := make([]float64, ng)
	to[1] = 1
	for _, c := range []struct {
		v  float64
		ok bool
	}{{-0.01, false}, {0, true}, {0.01, true}, {0.99, true}, {1, true}, {1.01, false}} {
		l := &Levers{Redirect: []RedirectLever{{From: 0, To: to, Share: flat(months, 0, c.v, c.v)}}}
		if err := l.check(ng, months); (err == nil) != c.ok {
			t.Errorf("redirect share %v: %v; want accepted %v", c.v, err, c.ok)
		}
		if c.v > 1 {
			continue
		}
		// the destination weights: 0 or more, not all 0
		dest := make([]float64, ng)
		dest[2] = c.v
		l = &Levers{Redirect: []RedirectLever{{From: 0, To: dest, Share: flat(months, 0, 0.5, 0.5)}}}
		if err := l.check(ng, months); (err == nil) != (c.v > 0) {
			t.Errorf("redirect destination weights %v: %v; want accepted %v", dest, err, c.v > 0)
		}
		for name, l := range map[string]*Levers{
			"entry": {Entry: [][]float64{flat(months, 0, c.v, c.v)}},
			"exit":  {Exit: [][]float64{flat(months, 0, c.v, c.v)}},
			"move":  {Moves: []MoveLever{{From: 0, To: to, PerDay: flat(months, 0, c.v, c.v)}}},
		} {
			if err := l.check(ng, months); (err == nil) != c.ok {
				t.Errorf("%s %v: %v; want accepted %v", name, c.v, err, c.ok)
			}
		}
	}
}

// TestBacktestMoreThanMinStockAndHorizons pins the published backtest's
// scope in docs/METHOD.md: "every council with more than 20 children in care
// at the origin" (20 is left out, 21 scored) and a published outcome (of
// more than 0 children), and "horizons 1–3 years" when
// none is given (maxH 0), or 1 only when asked for 1.
func TestBacktestMoreThanMinStockAndHorizons(t *testing.T) {
	const origin = 2020
	p := synthPublished(2008, 2023, func(i int) float64 { return 0.01 })
	p.Councils[0].Years[origin] = Totals{Stock: 20, Starts: 10, Ceases: 10, Pop: math.NaN()}
	p.Councils[1].Years[origin] = Totals{Stock: 21, Starts: 10, Ceases: 10, Pop: math.NaN()}
	// an outcome of no children is not scored (a percentage error of it is
	// not defined)
	p.Councils[2].Years[origin+1] = Totals{Stock: 0, Starts: 0, Ceases: 100, Pop: math.NaN()}
	for _, c := range []struct {
		maxH     int
		horizons string
	}{{0, "[1 2 3]"}, {1, "[1]"}, {2, "[1 2]"}} {
		res, err := Backtest(p, []int{origin}, c.maxH)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(res.Horizons); got != c.horizons {
			t.Errorf("maxH %d: horizons %s; want %s", c.maxH, got, c.horizons)
		}
		s, ok := res.Overall(MethodStockFlow, 1)
		if !ok || s.N != len(p.Councils)-2 {
			t.Errorf("maxH %d: %d councils scored at 1 year; want %d (all but the one with 20 children and the one with an outcome of 0)", c.maxH, s.N, len(p.Councils)-2)
		}
	}
}

// TestStockFlowTrainingLimits pins the published model's least history: two
// years of h-year changes and at least 30 training pairs (two years of 15
// councils fit, of 14 do not).
func TestStockFlowTrainingLimits(t *testing.T) {
	for _, c := range []struct {
		councils, origin int
		ok               bool
	}{{14, 2010, false}, {15, 2010, true}, {16, 2010, true}, {15, 2009, false}} {
		p := synthPublished(2008, 2023, func(i int) float64 { return 0.01 * float64(i%3) })
		p.Councils = p.Councils[:c.councils]
		m, err := FitStockFlow(p, c.origin, 1, PooledGrowth)
		if (err == nil) != c.ok {
			t.Errorf("%d councils, origin %d: %v; want accepted %v", c.councils, c.origin, err, c.ok)
		}
		if err == nil && m.NPairs != 2*c.councils {
			t.Errorf("%d councils: %d pairs", c.councils, m.NPairs)
		}
	}
}

// TestStockFlowErrorsFromMoreThanMinStock pins the published model's
// predictive distribution: the errors of earlier origins' forecasts are of
// councils with more than 20 children at that origin, as the backtest scores
// them: a council with 21 in 2015 adds one error, with 20 none.
func TestStockFlowErrorsFromMoreThanMinStock(t *testing.T) {
	nerrors := func(stock float64) int {
		p := synthPublished(2008, 2023, func(i int) float64 { return 0.01 * float64(i%3) })
		p.Councils[0].Years[2015] = Totals{Stock: stock, Starts: 10, Ceases: 10, Pop: math.NaN()}
		m, err := FitStockFlow(p, 2020, 1, PooledGrowth)
		if err != nil {
			t.Fatal(err)
		}
		if m.ZSource != "earlier origins" {
			t.Fatalf("errors from %s", m.ZSource)
		}
		return m.NErrors
	}
	if n20, n21 := nerrors(20), nerrors(21); n21 != n20+1 {
		t.Errorf("%d errors with 20 children in 2015, %d with 21; want one more with 21", n20, n21)
	}
}

// TestQuantileOneValue pins the linear-interpolation quantile at its top: of
// one value every quantile is that value; the top quantile (1) of several is
// the largest.
func TestQuantileOneValue(t *testing.T) {
	for _, q := range []float64{0, 0.1, 0.5, 0.9, 1} {
		if got := quantile([]float64{7}, q); got != 7 {
			t.Errorf("quantile([7], %v) = %v", q, got)
		}
	}
	if got := quantile([]float64{1, 2, 4}, 1); got != 4 {
		t.Errorf("quantile([1 2 4], 1) = %v", got)
	}
	if got := quantile([]float64{1, 2, 4}, 0.75); got != 3 {
		t.Errorf("quantile([1 2 4], 0.75) = %v", got)
	}
}

// TestMultiplierVarFourQuarters pins the over-dispersion of the quarterly
// counts behind a rate multiplier's variance: (var − mean) / mean² is taken
// from four quarters or more (a sample variance of fewer is too noisy), with
// fewer only the estimation error 1 / total.
func TestMultiplierVarFourQuarters(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	// 0, 10, 0: three quarters, total 10.
	if got := multiplierVar([]float64{0, 10, 0}); !near(got, 1.0/10) {
		t.Errorf("three quarters: %v; want 1/10", got)
	}
	// 0, 10, 0, 10: mean 5, variance 100/3, total 20.
	if got, want := multiplierVar([]float64{0, 10, 0, 10}), (100.0/3-5)/25+1.0/20; !near(got, want) {
		t.Errorf("four quarters: %v; want %v", got, want)
	}
	// 5, 5, 5, 5: no over-dispersion.
	if got := multiplierVar([]float64{5, 5, 5, 5}); !near(got, 1.0/20) {
		t.Errorf("equal quarters: %v; want 1/20", got)
	}
}

// TestDecodeRecordFormats pins the stored record's layout versions: 1 to
// RecordFormat are read; 0 (no format) is not a record (EUNUSABLE); one past
// RecordFormat was written by a newer program (ECONFLICT).
func TestDecodeRecordFormats(t *testing.T) {
	for _, c := range []struct {
		format int
		code   string
	}{{0, care.EUNUSABLE}, {1, ""}, {RecordFormat, ""}, {RecordFormat + 1, care.ECONFLICT}} {
		_, err := DecodeRecord([]byte(fmt.Sprintf(`{"format": %d}`, c.format)))
		if care.ErrorCode(err) != c.code {
			t.Errorf("format %d: %v; want code %q", c.format, err, c.code)
		}
	}
}

// TestLeverRowsAndGroups pins a lever's shape: entry multipliers and
// arrivals for each age 0–17 (18 rows; 19 refused), exit multipliers one
// row a reason, and a move or redirect from one of the model's groups
// (0 to ng−1; ng refused).
func TestLeverRowsAndGroups(t *testing.T) {
	ng, months := len(care.ForecastGroups), 12
	rows := func(n int) [][]float64 {
		out := make([][]float64, n)
		for i := range out {
			out[i] = flat(months, 0, 1, 1)
		}
		return out
	}
	to := make([]float64, ng)
	to[0] = 1
	for _, c := range []struct {
		name string
		l    *Levers
		ok   bool
	}{
		{"18 entry rows", &Levers{Entry: rows(18)}, true},
		{"19 entry rows", &Levers{Entry: rows(19)}, false},
		{"18 arrival rows", &Levers{Arrivals: rows(18)}, true},
		{"19 arrival rows", &Levers{Arrivals: rows(19)}, false},
		{"an exit row a reason", &Levers{Exit: rows(len(ExitReasons))}, true},
		{"one exit row too many", &Levers{Exit: rows(len(ExitReasons) + 1)}, false},
		{"a move from the last group", &Levers{Moves: []MoveLever{{From: ng - 1, To: to, PerDay: flat(months, 0, 0, 0)}}}, true},
		{"a move from past the last group", &Levers{Moves: []MoveLever{{From: ng, To: to, PerDay: flat(months, 0, 0, 0)}}}, false},
		{"a move from group -1", &Levers{Moves: []MoveLever{{From: -1, To: to, PerDay: flat(months, 0, 0, 0)}}}, false},
		{"a redirect from the last group", &Levers{Redirect: []RedirectLever{{From: ng - 1, To: to, Share: flat(months, 0, 0, 0)}}}, true},
		{"a redirect from past the last group", &Levers{Redirect: []RedirectLever{{From: ng, To: to, Share: flat(months, 0, 0, 0)}}}, false},
		{"a redirect from group -1", &Levers{Redirect: []RedirectLever{{From: -1, To: to, Share: flat(months, 0, 0, 0)}}}, false},
	} {
		if err := c.l.check(ng, months); (err == nil) != c.ok {
			t.Errorf("%s: %v; want accepted %v", c.name, err, c.ok)
		}
	}
}

// TestParseCountZero pins a published count: 0 is a count; a negative
// figure, as a suppression or missing code, is not known (NaN).
func TestParseCountZero(t *testing.T) {
	for s, want := range map[string]float64{"0": 0, "1": 1, "1,234": 1234, "-1": math.NaN(), "c": math.NaN(), "": math.NaN()} {
		got := parseCount(s)
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("parseCount(%q) = %v; want %v", s, got, want)
		}
	}
}

// TestStockFlowTrainingPairsMoreThanMinStock pins the published model's
// training pairs: of councils with more than 20 children at the pair's start
// (as it forecasts and is scored), so a council with 21 in 2015 gives a pair
// from 2015 and one with 20 does not; and a pair ends with more than 0.
func TestStockFlowTrainingPairsMoreThanMinStock(t *testing.T) {
	npairs := func(year int, stock float64) int {
		p := synthPublished(2008, 2023, func(i int) float64 { return 0.01 * float64(i%3) })
		if year > 0 {
			p.Councils[0].Years[year] = Totals{Stock: stock, Starts: 10, Ceases: 10, Pop: math.NaN()}
		}
		m, err := FitStockFlow(p, 2020, 1, PooledGrowth)
		if err != nil {
			t.Fatal(err)
		}
		return m.NPairs
	}
	if n20, n21 := npairs(2015, 20), npairs(2015, 21); n21 != n20+1 {
		t.Errorf("%d training pairs with 20 children in 2015, %d with 21; want one more with 21", n20, n21)
	}
	// No children at the end of a pair: no growth to learn from (its log is
	// not finite); the pair from that year is left out too (0 is not more
	// than 20).
	if all, none := npairs(0, 0), npairs(2016, 0); none != all-2 {
		t.Errorf("%d training pairs, %d with no children in 2016; want two fewer", all, none)
	}
}

// TestStockFlowErrorsFromEveryEarlierOrigin pins docs/METHOD.md's "the model
// is refitted at every earlier origin o with o + h ≤ T": from 31 March 2020,
// the 60 councils' errors of origins 2010 (the first with two years of
// changes) to 2019 at one year, 2011 to 2018 at two (o + h = T included).
func TestStockFlowErrorsFromEveryEarlierOrigin(t *testing.T) {
	p := synthPublished(2008, 2023, func(i int) float64 { return 0.01 * float64(i%3) })
	for h, want := range map[int]int{1: 60 * 10, 2: 60 * 8} {
		m, err := FitStockFlow(p, 2020, h, PooledGrowth)
		if err != nil {
			t.Fatal(err)
		}
		if m.NErrors != want || m.ZSource != "earlier origins" {
			t.Errorf("%d year(s) from 2020: %d errors from %s; want %d from earlier origins", h, m.NErrors, m.ZSource, want)
		}
	}
}

// TestStockFlowAtLeast200Errors pins docs/METHOD.md's "where fewer than 200
// such errors exist the model's in-sample residuals are used": 20 councils
// over the ten earlier origins 2010–2019 give 200 errors, enough; 19 give 190.
func TestStockFlowAtLeast200Errors(t *testing.T) {
	for n, want := range map[int]string{19: "in-sample residuals", 20: "earlier origins", 21: "earlier origins"} {
		p := synthPublished(2008, 2023, func(i int) float64 { return 0.01 * float64(i%3) })
		p.Councils = p.Councils[:n]
		m, err := FitStockFlow(p, 2020, 1, PooledGrowth)
		if err != nil {
			t.Fatal(err)
		}
		if m.ZSource != want {
			t.Errorf("%d councils (%d errors of earlier origins): spread from %s; want %s", n, 10*n, m.ZSource, want)
		}
	}
}

// fittedCancelled is the hand-made data, the model fitted to it and a
// context already cancelled: a projection given it checks its options and
// then stops, so a limit test sees the refusal or the context's error.
func fittedCancelled(t *testing.T) ([]care.Child, []care.Episode, *Model, context.Context) {
	t.Helper()
	children, episodes, cfg := handMade()
	m, err := Fit(children, episodes, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return children, episodes, m, ctx
}
