package scenario

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/forecast"
)

// Locator gives distances between postcodes and the council a postcode is in
// (the CLI and the web adapt package geo).
type Locator interface {
	// Miles is the straight-line distance between two postcodes (full,
	// sector or district), by the DfE method.
	Miles(from, to string) (float64, bool)
	// CouncilOf is the ONS code of the council a postcode lies in.
	CouncilOf(postcode string) (string, bool)
}

// Input is what a scenario runs on: the fitted child-level model of the
// scope's councils (origin = the scenario's from), the unit costs at the
// origin's prices, the scope's episodes (distances and funding at the
// origin: only episodes open at the origin are used), and the supply in
// the area.
type Input struct {
	Model        *forecast.Model
	Costs        *forecast.Costs
	Episodes     []care.Episode
	Provisions   []care.Provision
	Locator      Locator
	InputsDigest string // SHA-256 of the children and episodes
	ScopeName    string // the council's or region's name (default: the scope as given)
	// Baseline, when set, is the baseline projection of Model with the
	// scenario's years, simulations and seed and KeepSims or SimsOnly (a
	// Cache keeps it for scenarios that share it); nil: Run projects it.
	Baseline *forecast.Projection
	Workers  int
	// Progress, when set, is told the simulations done of the total (the
	// baseline's and the scenario's).
	Progress func(done, total int)
}

// Interval is a figure over simulations: the mean and the 10th, 50th and
// 90th percentiles.
type Interval struct {
	Mean float64 `json:"mean"`
	P10  float64 `json:"p10"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
}

// Pair is one figure for the baseline and the scenario.
type Pair struct {
	Baseline Interval `json:"baseline"`
	Scenario Interval `json:"scenario"`
}

// GroupYear is one placement group's figures at a year end.
type GroupYear struct {
	Group string `json:"group"`
	Label string `json:"label"`
	// Children in care in the group at the year end.
	Children Pair `json:"children"`
	// Spend on the group's placements in the year, pounds.
	Spend Pair `json:"spend"`
	// Places available in the area at the year end: registered places in
	// the scope's councils (supply data) and, in the scenario, the places
	// the levers add (homes opened, block-contracted places, recruited
	// foster places). Needed is the scenario's P90 of children in care;
	// Gap = needed − available (positive: short of places).
	AvailableBaseline float64 `json:"available_baseline"`
	AvailableScenario float64 `json:"available_scenario"`
	GapBaseline       float64 `json:"gap_baseline"`
	GapScenario       float64 `json:"gap_scenario"`
}

// Year is one projection year's outcomes.
type Year struct {
	Year   int         `json:"year"` // 1 = the first twelve months after the origin
	Ends   string      `json:"ends"` // its last day
	InCare Pair        `json:"in_care"`
	Groups []GroupYear `json:"groups"`
	// Areas, in a scenario of several councils, are the places needed and
	// available in each council's area by placement group.
	Areas []AreaYear `json:"areas,omitempty"`
	// Far is the share (0–1) of children in care at the year end placed more
	// than 20 miles from home.
	Far   Pair `json:"share_over_20_miles"`
	Spend Pair `json:"spend"`
	// SpendByFunder splits spend by who pays (social care, education,
	// health), as the placements in care at the origin were funded.
	SpendByFunder map[string]Pair `json:"spend_by_funder"`
	// Capital spent in the year, and the programmes' running costs
	// (annual_cost, recruitment), pounds.
	Capital   float64 `json:"capital"`
	Programme float64 `json:"programme_cost"`
	// NetSaving is baseline spend − scenario spend − capital − programme
	// costs, per simulation (paired: same seed); Cumulative adds the years.
	NetSaving  Interval `json:"net_saving"`
	Cumulative Interval `json:"cumulative_net_saving"`
}

// AreaYear is one council's places needed (P90 of its children in care in
// the group at the year end) and available in its area (registered places
// there, plus in the scenario the places its levers add).
type AreaYear struct {
	Council           string  `json:"council"`
	Group             string  `json:"group"`
	NeededBaseline    float64 `json:"needed_baseline"`
	AvailableBaseline float64 `json:"available_baseline"`
	NeededScenario    float64 `json:"needed_scenario"`
	AvailableScenario float64 `json:"available_scenario"`
}

// LeverNote says what one lever became in the model.
type LeverNote struct {
	Lever string `json:"lever"`
	What  string `json:"what"`
}

// Result is a scenario's outcomes beside the baseline.
type Result struct {
	Name         string      `json:"name"`
	Scope        string      `json:"scope"`
	Councils     []string    `json:"councils"`
	Origin       string      `json:"origin"`
	Years        int         `json:"years"`
	Sims         int         `json:"sims"`
	Seed         uint64      `json:"seed"`
	ModelVersion string      `json:"model_version"`
	InputsDigest string      `json:"inputs_sha256,omitempty"`
	Levers       []LeverNote `json:"levers"`
	Outcomes     []Year      `json:"years_out"`
	// PaybackYear is the first projection year by whose end the mean
	// cumulative net saving is 0 or more (after any capital); 0 when not
	// within the horizon. PaybackChance is the share of simulations whose
	// cumulative net saving at the horizon is 0 or more.
	PaybackYear   int     `json:"payback_year"`
	PaybackEnds   string  `json:"payback_ends,omitempty"`
	PaybackChance float64 `json:"payback_chance"`
	// Costs are the unit costs used (weekly pounds and yearly rise by group).
	Costs []CostNote `json:"costs"`
}

// CostNote is the unit cost and rise used for one placement group.
type CostNote struct {
	Group     string  `json:"group"`
	Weekly    float64 `json:"weekly"`
	Inflation float64 `json:"inflation"`
	Source    string  `json:"source,omitempty"`
}

// Funders in the order results give them.
var Funders = []string{"social_care", "education", "health"}

// Run projects the baseline and the scenario with the same seed and
// compares them year by year.
func Run(ctx context.Context, sc *Scenario, in Input) (*Result, error) {
	if err := sc.Check(); err != nil {
		return nil, errInvalid(sc, err)
	}
	m := in.Model
	if m == nil || len(m.Councils) == 0 {
		return nil, care.Errorf(care.EINVALID, "scenario %q: no council to project", sc.Name)
	}
	if in.Costs == nil {
		return nil, care.Errorf(care.EINVALID, "scenario %q: no unit costs", sc.Name)
	}
	ng := len(m.Groups)
	costs := &forecast.Costs{Weekly: append([]float64(nil), in.Costs.Weekly...), Inflation: append([]float64(nil), in.Costs.Inflation...),
		Source: append([]string(nil), in.Costs.Source...)}
	for i, l := range sc.Levers {
		if l.Lever == "price_inflation" {
			gs, _ := groupsOf(l.PlacementGroup)
			for _, g := range groupIndexes(m, gs) {
				costs.Inflation[g] = *l.Annual
			}
			_ = i
		}
	}
	var codes []string
	for _, cm := range m.Councils {
		codes = append(codes, cm.Council)
	}
	for i, l := range sc.Levers {
		if l.LA != "" && !contains(codes, l.LA) {
			return nil, care.Errorf(care.EINVALID, "scenario %q: levers[%d].la: %s is not a council of the scope (%s)", sc.Name, i, l.LA, strings.Join(codes, ", "))
		}
	}
	dist := newDistances(in.Episodes, in.Locator, m)
	shares, err := sc.shares(m, in.Locator)
	if err != nil {
		return nil, care.Errorf(care.EINVALID, "scenario %q: %v", sc.Name, err)
	}
	total := 2 * len(codes) * sc.Sims
	prog := func(off int) func(int, int) {
		if in.Progress == nil {
			return nil
		}
		return func(done, _ int) { in.Progress(off+done, total) }
	}
	opt := forecast.SimOptions{Years: sc.Years, Sims: sc.Sims, Seed: *sc.Seed, Workers: in.Workers, SimsOnly: true, Progress: prog(0)}
	base := in.Baseline
	if base == nil || base.Seed != *sc.Seed || base.Sims != sc.Sims || len(base.Months) != 12*sc.Years+1 || len(base.Councils) != len(m.Councils) {
		if base, err = forecast.Simulate(ctx, m, opt); err != nil {
			return nil, err
		}
	}
	K := 12*sc.Years + 1
	rows := forecast.SimRows(ng)
	fa := groupIndexes(m, []care.ForecastGroup{care.ForecastFosterAgency})[0]
	comp := make([]*compiled, len(codes))
	opt.Levers = map[string]*forecast.Levers{}
	for ci, cm := range m.Councils {
		agency := meanOf(base.Councils[ci].Sims, sc.Sims, rows, fa, K)
		c, err := sc.compile(m, cm, shares[ci], agency, dist)
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "scenario %q: %v", sc.Name, err)
		}
		comp[ci] = c
		opt.Levers[cm.Council] = c.levers
	}
	opt.Progress = prog(len(codes) * sc.Sims)
	scen, err := forecast.Simulate(ctx, m, opt)
	if err != nil {
		return nil, err
	}
	scope := in.ScopeName
	if scope == "" {
		scope = scopeText(sc.Scope)
	}
	res := &Result{Name: sc.Name, Scope: scope, Councils: codes, Origin: m.Config.Origin.Format(time.DateOnly),
		Years: sc.Years, Sims: sc.Sims, Seed: *sc.Seed, ModelVersion: m.Version + "+scenario-1", InputsDigest: in.InputsDigest}
	for g, grp := range m.Groups {
		res.Costs = append(res.Costs, CostNote{Group: string(grp), Weekly: round2(costs.Weekly[g]), Inflation: round4(costs.Inflation[g]), Source: costs.Source[g]})
	}
	res.Levers = sc.notes(m, shares, comp)
	sc.outcomes(res, m, base, scen, comp, costs, dist, in.Provisions)
	return res, nil
}

// meanOf is the mean over sims simulations of row r of kept simulation
// counts (forecast.CouncilProjection.Sims, rows rows of K months), by month:
// the integer total over simulations divided by their number, as the
// projection's series work out their means.
func meanOf(simCounts []int32, sims, rows, r, K int) []float64 {
	out := make([]float64, K)
	for k := range out {
		sum := 0
		for i := 0; i < sims; i++ {
			sum += int(simCounts[(i*rows+r)*K+k])
		}
		out[k] = float64(sum) / float64(sims)
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func scopeText(s Scope) string {
	if s.Region != "" {
		return s.Region
	}
	return s.LA
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
func round4(v float64) float64 { return math.Round(v*10000) / 10000 }

// shares gives, for each council (model order), each lever's part in it:
// a lever naming a council (la, or open_home's district) acts there only;
// otherwise rates act in every council and quantities are shared by the
// councils' children in care at the origin.
func (sc *Scenario) shares(m *forecast.Model, loc Locator) ([]map[int]float64, error) {
	out := make([]map[int]float64, len(m.Councils))
	tot := 0.0
	for _, cm := range m.Councils {
		tot += float64(len(cm.Current))
	}
	for ci := range out {
		out[ci] = map[int]float64{}
	}
	for i, l := range sc.Levers {
		target := l.LA
		if l.Lever == "open_home" && target == "" {
			if len(m.Councils) == 1 {
				target = m.Councils[0].Council
			} else if loc != nil {
				d, _ := districtOf(l.PostcodeDistrict)
				target, _ = loc.CouncilOf(d)
			}
			found := false
			for _, cm := range m.Councils {
				found = found || cm.Council == target
			}
			if !found {
				return nil, errorf("levers[%d].postcode_district: %s is not in a council of the scope; add \"la\" to say whose home it is", i, l.PostcodeDistrict)
			}
		}
		for ci, cm := range m.Councils {
			switch {
			case target != "":
				if cm.Council == target {
					out[ci][i] = 1
				}
			case l.Lever == "entry_rate" || l.Lever == "exit_rate" || l.Lever == "step_down" || l.Lever == "price_inflation":
				out[ci][i] = 1
			case tot > 0:
				out[ci][i] = float64(len(cm.Current)) / tot
			default:
				out[ci][i] = 1 / float64(len(m.Councils))
			}
		}
	}
	return out, nil
}

type plainError string

func (e plainError) Error() string { return string(e) }

func errorf(format string, a ...any) error {
	return plainError(fmt.Sprintf(format, a...))
}

// distances holds, per council and placement group, the share of children
// in care at the origin placed more than 20 miles from home, and what is
// needed to tell how many of them a new home near home would bring back.
type distances struct {
	loc Locator
	// by council: per group, children with a known distance and those > 20 miles
	known, far map[string][]float64
	// by council and group: home postcodes of the children placed > 20 miles
	farHomes map[string][][]string
	// funding shares by council and group (social care, education, health)
	fund map[string][][3]float64
}

func newDistances(episodes []care.Episode, loc Locator, m *forecast.Model) *distances {
	ng := len(m.Groups)
	d := &distances{loc: loc, known: map[string][]float64{}, far: map[string][]float64{}, farHomes: map[string][][]string{}, fund: map[string][][3]float64{}}
	origin := m.Config.Origin
	gi := map[care.ForecastGroup]int{}
	for i, g := range m.Groups {
		gi[g] = i
	}
	money := map[string][][3]float64{}
	for _, e := range episodes {
		if !e.Covers(origin) {
			continue
		}
		g := gi[care.ForecastGroupOf(e.Placement, e.Provider)]
		if d.known[e.Council] == nil {
			d.known[e.Council], d.far[e.Council] = make([]float64, ng), make([]float64, ng)
			d.farHomes[e.Council] = make([][]string, ng)
			money[e.Council] = make([][3]float64, ng)
		}
		if f := e.Funding; f.SocialCare+f.Education+f.Health > 0 {
			money[e.Council][g][0] += f.SocialCare.Pounds()
			money[e.Council][g][1] += f.Education.Pounds()
			money[e.Council][g][2] += f.Health.Pounds()
		} else if e.WeeklyCost > 0 {
			money[e.Council][g][0] += e.WeeklyCost.Pounds()
		}
		if loc == nil || e.HomePostcode == "" || e.PlacementPostcode == "" {
			continue
		}
		mi, ok := loc.Miles(e.HomePostcode, e.PlacementPostcode)
		if !ok {
			continue
		}
		d.known[e.Council][g]++
		if math.Round(mi*10)/10 > 20 {
			d.far[e.Council][g]++
			d.farHomes[e.Council][g] = append(d.farHomes[e.Council][g], e.HomePostcode)
		}
	}
	for c, mm := range money {
		f := make([][3]float64, ng)
		for g := range mm {
			t := mm[g][0] + mm[g][1] + mm[g][2]
			if t > 0 {
				for j := 0; j < 3; j++ {
					f[g][j] = mm[g][j] / t
				}
			} else {
				f[g][0] = 1
			}
		}
		d.fund[c] = f
	}
	return d
}

// farShare is the share of a council's children in group g placed more
// than 20 miles from home at the origin (all groups' share when the group
// has no known distance).
func (d *distances) farShare(council string, g int) float64 {
	k, f := d.known[council], d.far[council]
	if k == nil {
		return 0
	}
	if k[g] > 0 {
		return f[g] / k[g]
	}
	if t := sum(k); t > 0 {
		return sum(f) / t
	}
	return 0
}

// local is the share of the council's children in group g (with a known
// distance) who are placed more than 20 miles from home and whose home is
// within 20 miles of the district: the children a home there would bring
// back within 20 miles.
func (d *distances) local(council string, g int, district string) float64 {
	k := d.known[council]
	if k == nil || k[g] == 0 || d.loc == nil {
		return 0
	}
	n := 0.0
	for _, h := range d.farHomes[council][g] {
		if mi, ok := d.loc.Miles(h, district); ok && math.Round(mi*10)/10 <= 20 {
			n++
		}
	}
	return n / k[g]
}

func (d *distances) funding(council string, g int) [3]float64 {
	if f := d.fund[council]; f != nil {
		return f[g]
	}
	return [3]float64{1, 0, 0}
}

// interval is the mean and quantiles of v (linear interpolation); v is
// left as it is (callers keep it in simulation order).
func interval(v []float64) Interval {
	v = append([]float64(nil), v...)
	sort.Float64s(v)
	q := func(p float64) float64 {
		if len(v) == 0 {
			return 0
		}
		x := p * float64(len(v)-1)
		i := int(x)
		if i+1 >= len(v) {
			return v[len(v)-1]
		}
		return v[i] + (x-float64(i))*(v[i+1]-v[i])
	}
	mean := 0.0
	for _, x := range v {
		mean += x
	}
	if len(v) > 0 {
		mean /= float64(len(v))
	}
	return Interval{Mean: mean, P10: q(0.1), P50: q(0.5), P90: q(0.9)}
}

func errInvalid(sc *Scenario, err error) error {
	return care.Errorf(care.EINVALID, "scenario %q: %v", sc.Name, err)
}
