package forecast

import "math"

// growthIndex answers, for a published series, the growth of a council's
// region over the same years as the council's own recent growth. Regions are
// the file's region names; councils without one (and files without regions)
// are pooled with England, the sum of all councils. Every answer for year t
// reads only figures for years up to t.
type growthIndex struct {
	p      *Published
	groups map[string][]*CouncilSeries // by region name; "" is every council
	memo   map[growthKey]float64
}

type growthKey struct {
	group string
	t, k  int
}

// maxTrendYears is how far back (at most) the council's own growth is
// measured: three years, the span that averages out a single odd year but
// still reflects current practice.
const maxTrendYears = 3

func newGrowthIndex(p *Published) *growthIndex {
	g := &growthIndex{p: p, groups: map[string][]*CouncilSeries{}, memo: map[growthKey]float64{}}
	for _, s := range p.Councils {
		g.groups[""] = append(g.groups[""], s)
		if s.Region != "" {
			g.groups[s.Region] = append(g.groups[s.Region], s)
		}
	}
	return g
}

// groupGrowth is the annualised log growth from t−k to t of the total of the
// group's councils that have a positive stock in both years; NaN when none.
func (g *growthIndex) groupGrowth(group string, t, k int) float64 {
	key := growthKey{group, t, k}
	if v, ok := g.memo[key]; ok {
		return v
	}
	a, b := 0.0, 0.0
	for _, s := range g.groups[group] {
		x, y := s.Stock(t), s.Stock(t-k)
		if x > 0 && y > 0 {
			a += x
			b += y
		}
	}
	v := math.NaN()
	if a > 0 && b > 0 {
		v = math.Log(a/b) / float64(k)
	}
	g.memo[key] = v
	return v
}

// pooled returns the regional growth and the council's deviation from it at
// year t. The span is the longest k ≤ maxTrendYears with the council's stock
// published at t−k (a missing year, such as 2018, shortens it); the region's
// growth is measured over the same span. With no earlier figure for the
// council the deviation is 0 and the region's growth is over the longest span
// it has.
func (g *growthIndex) pooled(s *CouncilSeries, t int) (regional, deviation float64) {
	group := s.Region
	if len(g.groups[group]) < 2 {
		group = ""
	}
	st := s.Stock(t)
	for k := maxTrendYears; k >= 1; k-- {
		prev := s.Stock(t - k)
		if !(prev > 0) || !(st > 0) {
			continue
		}
		r := g.groupGrowth(group, t, k)
		if math.IsNaN(r) {
			continue
		}
		own := clamp((math.Log(st)-math.Log(prev))/float64(k), -0.5, 0.5)
		return r, own - r
	}
	for k := maxTrendYears; k >= 1; k-- {
		if r := g.groupGrowth(group, t, k); !math.IsNaN(r) {
			return r, 0
		}
	}
	return 0, 0
}

// longDeviation is the council's annualised growth from its earliest figure
// in t−8..t−4 to t minus its region's over the same years (0 without one).
func (g *growthIndex) longDeviation(s *CouncilSeries, t int) float64 {
	group := s.Region
	if len(g.groups[group]) < 2 {
		group = ""
	}
	st := s.Stock(t)
	for k := 8; k >= 4; k-- {
		prev := s.Stock(t - k)
		if !(prev > 0) || !(st > 0) {
			continue
		}
		r := g.groupGrowth(group, t, k)
		if math.IsNaN(r) {
			continue
		}
		return clamp((math.Log(st)-math.Log(prev))/float64(k), -0.5, 0.5) - r
	}
	return 0
}
