package forecast

import (
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
// guards the properties a change must not lose: calibrated 80% intervals and
// no loss against the naive forecast.
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
		t.Logf("h=%d n=%d MAPE model %.2f naive %.2f trend %.2f | cov80 model %.3f naive %.3f | WIS%% model %.2f naive %.2f",
			h, m.N, m.MAPE, n.MAPE, tr.MAPE, m.Coverage80, n.Coverage80, m.WIS, n.WIS)
		if m.Coverage80 < 0.75 || m.Coverage80 > 0.85 {
			t.Errorf("h=%d: 80%% interval covers %.3f of outcomes, want 0.75–0.85", h, m.Coverage80)
		}
		if m.MAPE > n.MAPE*1.01 || m.WIS > n.WIS*1.02 || math.IsNaN(m.MAPE) {
			t.Errorf("h=%d: model MAPE %.2f / WIS %.2f worse than naive %.2f / %.2f", h, m.MAPE, m.WIS, n.MAPE, n.WIS)
		}
	}
}
