package forecast

import (
	"context"
	"math"
	"time"

	"sufficiency/care"
)

// Child-level methods scored by BacktestChildLevel.
const (
	MethodSimulate = "simulate" // the child-level Monte Carlo model
	MethodMarkov   = "markov"   // the deterministic reference (v2) mode
)

// CutAt returns the episodes as they were known at the end of day origin:
// episodes starting later are dropped and episodes ending later are open
// (end date and reason cleared). The input is not changed.
func CutAt(episodes []care.Episode, origin time.Time) []care.Episode {
	out := make([]care.Episode, 0, len(episodes))
	for _, e := range episodes {
		if e.Start.After(origin) {
			continue
		}
		if !e.End.IsZero() && e.End.After(origin) {
			e.End, e.ReasonEnded, e.ReasonPlaceChange = time.Time{}, "", ""
		}
		out = append(out, e)
	}
	return out
}

// StockAt counts the children in care at the end of day d, by council and
// placement group (index into care.ForecastGroups).
func StockAt(episodes []care.Episode, d time.Time) map[string][]int {
	out := map[string][]int{}
	seen := map[[2]string]bool{}
	for _, e := range episodes {
		if !e.Covers(d) {
			continue
		}
		k := [2]string{e.Council, e.ChildID}
		if seen[k] {
			continue
		}
		seen[k] = true
		if out[e.Council] == nil {
			out[e.Council] = make([]int, len(care.ForecastGroups))
		}
		out[e.Council][groupIndex(care.ForecastGroupOf(e.Placement, e.Provider))]++
	}
	return out
}

// GroupError is one method's error for one placement group: the absolute
// percentage error of the group's total over all councils.
type GroupError struct {
	Method string  `json:"method"`
	Group  string  `json:"group"`
	APE    float64 `json:"ape"`
}

// ChildScore is one method's accuracy at one origin and horizon (or over all
// origins when Origin is empty).
type ChildScore struct {
	Method     string       `json:"method"`
	Origin     string       `json:"origin"`
	Horizon    int          `json:"horizon"`
	N          int          `json:"n"`          // council forecasts scored
	MAPE       float64      `json:"mape"`       // of council totals
	Coverage80 float64      `json:"coverage80"` // share of council totals inside the 80% interval
	Groups     []GroupError `json:"groups,omitempty"`
}

// ChildBacktest is a rolling-origin backtest of the child-level model, the
// deterministic reference mode and the naive last value on the same origins.
type ChildBacktest struct {
	ModelVersion string       `json:"model_version"`
	Origins      []string     `json:"origins"`
	Sims         int          `json:"sims"`
	Seed         uint64       `json:"seed"`
	Scores       []ChildScore `json:"scores"`
}

// BacktestChildLevel refits the child-level model at each origin (each 31 March
// from one year after the data start to a year before its end, when origins is
// empty) on the episodes cut at the origin, projects 1..years years with sims
// simulations and the deterministic reference mode, and scores the council
// totals (councils with more than MinStock children at the origin) and the
// all-council total of each placement group against what the full data show.
// The naive forecast is the stock at the origin; its 80% interval is not
// scored; nor is that of the linear trend through the stocks at the origin and
// up to two 31 Marches before it. It returns EINVALID when no origin can be
// scored.
func BacktestChildLevel(ctx context.Context, children []care.Child, episodes []care.Episode, origins []time.Time, years, sims int, seed uint64) (*ChildBacktest, error) {
	first, last := dataRange(episodes)
	if first.IsZero() {
		return nil, care.Errorf(care.EINVALID, "no episodes to backtest on; import SSDA903 returns first")
	}
	if years < 1 || years > 5 {
		return nil, care.Errorf(care.EINVALID, "backtest horizon %d years: give 1 to 5", years)
	}
	if len(origins) == 0 {
		for y := first.Year(); y <= last.Year(); y++ {
			o := care.Date(y, 3, 31)
			if !o.Before(first.AddDate(1, 0, 0)) && !o.After(last.AddDate(-1, 0, 0)) {
				origins = append(origins, o)
			}
		}
	}
	res := &ChildBacktest{ModelVersion: ChildModelVersion, Sims: sims, Seed: seed}
	type acc struct {
		n        int
		ape, cov float64
		gF, gA   []float64
	}
	all := map[[2]any]*acc{}
	get := func(m map[[2]any]*acc, method string, h int) *acc {
		k := [2]any{method, h}
		if m[k] == nil {
			m[k] = &acc{gF: make([]float64, len(care.ForecastGroups)), gA: make([]float64, len(care.ForecastGroups))}
		}
		return m[k]
	}
	methods := []string{MethodSimulate, MethodMarkov, MethodNaive, MethodTrend}
	for _, o := range origins {
		cut := CutAt(episodes, o)
		m, err := Fit(children, cut, Config{Origin: o})
		if err != nil {
			continue
		}
		maxH := 0
		for h := 1; h <= years; h++ {
			if !monthEnd(o, 12*h).After(last) {
				maxH = h
			}
		}
		if maxH == 0 {
			continue
		}
		sim, err := Simulate(ctx, m, SimOptions{Years: maxH, Sims: sims, Seed: seed})
		if err != nil {
			return nil, err
		}
		mk, err := Markov(m, maxH, nil)
		if err != nil {
			return nil, err
		}
		start := StockAt(cut, o)
		// the linear trend through the stocks at the origin and up to two 31 Marches before it
		var past []map[string][]int
		for k := 1; k <= 2; k++ {
			if d := o.AddDate(-k, 0, 0); !d.Before(first) {
				past = append(past, StockAt(cut, d))
			}
		}
		trend := func(code string, h int, g int) float64 {
			val := func(m map[string][]int) float64 {
				if g < 0 {
					return float64(sum(m[code]))
				}
				if v := m[code]; v != nil {
					return float64(v[g])
				}
				return 0
			}
			xs, ys := []float64{0}, []float64{val(start)}
			for k, m := range past {
				xs, ys = append(xs, float64(-(k+1))), append(ys, val(m))
			}
			if len(xs) < 2 {
				return ys[0]
			}
			var mx, my, sxy, sxx float64
			for i := range xs {
				mx += xs[i] / float64(len(xs))
				my += ys[i] / float64(len(xs))
			}
			for i := range xs {
				sxy += (xs[i] - mx) * (ys[i] - my)
				sxx += (xs[i] - mx) * (xs[i] - mx)
			}
			return math.Max(0, my+sxy/sxx*(float64(h)-mx))
		}
		per := map[[2]any]*acc{}
		for h := 1; h <= maxH; h++ {
			k := 12 * h
			actual := StockAt(episodes, monthEnd(o, k))
			for i, cp := range sim.Councils {
				code := cp.Council
				last0 := sum(start[code])
				act := actual[code]
				if last0 <= MinStock || sum(act) == 0 {
					continue
				}
				y := float64(sum(act))
				mc := mk.Councils[i]
				z := 1.2815515655446004 // 80% interval of a normal, for the v2 band
				fc := map[string][3]float64{
					MethodSimulate: {cp.Total.P50[k], cp.Total.P10[k], cp.Total.P90[k]},
					MethodMarkov:   {mc.Total.Mean[k], mc.Total.Mean[k] - z*mc.Total.SD[k], mc.Total.Mean[k] + z*mc.Total.SD[k]},
					MethodNaive:    {float64(last0), math.NaN(), math.NaN()},
					MethodTrend:    {trend(code, h, -1), math.NaN(), math.NaN()},
				}
				for _, meth := range methods {
					f := fc[meth]
					for _, a := range []*acc{get(per, meth, h), get(all, meth, h)} {
						a.n++
						a.ape += math.Abs(f[0]-y) / y * 100
						if y >= f[1] && y <= f[2] {
							a.cov++
						}
						for g := range care.ForecastGroups {
							a.gA[g] += float64(act[g])
							switch meth {
							case MethodSimulate:
								a.gF[g] += cp.Groups[g].Mean[k]
							case MethodMarkov:
								a.gF[g] += mc.Groups[g].Mean[k]
							case MethodTrend:
								a.gF[g] += trend(code, h, g)
							default:
								if s := start[code]; s != nil {
									a.gF[g] += float64(s[g])
								}
							}
						}
					}
				}
			}
		}
		scored := false
		for h := 1; h <= maxH; h++ {
			for _, meth := range methods {
				if a := per[[2]any{meth, h}]; a != nil && a.n > 0 {
					res.Scores = append(res.Scores, childScore(meth, o.Format(time.DateOnly), h, a.n, a.ape, a.cov, a.gF, a.gA))
					scored = true
				}
			}
		}
		if scored {
			res.Origins = append(res.Origins, o.Format(time.DateOnly))
		}
	}
	if len(res.Origins) == 0 {
		return nil, care.Errorf(care.EINVALID, "no origin could be scored: the episodes run from %s to %s; an origin needs at least a year of history before it, a year of outcomes after it and a council with more than %d children in care",
			first.Format(time.DateOnly), last.Format(time.DateOnly), MinStock)
	}
	for h := 1; h <= years; h++ {
		for _, meth := range methods {
			if a := all[[2]any{meth, h}]; a != nil && a.n > 0 {
				res.Scores = append(res.Scores, childScore(meth, "", h, a.n, a.ape, a.cov, a.gF, a.gA))
			}
		}
	}
	return res, nil
}

func childScore(method, origin string, h, n int, ape, cov float64, gF, gA []float64) ChildScore {
	s := ChildScore{Method: method, Origin: origin, Horizon: h, N: n, MAPE: ape / float64(n), Coverage80: math.NaN()}
	if method == MethodSimulate || method == MethodMarkov {
		s.Coverage80 = cov / float64(n)
	}
	for g, grp := range care.ForecastGroups {
		e := GroupError{Method: method, Group: string(grp), APE: math.NaN()}
		if gA[g] > 0 {
			e.APE = math.Abs(gF[g]-gA[g]) / gA[g] * 100
		}
		s.Groups = append(s.Groups, e)
	}
	return s
}

// sum is the total of v.
func sum[T int | float64](v []T) T {
	var n T
	for _, x := range v {
		n += x
	}
	return n
}
