package forecast

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"sufficiency/care"
)

// StockFlowVersion identifies the published-statistics model; it is recorded
// with every result so a forecast can be reproduced.
const StockFlowVersion = "pooled-growth-1"

// MinStock is the smallest stock at the origin for which the published model
// trains and is scored: councils with 20 or fewer children in care are too
// small for a percentage error to mean anything.
const MinStock = 20

// minTrainYears is the fewest distinct outcome years the model needs before an
// origin for a given horizon.
const minTrainYears = 2

// quantileLevels are the predictive quantiles kept for every forecast: the
// 80% interval (P10–P90), the median and the levels of the weighted interval
// score (intervals at 10, 20, 40, 60, 80 and 90%).
var quantileLevels = []float64{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}

// Prediction is one council's forecast for one year.
type Prediction struct {
	Code      string              // council ONS code (or DfE:nnn)
	Name      string              // council name
	Origin    int                 // last year of data used (31 March)
	Year      int                 // year forecast (31 March)
	Last      float64             // stock at the origin
	Mean      float64             // predictive mean
	Quantiles map[float64]float64 // predictive quantiles at quantileLevels
}

// P returns the predictive quantile at level q (one of 0.05, 0.1, …, 0.95).
func (p Prediction) P(q float64) float64 { return p.Quantiles[q] }

// StockFlowModel is the published-statistics model for one horizon, fitted at
// one origin. By default (PooledGrowth) the log change in a council's stock
// over h years is predicted from what was published up to the start t:
//
//	log S(t+h) − log S(t) = b1·g_R + b2·(g_i − g_R) + b3·sf_i + b4·r_i + e
//
// where g_i is the council's annualised log growth over the last (up to)
// three years, g_R the growth of its region's total over the same years,
// sf_i the stock-and-flow projection of next year's growth (latest starts
// kept, ceases at the latest rate per child in care) and r_i the log of the
// council's children in care per child over England's. b1 damps the regional
// trend and b2 shrinks the council's own deviation toward its region
// (empirical Bayes: all councils share the weights, fitted on every h-year
// change before the origin); b4 < 0 is reversion of unusually high or low
// rates. The weights are fitted by least absolute deviations — the loss the
// MAPE measures — with a small ridge penalty toward 0, that is toward the
// naive last value. Errors are modelled on the log scale with a
// size-dependent spread σ²(S) = a + b/S (a Poisson-like part plus
// over-dispersion), and the predictive distribution uses the empirical
// quantiles of the standardised errors e/σ(S) of the same model's forecasts
// from earlier origins (its in-sample residuals when fewer than
// minOutOfSample exist).
type StockFlowModel struct {
	Origin  int       // last year of data the model saw
	Horizon int       // years ahead
	Variant Variant   // the specification fitted
	Coef    []float64 // intercept, then one slope per feature of Variant
	ScaleA  float64   // a in σ² = a + b/S
	ScaleB  float64   // b in σ² = a + b/S
	Z       []float64 // sorted standardised errors (out of sample where possible)
	ZSource string    // "earlier origins" or "in-sample residuals"
	NErrors int       // errors behind Z and the spread
	NPairs  int       // training pairs
	Years   []int     // outcome years in the training set

	index *growthIndex // the series at the origin, for regional growth
}

// Feature indexes: the predictors a model variant may use.
const (
	featFlow       = iota // one-year growth implied by starts and ceases
	featTrend             // council's annualised growth over up to three years
	featNational          // England's annualised growth over the last year published
	featStockFlow         // next year's growth if starts and the exit rate stay as they were
	featLevel             // log of the council's five-year line at t over its stock at t
	featRate              // log of the council's rate per child population over England's (latest population known at t)
	featRegional          // annualised growth of the council's region over the council's last (up to) three years
	featDeviation         // council's annualised growth over those years minus its region's
	featStockFlow3        // next year's growth if starts and the exit rate stay at their means over the last (up to) three years
	featDevLong           // council's annualised growth over up to eight years minus its region's over the same years
	numFeatures
)

// featureNames are the feature indexes' names, for the method notes.
var featureNames = [numFeatures]string{"flow", "trend", "national", "stockflow", "level", "rate", "regional", "deviation", "stockflow3", "deviation_long"}

// features returns the predictors at year t for a council, from figures up to
// t only. ok is false when the stock at t is unknown or not positive.
func features(s *CouncilSeries, g *growthIndex, t int) (x [numFeatures]float64, ok bool) {
	nat := g.p.National
	cur, ok1 := s.Years[t]
	if !ok1 || !Known(cur.Stock) || cur.Stock <= 0 {
		return x, false
	}
	st := cur.Stock
	// trend: annualised growth from the earliest known stock in t-3..t-1.
	trend, haveTrend := 0.0, false
	for k := 3; k >= 1; k-- {
		if v := s.Stock(t - k); Known(v) && v > 0 {
			trend, haveTrend = (math.Log(st)-math.Log(v))/float64(k), true
			break
		}
	}
	// flow: one-year growth implied by starts and ceases; stockflow: the
	// growth next year if starts stay as they were and ceases keep the same
	// rate per child in care.
	flow, haveFlow := 0.0, false
	sf, haveSF := 0.0, false
	if Known(cur.Starts) && Known(cur.Ceases) {
		if prev := st - cur.Starts + cur.Ceases; prev > 0 {
			flow, haveFlow = math.Log(st)-math.Log(prev), true
			rate := cur.Ceases / ((st + prev) / 2)
			if next := st + cur.Starts - rate*st; next > 0 {
				sf, haveSF = math.Log(next)-math.Log(st), true
			}
		}
	}
	if !haveFlow {
		if v := s.Stock(t - 1); Known(v) && v > 0 {
			flow, haveFlow = math.Log(st)-math.Log(v), true
		}
	}
	switch {
	case !haveFlow && !haveTrend:
		// no history at all: no change predicted from the council's own figures
	case !haveFlow:
		flow = trend
	case !haveTrend:
		trend = flow
	}
	if !haveSF {
		sf = flow
	}
	// bound single-year growth so one odd figure cannot swing a forecast
	x[featFlow], x[featTrend], x[featStockFlow] = clamp(flow, -0.7, 0.7), clamp(trend, -0.7, 0.7), clamp(sf, -0.7, 0.7)
	x[featNational] = nationalGrowth(nat, t)
	x[featRegional], x[featDeviation] = g.pooled(s, t)
	x[featDevLong] = g.longDeviation(s, t)
	x[featStockFlow3] = x[featStockFlow]
	if st3, rate3, ok := recentFlows(s, t); ok {
		if next := st + st3 - rate3*st; next > 0 {
			x[featStockFlow3] = clamp(math.Log(next)-math.Log(st), -0.7, 0.7)
		}
	}
	if line := linearTrend(s, t, 0); line > 0 {
		x[featLevel] = clamp(math.Log(line)-math.Log(st), -0.7, 0.7)
	}
	if pop := latestPop(s.Years, t); pop > 0 {
		if npop := latestPop(nat, t); npop > 0 {
			if n, ok := nat[t]; ok && Known(n.Stock) && n.Stock > 0 {
				x[featRate] = clamp(math.Log(st/pop)-math.Log(n.Stock/npop), -1.5, 1.5)
			}
		}
	}
	return x, true
}

// recentFlows returns the mean starts and the mean rate of ceasing (ceases
// over the year's mean stock) over the last (up to) maxTrendYears years to t
// with both published; ok is false when no year has them.
func recentFlows(s *CouncilSeries, t int) (starts, rate float64, ok bool) {
	n := 0
	for y := t; y > t-maxTrendYears; y-- {
		c, have := s.Years[y]
		if !have || !Known(c.Stock) || !Known(c.Starts) || !Known(c.Ceases) {
			continue
		}
		prev := c.Stock - c.Starts + c.Ceases
		if prev <= 0 || c.Stock+prev <= 0 {
			continue
		}
		starts += c.Starts
		rate += c.Ceases / ((c.Stock + prev) / 2)
		n++
	}
	if n == 0 {
		return 0, 0, false
	}
	return starts / float64(n), rate / float64(n), true
}

// latestPop returns the population published for the latest year up to t, or 0.
func latestPop(ys map[int]Totals, t int) float64 {
	for y := t; y >= t-12; y-- {
		if v, ok := ys[y]; ok && Known(v.Pop) && v.Pop > 0 {
			return v.Pop
		}
	}
	return 0
}

// nationalGrowth is England's annualised log growth to year t from the nearest
// earlier year published (0 when unknown).
func nationalGrowth(nat map[int]Totals, t int) float64 {
	cur, ok := nat[t]
	if !ok || !Known(cur.Stock) || cur.Stock <= 0 {
		return 0
	}
	for k := 1; k <= 3; k++ {
		if p, ok := nat[t-k]; ok && Known(p.Stock) && p.Stock > 0 {
			return (math.Log(cur.Stock) - math.Log(p.Stock)) / float64(k)
		}
	}
	return 0
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// trainingPair is one past h-year change with its predictors.
type trainingPair struct {
	x     [numFeatures]float64
	y     float64 // log change
	stock float64 // stock at the start
	year  int     // outcome year
	code  string  // council, for a deterministic order
}

func trainingPairs(p *Published, origin, h int) []trainingPair {
	return trainingPairsIdx(newGrowthIndex(p), origin, h)
}

// trainingPairsIdx lists every h-year change ending by origin of a council
// with more than MinStock children at its start, with the predictors known at
// its start.
func trainingPairsIdx(g *growthIndex, origin, h int) []trainingPair {
	var out []trainingPair
	for _, s := range g.p.Councils {
		for t := range s.Years {
			if t+h > origin {
				continue
			}
			x, ok := features(s, g, t)
			if !ok || s.Years[t].Stock <= MinStock {
				continue
			}
			end := s.Stock(t + h)
			if !Known(end) || end <= 0 {
				continue
			}
			out = append(out, trainingPair{x: x, y: math.Log(end) - math.Log(s.Years[t].Stock), stock: s.Years[t].Stock, year: t + h, code: s.Code})
		}
	}
	sort.Slice(out, func(i, j int) bool { // deterministic order for reproducible fits
		if out[i].year != out[j].year {
			return out[i].year < out[j].year
		}
		return out[i].code < out[j].code
	})
	return out
}

// Variant is one specification of the published-statistics model: which
// predictors it uses, whether it has an intercept (a fixed drift), the loss
// it is fitted by and how the training pairs are weighted.
type Variant struct {
	Name         string
	Features     []int
	NoIntercept  bool    // no fixed drift: the change is carried by the predictors alone
	LAD          bool    // least absolute deviations (the MAPE's loss) instead of Huber
	SizeWeighted bool    // weight pairs by 1/σ²(S) rather than equally
	HalfLife     float64 // years; training pairs are weighted 2^(−age/HalfLife); 0 = no decay
}

// PooledGrowth is the published-statistics model used by PublishedForecast
// and Backtest: the council's region's recent growth, the council's own
// deviation from it (partial pooling), the stock-and-flow projection of next
// year's growth from its latest starts and rate of ceasing, and its rate of
// children in care per child over England's (reversion of unusual rates),
// with no fixed drift, fitted by least absolute deviations with equal weight
// per council-year. The same specification is used at every origin and
// horizon; docs/METHOD.md says how it was chosen.
var PooledGrowth = Variant{Name: "pooled regional growth + stock-flow + rate (LAD)", Features: []int{featRegional, featDeviation, featStockFlow, featRate}, NoIntercept: true, LAD: true}

// Alternatives are specifications measured against PooledGrowth on the same
// rolling origins (docs/METHOD.md reports them); none is used by default.
var Alternatives = []Variant{
	{Name: "drift only (LAD)", Features: []int{}, LAD: true},
	{Name: "pooled regional growth (LAD)", Features: []int{featRegional, featDeviation}, NoIntercept: true, LAD: true},
	{Name: "pooled regional growth + stock-flow (LAD)", Features: []int{featRegional, featDeviation, featStockFlow}, NoIntercept: true, LAD: true},
	{Name: "pooled regional growth + rate (LAD)", Features: []int{featRegional, featDeviation, featRate}, NoIntercept: true, LAD: true},
	{Name: "pooled regional growth + 3-year stock-flow + rate (LAD)", Features: []int{featRegional, featDeviation, featStockFlow3, featRate}, NoIntercept: true, LAD: true},
	{Name: "pooled regional growth + stock-flow + rate + 8-year deviation (LAD)", Features: []int{featRegional, featDeviation, featStockFlow, featRate, featDevLong}, NoIntercept: true, LAD: true},
	{Name: "drift + pooled regional growth + stock-flow + rate (LAD)", Features: []int{featRegional, featDeviation, featStockFlow, featRate}, LAD: true},
	{Name: "pooled regional growth + stock-flow + rate (Huber)", Features: []int{featRegional, featDeviation, featStockFlow, featRate}, NoIntercept: true},
	{Name: "rate only (LAD)", Features: []int{featRate}, NoIntercept: true, LAD: true},
	{Name: "stockflow-1 first specification: flow+trend+national (Huber, size-weighted)", Features: []int{featFlow, featTrend, featNational}, SizeWeighted: true},
}

// minOutOfSample is the fewest forecast errors from earlier origins the
// predictive distribution is built from; with fewer, the model's in-sample
// residuals are used.
const minOutOfSample = 200

// FitStockFlow fits the model for horizon h at origin, using only the figures
// in p for years up to origin (the caller need not cut p; FitStockFlow does).
// The predictive distribution is built from the standardised errors of the
// same specification's forecasts from earlier origins o (o + h ≤ origin),
// each fitted on the series cut at o, centred on their median so that P50 is
// the point forecast. It returns EINVALID, with the earliest
// origin that would work, when there is too little history before origin.
func FitStockFlow(p *Published, origin, h int, v Variant) (*StockFlowModel, error) {
	m, err := fitPoint(p, origin, h, v)
	if err != nil {
		return nil, err
	}
	// Errors of the same specification's forecasts from earlier origins.
	var oos []trainingPair
	for _, o := range m.index.p.Years {
		if o+h > origin {
			break
		}
		mo, err := fitPoint(m.index.p, o, h, v)
		if err != nil {
			continue
		}
		for _, s := range mo.index.p.Councils {
			last := s.Stock(o)
			y := m.index.p.councilStock(s.DfECode, s.Code, o+h)
			if !(last > MinStock) || !(y > 0) {
				continue
			}
			x, ok := features(s, mo.index, o)
			if !ok {
				continue
			}
			oos = append(oos, trainingPair{y: math.Log(y) - math.Log(last) - mo.linear(x), stock: last, year: o + h, code: s.Code})
		}
	}
	// The errors are centred on their median, so P50 is the model's point
	// forecast and the past errors set the spread and shape only.
	resid := make([]float64, len(oos))
	for i, tp := range oos {
		resid[i] = tp.y
	}
	med := quantile(slices.Sorted(slices.Values(resid)), 0.5)
	for i := range resid {
		resid[i] -= med
	}
	if len(oos) >= minOutOfSample {
		m.ScaleA, m.ScaleB = fitScale(oos, resid)
		m.Z = make([]float64, len(oos))
		for i, tp := range oos {
			m.Z[i] = resid[i] / math.Sqrt(m.ScaleA+m.ScaleB/tp.stock)
		}
		m.ZSource, m.NErrors = "earlier origins", len(oos)
	} else {
		m.ZSource, m.NErrors = "in-sample residuals", len(m.Z)
	}
	sort.Float64s(m.Z)
	return m, nil
}

// councilStock returns the stock in year of the council with the DfE code
// (or, without one, the code), or NaN.
func (p *Published) councilStock(dfe, code string, year int) float64 {
	for _, s := range p.Councils {
		if (dfe != "" && s.DfECode == dfe) || (dfe == "" && s.Code == code) {
			return s.Stock(year)
		}
	}
	return math.NaN()
}

// fitPoint fits the coefficients and the in-sample spread for horizon h at
// origin on p cut at origin.
func fitPoint(p *Published, origin, h int, v Variant) (*StockFlowModel, error) {
	if h < 1 {
		return nil, care.Errorf(care.EINVALID, "forecast horizon %d: give at least 1 year", h)
	}
	p = p.Cut(origin)
	g := newGrowthIndex(p)
	pairs := trainingPairsIdx(g, origin, h)
	years := map[int]bool{}
	for _, tp := range pairs {
		years[tp.year] = true
	}
	if len(years) < minTrainYears || len(pairs) < 30 {
		return nil, care.Errorf(care.EINVALID, "origin %d: the series holds %d year(s) of %d-year changes before it (years %d–%d); the model needs %d: use a later origin (%d or later) or a shorter horizon",
			origin, len(years), h, p.FirstYear(), origin, minTrainYears, p.FirstYear()+h+minTrainYears-1)
	}
	m := &StockFlowModel{Origin: origin, Horizon: h, NPairs: len(pairs), Variant: v, index: g}
	for y := range years {
		m.Years = append(m.Years, y)
	}
	sort.Ints(m.Years)

	n := len(pairs)
	decay := make([]float64, n)
	w := make([]float64, n)
	for i, tp := range pairs {
		decay[i] = 1
		if v.HalfLife > 0 {
			decay[i] = math.Exp2(-float64(origin-tp.year) / v.HalfLife)
		}
		w[i] = decay[i]
	}
	resid := make([]float64, n)
	sigma := make([]float64, n)
	for i := range sigma {
		sigma[i] = 1
	}
	iters := 4
	if v.LAD {
		iters = 30
	}
	for iter := 0; iter < iters; iter++ {
		m.Coef = ridgeFit(pairs, w, v.Features, !v.NoIntercept, 1e-2)
		for i, tp := range pairs {
			resid[i] = tp.y - m.linear(tp.x)
		}
		if !v.LAD || iter == iters-1 {
			m.ScaleA, m.ScaleB = fitScale(pairs, resid)
		}
		for i, tp := range pairs {
			if v.LAD {
				// iteratively reweighted least squares for the L1 loss
				w[i] = decay[i] / math.Max(math.Abs(resid[i]), 0.005)
				continue
			}
			// Huber weights on standardised residuals, times 1/σ² for the size effect.
			sigma[i] = math.Sqrt(m.ScaleA + m.ScaleB/tp.stock)
			z := math.Abs(resid[i]) / sigma[i]
			hw := 1.0
			if z > 1.345 {
				hw = 1.345 / z
			}
			w[i] = hw * decay[i]
			if v.SizeWeighted {
				w[i] /= sigma[i] * sigma[i]
			}
		}
	}
	m.Z = make([]float64, n)
	for i, tp := range pairs {
		m.Z[i] = resid[i] / math.Sqrt(m.ScaleA+m.ScaleB/tp.stock)
	}
	sort.Float64s(m.Z)
	return m, nil
}

// linear returns the predicted log change for predictors x.
func (m *StockFlowModel) linear(x [numFeatures]float64) float64 {
	y := m.Coef[0]
	for i, f := range m.Variant.Features {
		y += m.Coef[i+1] * x[f]
	}
	return y
}

// ridgeFit solves weighted least squares with a small ridge penalty lambda·Σw
// on the slopes (not the intercept), shrinking them toward zero, that is toward
// the last value. Without an intercept the first coefficient is 0.
func ridgeFit(pairs []trainingPair, w []float64, feats []int, intercept bool, lambda float64) []float64 {
	k := len(feats) + 1
	a := make([][]float64, k)
	for i := range a {
		a[i] = make([]float64, k)
	}
	b := make([]float64, k)
	row := make([]float64, k)
	sw := 0.0
	for i, tp := range pairs {
		row[0] = 1
		if !intercept {
			row[0] = 0
		}
		for j, f := range feats {
			row[j+1] = tp.x[f]
		}
		for r := 0; r < k; r++ {
			b[r] += w[i] * row[r] * tp.y
			for c := 0; c < k; c++ {
				a[r][c] += w[i] * row[r] * row[c]
			}
		}
		sw += w[i]
	}
	// the penalty is on the scale of the features' typical square (~0.05²)
	for r := 1; r < k; r++ {
		a[r][r] += lambda * sw * 0.0025
	}
	a[0][0] += 1e-9 * sw
	return solve(a, b)
}

// solve solves a small symmetric positive definite system by Gaussian
// elimination with partial pivoting; singular directions get 0.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for col := 0; col < n; col++ {
		piv := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		b[col], b[piv] = b[piv], b[col]
		if a[col][col] == 0 {
			continue
		}
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			for c := col; c < n; c++ {
				a[r][c] -= f * a[col][c]
			}
			b[r] -= f * b[col]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		if a[r][r] == 0 {
			continue
		}
		s := b[r]
		for c := r + 1; c < n; c++ {
			s -= a[r][c] * x[c]
		}
		x[r] = s / a[r][r]
	}
	return x
}

// fitScale fits σ² = a + b/S to squared residuals by least squares, with
// squares capped at 25 median squares so a few wild changes (boundary
// changes, recoding) do not dominate, and both parts kept positive.
func fitScale(pairs []trainingPair, resid []float64) (a, b float64) {
	sq := make([]float64, len(resid))
	for i, r := range resid {
		sq[i] = r * r
	}
	s := append([]float64(nil), sq...)
	sort.Float64s(s)
	capv := 25 * s[len(s)/2]
	var s1, sx, sxx, sy, sxy float64
	for i, tp := range pairs {
		x, y := 1/tp.stock, math.Min(sq[i], capv)
		s1++
		sx += x
		sxx += x * x
		sy += y
		sxy += x * y
	}
	den := s1*sxx - sx*sx
	if den > 0 {
		b = (s1*sxy - sx*sy) / den
		a = (sy - b*sx) / s1
	} else {
		a = sy / s1
	}
	floor := 1e-4
	if b < 0 {
		b, a = 0, sy/s1
	}
	if a < floor {
		a = floor
	}
	return a, b
}

// Predict forecasts the stock of one council from its figures at the model's
// origin; regional growth comes from the series the model was fitted on. It
// returns EINVALID when the council has no positive stock at the origin.
func (m *StockFlowModel) Predict(s *CouncilSeries) (Prediction, error) {
	x, ok := features(s, m.index, m.Origin)
	if !ok {
		return Prediction{}, care.Errorf(care.EINVALID, "council %s (%s): no children in care published at 31 March %d (figure suppressed, missing or zero); choose an origin year with a published figure or leave this council out",
			s.Code, s.Name, m.Origin)
	}
	last := s.Years[m.Origin].Stock
	mu := math.Log(last) + m.linear(x)
	sig := math.Sqrt(m.ScaleA + m.ScaleB/last)
	pr := Prediction{Code: s.Code, Name: s.Name, Origin: m.Origin, Year: m.Origin + m.Horizon, Last: last, Quantiles: map[float64]float64{}}
	for _, q := range quantileLevels {
		pr.Quantiles[q] = math.Exp(mu + sig*quantile(m.Z, q))
	}
	mean := 0.0
	for _, z := range m.Z {
		mean += math.Exp(mu + sig*z)
	}
	pr.Mean = mean / float64(len(m.Z))
	return pr, nil
}

// quantile returns the q-quantile of sorted values by linear interpolation.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}

// ModelInfo records one fitted horizon of the published-statistics model, so
// a result can be reproduced and explained.
type ModelInfo struct {
	Horizon       int       `json:"horizon"`
	Variant       string    `json:"variant"`
	Features      []string  `json:"features"`
	Coefficients  []float64 `json:"coefficients"` // intercept, then one per feature
	ScaleA        float64   `json:"scale_a"`      // σ² = a + b/S on the log scale
	ScaleB        float64   `json:"scale_b"`
	TrainingPairs int       `json:"training_pairs"`
	TrainingYears []int     `json:"training_outcome_years"`
}

// PublishedResult is a published-statistics forecast with what is needed to
// reproduce it.
type PublishedResult struct {
	ModelVersion string       `json:"model_version"`
	Origin       int          `json:"origin"`
	Years        int          `json:"years"`
	DataYears    string       `json:"data_years"` // years of the series used (up to the origin)
	Models       []ModelInfo  `json:"models"`
	Predictions  []Prediction `json:"-"`
	Skipped      []string     `json:"skipped,omitempty"` // councils with no usable figure at the origin
}

// Info describes a fitted model.
func (m *StockFlowModel) Info() ModelInfo {
	mi := ModelInfo{Horizon: m.Horizon, Variant: m.Variant.Name, Coefficients: m.Coef, ScaleA: m.ScaleA, ScaleB: m.ScaleB, TrainingPairs: m.NPairs, TrainingYears: m.Years}
	for _, f := range m.Variant.Features {
		mi.Features = append(mi.Features, featureNames[f])
	}
	return mi
}

// PublishedForecast forecasts every council in p (or only the ones named in
// codes: ONS code, DfE code or name) for years origin+1 … origin+years, using
// only figures up to origin, with the PooledGrowth model fitted for each
// horizon. Councils with no positive stock at the origin are
// listed in Skipped when forecasting all; a named council with none is an
// EINVALID error. It returns EINVALID when origin is outside the data or the
// history before it is too short for the horizon, ENOTFOUND for an unknown
// council.
func PublishedForecast(p *Published, origin, years int, codes []string) (*PublishedResult, error) {
	if len(p.Years) == 0 {
		return nil, care.Errorf(care.EUNUSABLE, "published series holds no council figures")
	}
	if !p.HasYear(origin) {
		return nil, care.Errorf(care.EINVALID, "origin %d is not in the published series, which holds years %s; choose one of those years", origin, yearList(p.Years))
	}
	if years < 1 || years > 10 {
		return nil, care.Errorf(care.EINVALID, "horizon of %d years: give 1 to 10 years (the accuracy table covers 1 to 3)", years)
	}
	cut := p.Cut(origin)
	var councils []*CouncilSeries
	if len(codes) == 0 {
		councils = cut.Councils
	} else {
		for _, c := range codes {
			s, err := cut.Council(c)
			if err != nil {
				return nil, err
			}
			councils = append(councils, s)
		}
	}
	res := &PublishedResult{ModelVersion: StockFlowVersion, Origin: origin, Years: years, DataYears: yearList(cut.Years)}
	models := make([]*StockFlowModel, years)
	for h := 1; h <= years; h++ {
		m, err := FitStockFlow(cut, origin, h, PooledGrowth)
		if err != nil {
			return nil, err
		}
		models[h-1] = m
		res.Models = append(res.Models, m.Info())
	}
	for _, s := range councils {
		var perr error
		var got []Prediction
		for _, m := range models {
			pr, err := m.Predict(s)
			if err != nil {
				perr = err
				break
			}
			got = append(got, pr)
		}
		if perr != nil {
			if len(codes) > 0 {
				return nil, perr
			}
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s %s", s.Code, s.Name))
			continue
		}
		res.Predictions = append(res.Predictions, got...)
	}
	return res, nil
}

func yearList(ys []int) string {
	if len(ys) == 0 {
		return "none"
	}
	out := ""
	start, prev := ys[0], ys[0]
	flush := func() {
		if out != "" {
			out += ", "
		}
		if start == prev {
			out += fmt.Sprint(start)
		} else {
			out += fmt.Sprintf("%d–%d", start, prev)
		}
	}
	for _, y := range ys[1:] {
		if y == prev+1 {
			prev = y
			continue
		}
		flush()
		start, prev = y, y
	}
	flush()
	return out
}
