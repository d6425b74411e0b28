package forecast

import (
	"fmt"
	"math"
	"sort"

	"sufficiency/care"
)

// Forecast methods scored by the backtest.
const (
	MethodStockFlow = "pooled_growth" // the published-statistics model (StockFlowModel with PooledGrowth)
	MethodNaive     = "last_value"    // naive: the stock at the origin, with empirical intervals
	MethodTrend     = "linear_trend"
)

// trendPoints is how many of the latest published years the linear-trend
// baseline fits.
const trendPoints = 5

// Score is one method's accuracy over a set of forecasts. Percentages are
// means over council forecasts of |forecast − outcome| / outcome (MAPE) and
// of the weighted interval score divided by the outcome (WIS%); Coverage80
// is the share of outcomes inside the P10–P90 interval. Methods without a
// distribution have NaN coverage and WIS.
type Score struct {
	Method     string  `json:"method"`
	Horizon    int     `json:"horizon"`
	Origin     int     `json:"origin"` // 0 for all origins together
	N          int     `json:"n"`
	MAPE       float64 `json:"mape"`
	Coverage80 float64 `json:"coverage80"`
	WIS        float64 `json:"wis_pct"`
	// Bias is the mean signed % error of the point forecast, (forecast −
	// outcome) / outcome: above 0 the method forecast too many children.
	Bias float64 `json:"bias_pct"`
	// BelowP10 and AboveP90 are the shares of outcomes below the 10th and
	// above the 90th percentile (each 10% when calibrated; NaN without a
	// distribution): a lopsided pair shows a biased distribution.
	BelowP10 float64 `json:"below_p10"`
	AboveP90 float64 `json:"above_p90"`
	Variant  string  `json:"variant,omitempty"` // the model specification chosen (per origin, model rows)
}

// BacktestResult is a rolling-origin backtest of the published-statistics
// model and the naive baselines on exactly the same council forecasts.
type BacktestResult struct {
	ModelVersion string   `json:"model_version"`
	Origins      []int    `json:"origins"`
	Horizons     []int    `json:"horizons"`
	MinStock     int      `json:"min_stock"`
	Scores       []Score  `json:"scores"`            // per origin, then overall (Origin 0)
	Skipped      []string `json:"skipped,omitempty"` // origins asked for (and horizons of scored origins) that could not be scored, with the reason
}

// Overall returns the all-origins score for a method and horizon.
func (b *BacktestResult) Overall(method string, h int) (Score, bool) {
	for _, s := range b.Scores {
		if s.Method == method && s.Horizon == h && s.Origin == 0 {
			return s, true
		}
	}
	return Score{}, false
}

// Backtest refits the model at every origin in origins (all the data allows
// when empty) using only the figures up to that origin, forecasts 1..maxH
// years ahead, and scores the forecasts against the published outcomes for
// every council with more than MinStock children in care at the origin. The
// naive last-value forecast (with intervals from the empirical distribution
// of past h-year changes, scaled by size like the model's) and a linear trend
// over the last five published years are scored on exactly the same council
// forecasts. Origins asked for that cannot be scored (not in the data, too
// little history, no outcome) are listed in Skipped; it returns EINVALID when
// none can be scored.
func Backtest(p *Published, origins []int, maxH int) (*BacktestResult, error) {
	return BacktestVariant(p, origins, maxH, PooledGrowth)
}

// BacktestVariant is Backtest with another model specification (for example
// one of Alternatives) in place of PooledGrowth.
func BacktestVariant(p *Published, origins []int, maxH int, variant Variant) (*BacktestResult, error) {
	if maxH < 1 {
		maxH = 3
	}
	explicit := len(origins) > 0
	if !explicit {
		origins = p.Years
	}
	res := &BacktestResult{ModelVersion: StockFlowVersion, MinStock: MinStock}
	for h := 1; h <= maxH; h++ {
		res.Horizons = append(res.Horizons, h)
	}
	overall := map[[2]int]map[string]*acc{}
	add := func(m map[string]*acc, method string, f, lo, hi, wis, y float64, hasDist bool) {
		a := m[method]
		if a == nil {
			a = &acc{}
			m[method] = a
		}
		a.n++
		a.ape += math.Abs(f-y) / y * 100
		a.pe += (f - y) / y * 100
		if hasDist {
			a.nInt++
			a.wis += wis / y * 100
			switch {
			case y < lo:
				a.below++
			case y > hi:
				a.above++
			default:
				a.cover++
			}
		}
	}
	methods := []string{MethodStockFlow, MethodNaive, MethodTrend}
	for _, origin := range origins {
		if !p.HasYear(origin) {
			if explicit {
				res.Skipped = append(res.Skipped, fmt.Sprintf("%d: not in the published series (years %s)", origin, yearList(p.Years)))
			}
			continue
		}
		cut := p.Cut(origin)
		scoredAny := false
		var gaps []string // horizons of this origin that could not be scored, with the reason
		for h := 1; h <= maxH; h++ {
			if !p.HasYear(origin + h) {
				gaps = append(gaps, fmt.Sprintf("%d at %d year(s): no published outcome at 31 March %d", origin, h, origin+h))
				continue
			}
			m, err := FitStockFlow(cut, origin, h, variant)
			if err != nil {
				gaps = append(gaps, fmt.Sprintf("%d at %d year(s): %s", origin, h, care.ErrorMessage(err)))
				continue
			}
			naive := fitNaive(cut, origin, h)
			per := map[string]*acc{}
			for _, s := range cut.Councils {
				last := s.Stock(origin)
				if !Known(last) || last <= MinStock {
					continue
				}
				full, err := p.Council(s.Code)
				if err != nil {
					continue
				}
				y := full.Stock(origin + h)
				if !Known(y) || y <= 0 {
					continue
				}
				pr, err := m.Predict(s)
				if err != nil {
					continue
				}
				wisM := WIS(pr.Quantiles, y)
				nq := naive.quantiles(last)
				wisN := WIS(nq, y)
				tr := linearTrend(s, origin, h)
				for _, mm := range []map[string]*acc{per, overallFor(overall, h)} {
					add(mm, MethodStockFlow, pr.P(0.5), pr.P(0.1), pr.P(0.9), wisM, y, true)
					add(mm, MethodNaive, last, nq[0.1], nq[0.9], wisN, y, true)
					add(mm, MethodTrend, tr, 0, 0, 0, y, false)
				}
			}
			if len(per) == 0 {
				gaps = append(gaps, fmt.Sprintf("%d at %d year(s): no council had more than %d children in care at the origin and a published outcome", origin, h, MinStock))
				continue
			}
			scoredAny = true
			for _, meth := range methods {
				sc := score(meth, h, origin, per[meth])
				if meth == MethodStockFlow {
					sc.Variant = variant.Name
				}
				res.Scores = append(res.Scores, sc)
			}
		}
		if scoredAny {
			res.Origins = append(res.Origins, origin)
			// A scored origin missing some horizons says which and why, so
			// a reader never wonders where a row went.
			res.Skipped = append(res.Skipped, gaps...)
		} else if explicit {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%d: too little history before it (the model needs %d years of changes) or no outcome 1–%d years later", origin, minTrainYears, maxH))
		}
	}
	if len(res.Origins) == 0 {
		return nil, care.Errorf(care.EINVALID, "no origin could be scored: the series holds years %s, and an origin needs %d years of history before it and a published outcome 1–%d years after it; choose origins from %d to %d",
			yearList(p.Years), minTrainYears, maxH, p.FirstYear()+minTrainYears, p.LastYear()-1)
	}
	for _, h := range res.Horizons {
		m := overall[[2]int{h, 0}]
		if m == nil {
			continue
		}
		for _, meth := range methods {
			res.Scores = append(res.Scores, score(meth, h, 0, m[meth]))
		}
	}
	return res, nil

}

func overallFor(o map[[2]int]map[string]*acc, h int) map[string]*acc {
	k := [2]int{h, 0}
	if o[k] == nil {
		o[k] = map[string]*acc{}
	}
	return o[k]
}

// acc accumulates one method's errors.
type acc struct {
	n                     int
	ape, wis, cover, nInt float64
	pe, below, above      float64
}

func score(method string, h, origin int, a *acc) Score {
	s := Score{Method: method, Horizon: h, Origin: origin, MAPE: math.NaN(), Coverage80: math.NaN(), WIS: math.NaN(),
		Bias: math.NaN(), BelowP10: math.NaN(), AboveP90: math.NaN()}
	if a == nil || a.n == 0 {
		return s
	}
	s.N = a.n
	s.MAPE = a.ape / float64(a.n)
	s.Bias = a.pe / float64(a.n)
	if a.nInt > 0 {
		s.Coverage80 = a.cover / a.nInt
		s.WIS = a.wis / a.nInt
		s.BelowP10 = a.below / a.nInt
		s.AboveP90 = a.above / a.nInt
	}
	return s
}

// WIS is the weighted interval score of a set of predictive quantiles
// (levels symmetric about the median, which must be included) for outcome y:
// Σ pinball losses / (K + ½) where K is the number of central intervals. It is
// a proper score; lower is better, and it equals the absolute error for a
// point forecast.
func WIS(q map[float64]float64, y float64) float64 {
	levels := make([]float64, 0, len(q))
	for l := range q {
		levels = append(levels, l)
	}
	sort.Float64s(levels)
	sum := 0.0
	for _, l := range levels {
		v := q[l]
		ind := 0.0
		if y < v {
			ind = 1
		}
		sum += (ind - l) * (v - y)
	}
	k := float64(len(levels)-1) / 2
	return sum / (k + 0.5)
}

// naiveModel is the last-value forecast with empirical intervals: past h-year
// log changes over all councils, standardised by the same size-dependent
// spread as the model's, so the baseline's intervals are as well calibrated
// as the data allow.
type naiveModel struct {
	a, b float64
	z    []float64
}

func fitNaive(p *Published, origin, h int) naiveModel {
	pairs := trainingPairs(p, origin, h)
	if len(pairs) == 0 {
		return naiveModel{a: 0.01, z: []float64{0}}
	}
	resid := make([]float64, len(pairs))
	for i, tp := range pairs {
		resid[i] = tp.y
	}
	a, b := fitScale(pairs, resid)
	z := make([]float64, len(pairs))
	for i, tp := range pairs {
		z[i] = resid[i] / math.Sqrt(a+b/tp.stock)
	}
	sort.Float64s(z)
	return naiveModel{a: a, b: b, z: z}
}

func (n naiveModel) quantiles(last float64) map[float64]float64 {
	sig := math.Sqrt(n.a + n.b/last)
	out := map[float64]float64{}
	for _, q := range quantileLevels {
		out[q] = last * math.Exp(sig*quantile(n.z, q))
	}
	return out
}

// linearTrend fits a straight line to the council's last trendPoints published
// stocks up to origin and extrapolates it h years (never below zero). With a
// single point it is the last value.
func linearTrend(s *CouncilSeries, origin, h int) float64 {
	var xs, ys []float64
	for y := origin; y > origin-15 && len(xs) < trendPoints; y-- {
		if v := s.Stock(y); Known(v) {
			xs = append(xs, float64(y))
			ys = append(ys, v)
		}
	}
	if len(xs) < 2 {
		return s.Stock(origin)
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(xs))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	slope := sxy / sxx
	return math.Max(0, my+slope*(float64(origin+h)-mx))
}
