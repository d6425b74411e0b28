package forecast

import (
	"fmt"
	"math"
	"os"
	"testing"
)

func mustPublished(t testing.TB) *Published {
	t.Helper()
	f, err := os.Open("testdata/dfe_cla_la_totals_2010_2023.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ReadPublished(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBacktestOnPublishedSeries runs the full rolling-origin backtest on the
// real series. The figures themselves are a benchmark (docs/METHOD.md, and
// "go test ./forecast -run BacktestOnPublished -v" prints them); the test
// guards the properties a change must not lose: calibrated 80% intervals, a
// lower MAPE and a lower weighted interval score than the naive forecast.
func TestBacktestOnPublishedSeries(t *testing.T) {
	p := mustPublished(t)
	res, err := Backtest(p, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Origins) < 10 {
		t.Fatalf("only %d origins scored: %v", len(res.Origins), res.Origins)
	}
	for _, h := range []int{1, 2, 3} {
		m, ok1 := res.Overall(MethodStockFlow, h)
		n, ok2 := res.Overall(MethodNaive, h)
		tr, ok3 := res.Overall(MethodTrend, h)
		if !ok1 || !ok2 || !ok3 || m.N != n.N || n.N != tr.N {
			t.Fatalf("h=%d: scores missing or on different forecasts: %+v %+v %+v", h, m, n, tr)
		}
		t.Logf("h=%d n=%d MAPE model %.2f naive %.2f (%+.1f%%) trend %.2f | cov80 model %.3f naive %.3f | WIS%% model %.2f naive %.2f",
			h, m.N, m.MAPE, n.MAPE, 100*(m.MAPE/n.MAPE-1), tr.MAPE, m.Coverage80, n.Coverage80, m.WIS, n.WIS)
		if m.Coverage80 < 0.75 || m.Coverage80 > 0.85 {
			t.Errorf("h=%d: 80%% interval covers %.3f of outcomes, want 0.75–0.85", h, m.Coverage80)
		}
		if !(m.MAPE < n.MAPE) || !(m.WIS < n.WIS) {
			t.Errorf("h=%d: model MAPE %.2f / WIS %.2f not below naive %.2f / %.2f", h, m.MAPE, m.WIS, n.MAPE, n.WIS)
		}
	}
}

// TestAlternativesOnPublishedSeries scores every alternative specification on
// the same forecasts as the default model; "go test ./forecast -run
// AlternativesOnPublished -v" prints the comparison docs/METHOD.md reports.
func TestAlternativesOnPublishedSeries(t *testing.T) {
	if testing.Short() {
		t.Skip("full rolling-origin backtest of every alternative")
	}
	p := mustPublished(t)
	base, err := Backtest(p, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append([]Variant{PooledGrowth}, Alternatives...) {
		res, err := BacktestVariant(p, nil, 3, v)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		line := ""
		for _, h := range []int{1, 2, 3} {
			m, _ := res.Overall(MethodStockFlow, h)
			n, _ := res.Overall(MethodNaive, h)
			b, _ := base.Overall(MethodStockFlow, h)
			if m.N != b.N || m.N != n.N {
				t.Fatalf("%s, %d years: %d forecasts scored, the default model %d", v.Name, h, m.N, b.N)
			}
			line += fmt.Sprintf(" | %d y: MAPE %.2f (%+.1f%% vs naive) cov80 %.1f%% WIS%% %.2f (naive %.2f)", h, m.MAPE, 100*(m.MAPE/n.MAPE-1), 100*m.Coverage80, m.WIS, n.WIS)
		}
		t.Logf("%-70s%s", v.Name, line)
	}
}

// TestOracleYearEffect measures how much of the naive forecast's error is
// the change common to all councils in a year: the naive forecast is
// corrected by the mean log change of the councils scored over the same h
// years — known only afterwards, so an upper bound for any forecast of the
// common change, not a forecast. docs/METHOD.md reports it.
func TestOracleYearEffect(t *testing.T) {
	p := mustPublished(t)
	for _, h := range []int{1, 2, 3} {
		var naive, oracle float64
		n := 0
		for _, o := range p.Years {
			if !p.HasYear(o+h) || o < p.FirstYear()+h+minTrainYears-1 { // the origins Backtest scores
				continue
			}
			var last, out []float64
			mean := 0.0
			for _, s := range p.Councils {
				a, b := s.Stock(o), s.Stock(o+h)
				if a > MinStock && b > 0 {
					last, out = append(last, a), append(out, b)
					mean += math.Log(b / a)
				}
			}
			mean /= float64(len(last))
			for i := range last {
				naive += math.Abs(last[i]-out[i]) / out[i] * 100
				oracle += math.Abs(last[i]*math.Exp(mean)-out[i]) / out[i] * 100
				n++
			}
		}
		naive, oracle = naive/float64(n), oracle/float64(n)
		t.Logf("h=%d n=%d naive MAPE %.2f, naive corrected by the year's mean change (oracle) %.2f (%+.1f%%)", h, n, naive, oracle, 100*(oracle/naive-1))
		if !(oracle < naive) {
			t.Errorf("h=%d: the oracle year correction %.2f does not beat the naive %.2f", h, oracle, naive)
		}
	}
}
