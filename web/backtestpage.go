package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"sync"

	"sufficiency/analysis"
	"sufficiency/forecast"
	"sufficiency/tabular"
	"sufficiency/web/chart"
)

// The backtest page: the published-statistics model and the naive
// baselines forecast every council from each past origin, scored against
// what was then published (`sufficiency backtest` on the embedded series).
// The embedded data never change, so it is computed once per process.

var backtestOnce = sync.OnceValues(func() (*forecast.BacktestResult, error) {
	p, _, err := analysis.EmbeddedPublished()
	if err != nil {
		return nil, err
	}
	return forecast.Backtest(p, nil, 3)
})

// methodLabels name the backtest's methods in plain words.
var methodLabels = map[string]string{"last_value": "Last value (naive baseline)", "linear_trend": "Linear trend (naive baseline)", "pooled_growth": "Pooled growth (the model)"}

func methodLabel(m string) string {
	if l, ok := methodLabels[m]; ok {
		return l
	}
	return m
}

// backtestView is the page's data.
type backtestView struct {
	Model   string
	Origins string
	Charts  []chartView
	Tables  []tabular.Table
	Skipped []string
}

func (h *pageHandlers) backtestPage(w http.ResponseWriter, r *http.Request) {
	res, err := backtestOnce()
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	var methods []string
	seen := map[string]bool{}
	for _, s := range res.Scores {
		if s.Origin == 0 && !seen[s.Method] {
			seen[s.Method] = true
			methods = append(methods, s.Method)
		}
	}
	sort.Strings(methods)
	t := tabular.Table{Title: "Accuracy over every origin", Columns: []tabular.Column{{Name: "Method"}, {Name: "Years ahead", Kind: tabular.Count}, {Name: "Forecasts scored", Kind: tabular.Count},
		{Name: "Mean absolute % error", Kind: tabular.Number}, {Name: "Bias %", Kind: tabular.Number}, {Name: "80% interval coverage %", Kind: tabular.Number}}}
	var cats []string
	for _, hz := range res.Horizons {
		cats = append(cats, fmt.Sprintf("%d year%s ahead", hz, map[bool]string{true: "", false: "s"}[hz == 1]))
	}
	var ss []chart.Series
	for _, m := range methods {
		s := chart.Series{Name: methodLabel(m)}
		for _, hz := range res.Horizons {
			sc, ok := res.Overall(m, hz)
			if !ok {
				s.Values = append(s.Values, math.NaN())
				continue
			}
			s.Values = append(s.Values, sc.MAPE)
			var cov any
			if !math.IsNaN(sc.Coverage80) {
				cov = 100 * sc.Coverage80
			}
			t.AddRow(methodLabel(m), hz, sc.N, sc.MAPE, sc.Bias, cov)
		}
		ss = append(ss, s)
	}
	bars := chart.Bars{ID: "chart-backtest", Title: "Mean absolute % error by years ahead", Desc: "For each method, the mean absolute percentage error of its forecasts of councils' children in care, 1 to 3 years ahead, over every origin.",
		Categories: cats, Series: ss, Format: chart.Percent}
	v := backtestView{Model: res.ModelVersion, Origins: fmt.Sprintf("%d to %d", res.Origins[0], res.Origins[len(res.Origins)-1]), Tables: []tabular.Table{t}, Skipped: res.Skipped,
		Charts: []chartView{{ID: "chart-backtest", Title: "Mean absolute % error by years ahead", SVG: template.HTML(bars.SVG()), Key: seriesKey(ss, false), Table: t,
			Note: "Lower is better. The 80% interval should hold the outcome 80% of the time."}}}
	recordAction(r, "view backtest", res.ModelVersion)
	h.render(w, r, 0, "backtest", pageData{Title: "How accurate the forecasts have been", Caption: "Backtest of the published-statistics model", Breadcrumbs: []link{{"/", "Home"}, {"/forecasts", "Forecasts"}},
		Data: v, Download: v.Tables})
}

// backtest answers the backtest's scores (as `sufficiency backtest --format json` computes them).
func (h *apiHandlers) backtest(w http.ResponseWriter, r *http.Request) {
	res, err := backtestOnce()
	if err != nil {
		apiError(w, r, err)
		return
	}
	type score struct {
		Method      string   `json:"method"`
		Label       string   `json:"label"`
		YearsAhead  int      `json:"years_ahead"`
		Origin      int      `json:"origin"` // 0: every origin together
		N           int      `json:"n"`
		MAPE        *float64 `json:"mape_pct"`
		BiasPct     *float64 `json:"bias_pct"`
		Coverage80  *float64 `json:"coverage80"`
		WISPct      *float64 `json:"wis_pct"`
		BelowP10    *float64 `json:"below_p10"`
		AboveP90    *float64 `json:"above_p90"`
		ModelChoice string   `json:"variant,omitempty"`
	}
	num := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	out := []score{}
	for _, s := range res.Scores {
		out = append(out, score{Method: s.Method, Label: methodLabel(s.Method), YearsAhead: s.Horizon, Origin: s.Origin, N: s.N, MAPE: num(s.MAPE),
			BiasPct: num(s.Bias), Coverage80: num(s.Coverage80), WISPct: num(s.WIS), BelowP10: num(s.BelowP10), AboveP90: num(s.AboveP90), ModelChoice: s.Variant})
	}
	skipped := res.Skipped
	if skipped == nil {
		skipped = []string{}
	}
	writeJSON(w, r, map[string]any{"model_version": res.ModelVersion, "origins": res.Origins, "horizons": res.Horizons, "scores": out, "skipped": skipped})
}
