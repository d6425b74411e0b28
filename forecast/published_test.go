package forecast

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sufficiency/care"
)

const smallCSV = `time_period,level,region_code,region_name,dfe_la_code,la_code,la_name,cla_31mar,starts,ceases,pop_0_17,cla_rate_per_10k,source
2010,National,,,,,,1000,400,380,,,s
2010,Local authority,,,352,,Manchester,100,40,38,20000,,s
2011,Local authority,,,352,E08000003,Manchester,c,x,z,,,s
201112,Local authority,E12000002,North West,352,E08000099,Manchester,"1,200",41,39,,,s
2010,Local authority,,,201,,City of London,15,x,x,900,,s
2010,Regional,E12000002,North West,,,,500,1,1,,,s
`

func TestReadPublished(t *testing.T) {
	p, err := ReadPublished(strings.NewReader(smallCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Councils) != 2 {
		t.Fatalf("councils %d, want 2", len(p.Councils))
	}
	m, err := p.Council("352")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("DfEOnlyRowsJoinToLatestONSCode", func(t *testing.T) {
		if m.Code != "E08000099" || m.Region != "North West" {
			t.Fatalf("code %q region %q", m.Code, m.Region)
		}
		if got := m.Stock(2010); got != 100 {
			t.Fatalf("2010 stock %v", got)
		}
	})
	t.Run("SuppressedIsNaN", func(t *testing.T) {
		y := m.Years[2011]
		if Known(y.Stock) || Known(y.Starts) || Known(y.Ceases) {
			t.Fatalf("2011 %+v, want all unknown", y)
		}
	})
	t.Run("AcademicYearFormAndThousands", func(t *testing.T) {
		if got := m.Stock(2012); got != 1200 {
			t.Fatalf("2012 stock %v, want 1200", got)
		}
	})
	t.Run("NoONSCodeGetsDfEKey", func(t *testing.T) {
		c, err := p.Council("City of London")
		if err != nil || c.Code != "DfE:201" {
			t.Fatalf("%v %v", c, err)
		}
	})
	t.Run("NationalFromFileOrSum", func(t *testing.T) {
		if p.National[2010].Stock != 1000 {
			t.Fatalf("2010 national %v", p.National[2010].Stock)
		}
		if p.National[2012].Stock != 1200 {
			t.Fatalf("2012 national %v, want the sum 1200", p.National[2012].Stock)
		}
	})
	t.Run("Years", func(t *testing.T) {
		if !reflect.DeepEqual(p.Years, []int{2010, 2012}) {
			t.Fatalf("years %v", p.Years)
		}
	})
	t.Run("CutDropsLaterYears", func(t *testing.T) {
		c := p.Cut(2010)
		cm, _ := c.Council("352")
		if len(cm.Years) != 1 || c.LastYear() != 2010 || len(c.National) != 1 {
			t.Fatalf("cut kept %v / %v", cm.Years, c.Years)
		}
		if len(m.Years) != 3 {
			t.Fatal("Cut changed the original")
		}
	})
}

func TestReadPublishedErrors(t *testing.T) {
	for name, in := range map[string]string{
		"ErrMissingColumns": "time_period,la_name\n2010,x\n",
		"ErrEmpty":          "",
		"ErrNoCouncils":     "time_period,level,dfe_la_code,la_code,la_name,cla_31mar,starts,ceases\n2010,National,,,,1,1,1\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadPublished(strings.NewReader(in))
			if care.ErrorCode(err) != care.EUNUSABLE {
				t.Fatalf("got %v, want EUNUSABLE", err)
			}
		})
	}
	_, err := ReadPublished(strings.NewReader("time_period,level,dfe_la_code,la_code,la_name,cla_31mar,starts,ceases\nabc,Local authority,1,,x,1,1,1\n"))
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad year: %v", err)
	}
}

// synthPublished builds councils growing at constant rates, with starts and
// ceases consistent with the growth, and England as their sum.
func synthPublished(first, last int, growth func(i int) float64) *Published {
	return synthPublishedByYear(first, last, func(i, _ int) float64 { return growth(i) })
}

// synthPublishedByYear is synthPublished with a growth that may change from
// year to year (growth(i, y) is council i's log growth into year y).
func synthPublishedByYear(first, last int, growth func(i, y int) float64) *Published {
	var series []*CouncilSeries
	for i := 0; i < 60; i++ {
		s := &CouncilSeries{Code: "E0" + string(rune('A'+i/26)) + string(rune('A'+i%26)), DfECode: string(rune('a' + i)), Name: "c", Years: map[int]Totals{}}
		stock := 100.0 + 10*float64(i)
		for y := first; y <= last; y++ {
			next := stock * math.Exp(growth(i, y))
			ceases := 0.4 * stock
			s.Years[y] = Totals{Stock: next, Starts: next - stock + ceases, Ceases: ceases, Pop: math.NaN()}
			stock = next
		}
		series = append(series, s)
	}
	p, err := NewPublished(series, nil)
	if err != nil {
		panic(err)
	}
	return p
}

func TestStockFlowFollowsSteadyGrowth(t *testing.T) {
	p := synthPublished(2010, 2020, func(int) float64 { return 0.05 })
	for _, v := range append([]Variant{PooledGrowth}, Alternatives...) {
		if v.NoIntercept && !slices.Contains(v.Features, featRegional) {
			continue // nothing to carry a common growth
		}
		m, err := FitStockFlow(p, 2018, 2, v)
		if err != nil {
			t.Fatal(err)
		}
		s := p.Councils[7]
		pr, err := m.Predict(s)
		if err != nil {
			t.Fatal(err)
		}
		want := s.Stock(2020)
		if math.Abs(pr.P(0.5)/want-1) > 0.01 {
			t.Errorf("%s: P50 %.1f, outcome %.1f", v.Name, pr.P(0.5), want)
		}
		if !(pr.P(0.1) <= pr.P(0.5) && pr.P(0.5) <= pr.P(0.9)) {
			t.Errorf("%s: quantiles out of order %v", v.Name, pr.Quantiles)
		}
	}
}

func TestStockFlowLearnsCouncilGrowth(t *testing.T) {
	// Half the councils grow 6% a year, half shrink 4%: a model that pools
	// council growth must follow each council, not the average.
	p := synthPublished(2010, 2020, func(i int) float64 {
		if i%2 == 0 {
			return 0.06
		}
		return -0.04
	})
	m, err := FitStockFlow(p, 2019, 1, PooledGrowth)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{2, 3} {
		s := p.Councils[i]
		pr, _ := m.Predict(s)
		if got, want := pr.P(0.5), s.Stock(2020); math.Abs(got/want-1) > 0.01 {
			t.Errorf("council %d: P50 %.1f, outcome %.1f", i, got, want)
		}
	}
}

func TestForecastUsesOnlyDataUpToOrigin(t *testing.T) {
	p := mustPublished(t)
	const origin = 2019
	a, err := PublishedForecast(p, origin, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Predictions) < 140*3 {
		t.Fatalf("%d predictions", len(a.Predictions))
	}
	// The same series with every figure after the origin altered (stocks,
	// starts and ceases scaled differently per council and year, one council
	// dropped after the origin, a later year added), and with them removed.
	altered := p.Cut(p.LastYear())
	for i, s := range altered.Councils {
		ys := map[int]Totals{}
		for y, v := range s.Years {
			if y > origin {
				f := 1 + 0.3*math.Sin(float64(7*i+y))
				v = Totals{Stock: math.Round(v.Stock * f), Starts: v.Starts * 2, Ceases: v.Ceases / 2, Pop: v.Pop}
				if i%17 == 0 {
					continue
				}
			}
			ys[y] = v
		}
		if i%5 == 0 {
			ys[2024] = Totals{Stock: 1, Starts: 500, Ceases: 0, Pop: math.NaN()}
		}
		s.Years = ys
	}
	for y := range altered.National {
		if y > origin {
			altered.National[y] = Totals{Stock: 1, Starts: math.NaN(), Ceases: math.NaN(), Pop: math.NaN()}
		}
	}
	altered.Years = append(altered.Years, 2024)
	for name, q := range map[string]*Published{"altered": altered, "cut": p.Cut(origin)} {
		b, err := PublishedForecast(q, origin, 3, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Predictions, b.Predictions) || !reflect.DeepEqual(a.Models, b.Models) {
			t.Fatalf("%s: the forecast from %d changed when the figures after %d changed", name, origin, origin)
		}
	}
}

// pairsOn builds training pairs with given regional and deviation predictors.
func pairsOn(xs [][2]float64, y func(reg, dev float64) float64) []trainingPair {
	var out []trainingPair
	for i, x := range xs {
		tp := trainingPair{y: y(x[0], x[1]), stock: 100 + float64(i%50)*20}
		tp.x[featRegional], tp.x[featDeviation] = x[0], x[1]
		out = append(out, tp)
	}
	return out
}

func TestLeastAbsoluteDeviationsIgnoresOutliers(t *testing.T) {
	// y = 0.8·regional + 0.5·deviation exactly, except every fifth pair,
	// which is off by +0.4 (a boundary change, say): least squares would be
	// pulled, least absolute deviations recovers the line.
	var xs [][2]float64
	for i := 0; i < 200; i++ {
		xs = append(xs, [2]float64{0.05 * float64(i%7-2), 0.05 * float64(i%11-5)})
	}
	n := 0
	pairs := pairsOn(xs, func(reg, dev float64) float64 {
		n++
		if n%5 == 0 {
			return 0.8*reg + 0.5*dev + 0.4
		}
		return 0.8*reg + 0.5*dev
	})
	w := make([]float64, len(pairs))
	var coef []float64
	for i := range w {
		w[i] = 1
	}
	for iter := 0; iter < 30; iter++ {
		coef = ridgeFit(pairs, w, []int{featRegional, featDeviation}, false, 0)
		if iter == 0 && math.Abs(coef[1]-0.8) < 0.05 {
			t.Fatalf("least squares gives %v: the outliers should pull it away from 0.8", coef)
		}
		for i, tp := range pairs {
			r := tp.y - coef[1]*tp.x[featRegional] - coef[2]*tp.x[featDeviation]
			w[i] = 1 / math.Max(math.Abs(r), 0.005)
		}
	}
	if coef[0] != 0 || math.Abs(coef[1]-0.8) > 0.01 || math.Abs(coef[2]-0.5) > 0.01 {
		t.Fatalf("coefficients %v, want [0 0.8 0.5]", coef)
	}
}

func TestFitScaleKnownSpread(t *testing.T) {
	// residuals of size exactly sqrt(a + b/S), alternating in sign
	const a, b = 0.004, 0.6
	var pairs []trainingPair
	var resid []float64
	for i := 0; i < 100; i++ {
		s := 30 + 10*float64(i)
		pairs = append(pairs, trainingPair{stock: s})
		r := math.Sqrt(a + b/s)
		if i%2 == 1 {
			r = -r
		}
		resid = append(resid, r)
	}
	ga, gb := fitScale(pairs, resid)
	if math.Abs(ga-a) > 1e-9 || math.Abs(gb-b) > 1e-7 {
		t.Fatalf("a %v b %v, want %v %v", ga, gb, a, b)
	}
}

func TestPooledGrowthIndex(t *testing.T) {
	// Region A: two councils; region B: one council (pooled with England).
	// 2018 is missing, as in the real series.
	mk := func(code, region string, stocks map[int]float64) *CouncilSeries {
		s := &CouncilSeries{Code: code, DfECode: code, Region: region, Years: map[int]Totals{}}
		for y, v := range stocks {
			s.Years[y] = Totals{Stock: v, Starts: math.NaN(), Ceases: math.NaN(), Pop: math.NaN()}
		}
		return s
	}
	a1 := mk("A1", "A", map[int]float64{2016: 100, 2017: 110, 2019: 121, 2020: 150})
	a2 := mk("A2", "A", map[int]float64{2016: 300, 2017: 290, 2019: 279, 2020: 280})
	b1 := mk("B1", "B", map[int]float64{2017: 50, 2019: 60, 2020: 60})
	p, err := NewPublished([]*CouncilSeries{a1, a2, b1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := newGrowthIndex(p)
	cases := []struct {
		name     string
		s        *CouncilSeries
		t        int
		reg, dev float64
	}{
		// 2016→2019 over region A: 400 → 400; A1 grew 100 → 121 over 3 years
		{"ThreeYears", a1, 2019, 0, math.Log(1.21) / 3},
		// 2017 is A1's earliest figure by 2020 (2018 missing): span 3 years, 2017→2020
		{"SpanOverMissingYear", a1, 2020, math.Log(430.0/400) / 3, math.Log(150.0/110)/3 - math.Log(430.0/400)/3},
		// B has one council: pooled with every council; span 2017→2019 (2 years)
		{"SmallRegionUsesEngland", b1, 2019, math.Log(460.0/450) / 2, math.Log(60.0/50)/2 - math.Log(460.0/450)/2},
		// first figure: no own growth, deviation 0, regional growth over the longest span known
		{"NoHistory", a1, 2016, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg, dev := g.pooled(c.s, c.t)
			if math.Abs(reg-c.reg) > 1e-12 || math.Abs(dev-c.dev) > 1e-12 {
				t.Fatalf("regional %v deviation %v, want %v %v", reg, dev, c.reg, c.dev)
			}
		})
	}
}

func TestPublishedForecastErrors(t *testing.T) {
	p := mustPublished(t)
	cases := []struct {
		name   string
		origin int
		years  int
		codes  []string
		code   string
		says   string
	}{
		{"ErrOriginOutsideData", 2030, 1, nil, care.EINVALID, "2010–2017, 2019–2023"},
		{"ErrOriginMissingYear", 2018, 1, nil, care.EINVALID, "choose one of those years"},
		{"ErrTooLittleHistory", 2011, 2, nil, care.EINVALID, "2012 or later"},
		{"ErrHorizon", 2020, 0, nil, care.EINVALID, "1 to 10"},
		{"ErrUnknownCouncil", 2020, 1, []string{"E99999999"}, care.ENOTFOUND, "ONS code"},
		{"ErrNoChildren", 2020, 1, []string{"Isles of Scilly"}, care.EINVALID, "no children in care published"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := PublishedForecast(p, c.origin, c.years, c.codes)
			var ce *care.Error
			if !errors.As(err, &ce) || ce.Code != c.code || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v, want %s mentioning %q", err, c.code, c.says)
			}
		})
	}
}

func TestWIS(t *testing.T) {
	point := map[float64]float64{0.5: 10}
	if got := WIS(point, 13); got != 3 {
		t.Fatalf("point WIS %v, want the absolute error 3", got)
	}
	q := map[float64]float64{0.1: 8, 0.5: 10, 0.9: 12}
	// inside: (0.5·|10−11| + 0.1·(12−8)) / 1.5 = (0.5+0.4)/1.5
	if got := WIS(q, 11); math.Abs(got-0.6) > 1e-12 {
		t.Fatalf("WIS %v, want 0.6", got)
	}
	// below: pinball 0.1: (1−0.1)(8−5)=2.7; 0.5: 0.5·5=2.5; 0.9: 0.1·7=0.7 → 5.9/1.5
	if got := WIS(q, 5); math.Abs(got-5.9/1.5) > 1e-12 {
		t.Fatalf("WIS %v, want %v", got, 5.9/1.5)
	}
}

func TestPooledGrowthShrinksNoise(t *testing.T) {
	// Every council grows 2% a year plus independent noise of ±8%: a
	// council's own past deviation says nothing about its future, so the
	// fitted model must pool it away and predict close to the common 2%.
	rng := rand.New(rand.NewPCG(1, 2))
	var series []*CouncilSeries
	for i := 0; i < 80; i++ {
		s := &CouncilSeries{Code: fmt.Sprintf("E%03d", i), DfECode: fmt.Sprint(i), Region: "R", Years: map[int]Totals{}}
		stock := 200.0 + 5*float64(i)
		for y := 2010; y <= 2020; y++ {
			g := 0.02 + 0.08*(2*rng.Float64()-1)
			next := stock * math.Exp(g)
			ceases := 0.4 * stock
			s.Years[y] = Totals{Stock: next, Starts: next - stock + ceases, Ceases: ceases, Pop: math.NaN()}
			stock = next
		}
		series = append(series, s)
	}
	p, err := NewPublished(series, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := FitStockFlow(p, 2019, 1, PooledGrowth)
	if err != nil {
		t.Fatal(err)
	}
	if m.ZSource != "earlier origins" || m.NErrors < minOutOfSample {
		t.Errorf("predictive errors from %q (%d), want the forecasts from earlier origins", m.ZSource, m.NErrors)
	}
	// coefficients: regional, deviation, stock-flow
	if math.Abs(m.Coef[2]) > 0.15 || math.Abs(m.Coef[3]) > 0.15 {
		t.Errorf("weights on the council's own deviation %.3f and flows %.3f, want near 0 (noise)", m.Coef[2], m.Coef[3])
	}
	for _, s := range p.Councils[:10] {
		pr, err := m.Predict(s)
		if err != nil {
			t.Fatal(err)
		}
		if g := math.Log(pr.P(0.5) / pr.Last); math.Abs(g-0.02) > 0.02 {
			t.Errorf("%s: predicted growth %.3f, want about 0.02", s.Code, g)
		}
		if !(pr.P(0.1) < pr.P(0.5) && pr.P(0.5) < pr.P(0.9)) {
			t.Errorf("%s: quantiles out of order %v", s.Code, pr.Quantiles)
		}
	}
}
