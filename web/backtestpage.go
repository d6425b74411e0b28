package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strings"
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

// backtestAside states beside a forecast's fan chart how accurate such
// forecasts have been: the backtest of the published-statistics model on
// England's councils (computed from the embedded series, as the backtest
// page shows it) for the forecast's years ahead, beside the last value
// alone; for a child-level simulation, where its own backtest comes from.
func backtestAside(mode string, years int) []string {
	res, err := backtestOnce()
	if err != nil || len(res.Origins) == 0 {
		return []string{"How accurate forecasts have been could not be computed: " + fmt.Sprint(err)}
	}
	var errs, naive, cover []string
	for _, hz := range res.Horizons {
		if hz > years && len(errs) > 0 {
			break
		}
		m, ok := res.Overall("pooled_growth", hz)
		lv, ok2 := res.Overall("last_value", hz)
		if !ok || !ok2 {
			continue
		}
		ahead := fmt.Sprintf("%d year%s ahead", hz, map[bool]string{true: "", false: "s"}[hz == 1])
		errs = append(errs, fmt.Sprintf("%.1f%% %s", m.MAPE, ahead))
		naive = append(naive, fmt.Sprintf("%.1f%%", lv.MAPE))
		if !math.IsNaN(m.Coverage80) {
			cover = append(cover, fmt.Sprintf("%.0f%%", 100*m.Coverage80))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("How accurate forecasts have been: forecasting every council in England from each 31 March %d to %d and checking against what the DfE then published, the published-statistics model was off by %s on average (the last value alone: %s); its 80%% range held the outcome %s of the time.",
		res.Origins[0], res.Origins[len(res.Origins)-1], joinAnd(errs), joinAnd(naive), joinAnd(cover))}
	if mode == forecast.ModeSimulate || mode == forecast.ModeMarkov {
		out = append(out, "This forecast is the child-level simulation of the loaded returns: its own accuracy is measured on those returns by the command “sufficiency backtest --db DATABASE” (docs/METHOD.md reports it on the demo region).")
	}
	return out
}

// joinAnd joins items as "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
