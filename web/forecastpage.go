package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/identity"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/tabular"
	"sufficiency/web/chart"
)

// Forecasts in the browser: run one (the CLI's child-level simulation with
// costs, through analysis.Forecast, saved as `sufficiency forecast` saves
// it), list the saved ones, and show one as a fan chart with its cost and
// budget gap. A user sees the forecasts of councils they may see.

// forecastStore is the store's forecasts, when it keeps them.
func (a *analyst) forecastStore() (store.ForecastStore, error) {
	fst, ok := a.st.(store.ForecastStore)
	if !ok {
		return nil, care.Errorf(care.EINTERNAL, "this database cannot keep forecasts")
	}
	return fst, nil
}

// canSeeForecast reports whether u may see a forecast of the councils.
func canSeeForecast(u identity.User, councils []string) bool {
	if u.Role == identity.RoleProvider {
		return false
	}
	for _, c := range councils {
		if !u.CanSeeCouncil(c) {
			return false
		}
	}
	return len(councils) > 0
}

// ForecastSummary is one saved forecast as lists show it.
type ForecastSummary struct {
	ID       int64    `json:"id"`
	Saved    string   `json:"saved"` // RFC 3339, UTC
	By       string   `json:"by"`
	Mode     string   `json:"mode"`
	Scope    string   `json:"scope"`
	Councils []string `json:"councils"`
	Origin   string   `json:"origin"` // YYYY-MM-DD
	Years    int      `json:"years"`
	Sims     int      `json:"sims"`
	Model    string   `json:"model_version"`
	Href     string   `json:"href"`
}

// forecasts lists the saved forecasts u may see, newest first.
func (a *analyst) forecasts(ctx context.Context, u identity.User) ([]ForecastSummary, error) {
	fst, err := a.forecastStore()
	if err != nil {
		return nil, err
	}
	all, err := fst.Forecasts(ctx, store.ForecastFilter{})
	if err != nil {
		return nil, err
	}
	out := []ForecastSummary{}
	for i := len(all) - 1; i >= 0; i-- {
		f := all[i]
		if !canSeeForecast(u, f.Councils) {
			continue
		}
		out = append(out, ForecastSummary{ID: f.ID, Saved: f.At.UTC().Format(time.RFC3339), By: f.Actor, Mode: f.Mode, Scope: scopeName(f.Scope),
			Councils: f.Councils, Origin: f.Origin.Format("2006-01-02"), Years: f.Years, Sims: f.Sims, Model: f.ModelVersion, Href: fmt.Sprintf("/forecasts/%d", f.ID)})
	}
	return out, nil
}

// scopeName names a council code as its name; anything else as it is.
func scopeName(s string) string {
	if c, ok := refdata.CouncilByCode(s); ok {
		return c.Name
	}
	return s
}

// savedForecast reads forecast id, ENOTFOUND when u may not see it (so
// nobody learns which forecasts exist).
func (a *analyst) savedForecast(ctx context.Context, u identity.User, idText string) (store.SavedForecast, *forecast.Record, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id < 1 {
		return store.SavedForecast{}, nil, care.Errorf(care.ENOTFOUND, "no forecast %q", idText)
	}
	fst, err := a.forecastStore()
	if err != nil {
		return store.SavedForecast{}, nil, err
	}
	f, err := fst.Forecast(ctx, id)
	if err != nil {
		return f, nil, err
	}
	if !canSeeForecast(u, f.Councils) {
		return f, nil, care.Errorf(care.ENOTFOUND, "no forecast %d", id)
	}
	rec, err := forecast.DecodeRecord(f.Record)
	if err != nil {
		return f, nil, err
	}
	return f, rec, nil
}

// forecastForm is what the run form asks.
type forecastForm struct {
	Scope  string // "council:CODE" or "region:NAME"
	Years  int
	Sims   int
	Budget string
	Errors map[string]string
}

// parseForecastForm reads and checks the run form; EINVALID naming the field.
func parseForecastForm(r *http.Request) (forecastForm, error) {
	f := forecastForm{Scope: r.PostFormValue("scope"), Years: 3, Sims: 500, Budget: strings.TrimSpace(r.PostFormValue("budget")), Errors: map[string]string{}}
	if s := r.PostFormValue("years"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 5 {
			f.Errors["years"] = "Enter a number of years from 1 to 5"
		}
		f.Years = n
	}
	if s := r.PostFormValue("sims"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 50 || n > 2000 {
			f.Errors["sims"] = "Enter a number of simulations from 50 to 2,000"
		}
		f.Sims = n
	}
	if f.Budget != "" {
		for _, part := range strings.Split(f.Budget, ",") {
			v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(part), "£"), " ", ""), 64)
			if err != nil || v < 0 {
				f.Errors["budget"] = "Enter the budget in pounds for each year, separated by commas, like 52000000, 54000000"
				break
			}
		}
	}
	if f.Scope == "" {
		f.Errors["scope"] = "Choose a council or region to forecast"
	}
	if len(f.Errors) > 0 {
		var msgs []string
		for _, k := range []string{"scope", "years", "sims", "budget"} {
			if m, ok := f.Errors[k]; ok {
				msgs = append(msgs, m)
			}
		}
		return f, care.Errorf(care.EINVALID, "%s", strings.Join(msgs, "; "))
	}
	return f, nil
}

// runForecast runs and saves a forecast of the form's scope for u.
func (a *analyst) runForecast(ctx context.Context, u identity.User, f forecastForm) (store.SavedForecast, error) {
	kind, val, _ := strings.Cut(f.Scope, ":")
	o := analysis.ForecastOptions{Mode: forecast.ModeSimulate, Years: f.Years, Sims: f.Sims, Seed: 1}
	spec, err := formScope(kind, val)
	if err != nil {
		return store.SavedForecast{}, err
	}
	sc, err := a.scope(ctx, spec)
	if err != nil {
		return store.SavedForecast{}, err
	}
	if !maySeeScope(u, spec) {
		return store.SavedForecast{}, forbidden("a forecast of " + sc.Name)
	}
	o.LA, o.Region = spec.LA(), spec.Region
	if f.Budget != "" {
		var parts []string
		for _, p := range strings.Split(f.Budget, ",") {
			parts = append(parts, strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(p), "£"), " ", ""))
		}
		o.Budget = strings.Join(parts, ",")
	}
	d, err := analysis.Load(ctx, a.st, sc, false)
	if err != nil {
		return store.SavedForecast{}, err
	}
	rec, err := analysis.Forecast(ctx, d.Children, d.Episodes, o)
	if err != nil {
		return store.SavedForecast{}, err
	}
	fst, err := a.forecastStore()
	if err != nil {
		return store.SavedForecast{}, err
	}
	return analysis.SaveForecast(ctx, fst, rec, u.Name, a.now())
}

// forecastListView is the forecasts page.
type forecastListView struct {
	Forecasts []ForecastSummary
	Scopes    []choice
	Form      forecastForm
}

// forecastScopes are the councils and regions u may forecast.
func (h *pageHandlers) forecastScopes(r *http.Request, u identity.User, selected string) []choice {
	rows, err := h.data.councils(r.Context(), u)
	if err != nil {
		return nil
	}
	var out []choice
	seen := map[string]bool{}
	for _, c := range rows {
		if c.Region != "" && u.CanSeeRegion(c.Region) && !seen[c.Region] {
			seen[c.Region] = true
			v := "region:" + c.Region
			out = append(out, choice{Value: v, Text: c.Region + " (region)", Selected: v == selected})
		}
	}
	for _, c := range rows {
		if c.Own {
			v := "council:" + c.Code
			out = append(out, choice{Value: v, Text: c.Name, Selected: v == selected})
		}
	}
	return out
}

func (h *pageHandlers) forecastsPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	list, err := h.data.forecasts(r.Context(), u)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	form := forecastForm{Years: 3, Sims: 500}
	code := 0
	var msg string
	if r.Method == http.MethodPost {
		f, err := parseForecastForm(r)
		form = f
		if err == nil {
			saved, err := h.data.runForecast(r.Context(), u, f)
			if err == nil {
				recordAction(r, "run forecast", fmt.Sprintf("forecast %d of %s", saved.ID, saved.Scope))
				http.Redirect(w, r, fmt.Sprintf("/forecasts/%d", saved.ID), http.StatusSeeOther)
				return
			}
			if care.ErrorCode(err) != care.EINVALID {
				pageError(h.render, w, r, err)
				return
			}
			msg = publicMessage(err)
		}
		code = http.StatusBadRequest
	}
	t := tabular.Table{Title: "Saved forecasts", Columns: []tabular.Column{{Name: "Forecast"}, {Name: "Scope"}, {Name: "Origin"}, {Name: "Years", Kind: tabular.Count},
		{Name: "Simulations", Kind: tabular.Count}, {Name: "Model"}, {Name: "Made by"}, {Name: "Saved (UTC)"}}}
	for _, f := range list {
		t.AddRow(f.ID, f.Scope, f.Origin, f.Years, f.Sims, f.Model, f.By, f.Saved)
	}
	h.render(w, r, code, "forecasts", pageData{Title: "Forecasts", Breadcrumbs: []link{{"/", "Home"}}, Message: msg,
		Data: forecastListView{Forecasts: list, Scopes: h.forecastScopes(r, u, form.Scope), Form: form}, Download: []tabular.Table{t}})
}

// forecastView is one forecast's page.
type forecastView struct {
	Summary ForecastSummary
	Charts  []chartView
	Tables  []tabular.Table
	Notes   []string
	Repeat  string
	// Councils link each council of the forecast to its page.
	Councils []link
}

func (h *pageHandlers) forecastPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	f, rec, err := h.data.savedForecast(r.Context(), u, r.PathValue("id"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	v := forecastView{Summary: ForecastSummary{ID: f.ID, Saved: f.At.UTC().Format(time.RFC3339), By: f.Actor, Mode: f.Mode, Scope: scopeName(f.Scope),
		Councils: f.Councils, Origin: f.Origin.Format("2006-01-02"), Years: f.Years, Sims: f.Sims, Model: f.ModelVersion}}
	v.Charts, v.Tables, v.Notes = forecastCharts(rec, f)
	for _, c := range f.Councils {
		v.Councils = append(v.Councils, link{"/councils/" + c, scopeName(c)})
	}
	recordAction(r, "view forecast", fmt.Sprintf("forecast %d", f.ID))
	h.render(w, r, 0, "forecast", pageData{Title: "Forecast of " + scopeName(f.Scope), Caption: fmt.Sprintf("Forecast %d from %s", f.ID, formatDate(f.Origin)),
		Breadcrumbs: []link{{"/", "Home"}, {"/forecasts", "Forecasts"}}, Data: v, Download: v.Tables})
}

// forecastCharts draws a simulation's fan chart (children in care: the
// published history, then P10–P90, P25–P75 is not kept so the band is P10–P90
// with the P50 line) and tabulates the groups and the spend.
func forecastCharts(rec *forecast.Record, f store.SavedForecast) ([]chartView, []tabular.Table, []string) {
	p, err := rec.Projection()
	if err != nil || p.RollUp == nil || len(p.Months) == 0 {
		return nil, nil, []string{"This forecast holds no child-level simulation to draw (mode " + rec.Mode + "); `sufficiency forecast --show " + strconv.FormatInt(f.ID, 10) + "` prints it."}
	}
	ru := p.RollUp
	// Yearly points: the origin and every twelve months after.
	var idx []int
	for k := 0; k < len(p.Months); k += 12 {
		idx = append(idx, k)
	}
	// History: published children in care at 31 March before the origin,
	// summed over the forecast's councils (only years every council has).
	hist := map[int]float64{}
	for y := p.Origin.Year() - 6; y < p.Origin.Year()+1; y++ {
		if !care.Date(y, time.March, 31).Before(p.Origin) {
			continue
		}
		sum, ok := 0.0, true
		for _, c := range f.Councils {
			fig, have := refdata.CLATotalsFor(c, y)
			if !have || !fig.CLA31Mar.Known {
				ok = false
				break
			}
			sum += fig.CLA31Mar.Value
		}
		if ok {
			hist[y] = sum
		}
	}
	var cats []string
	nan := math.NaN()
	var histV, p10, p50, p90, mean []float64
	for y := p.Origin.Year() - 6; y < p.Origin.Year()+1; y++ {
		if v, ok := hist[y]; ok {
			cats = append(cats, strconv.Itoa(y))
			histV, p10, p50, p90, mean = append(histV, v), append(p10, nan), append(p50, nan), append(p90, nan), append(mean, nan)
		}
	}
	marker := len(cats)
	for i, k := range idx {
		cats = append(cats, p.Months[k].Format("Jan 2006"))
		hv := nan
		if i == 0 {
			hv = ru.Total.P50[k] // the line joins the projection at the origin
		}
		histV = append(histV, hv)
		p10, p50, p90, mean = append(p10, ru.Total.P10[k]), append(p50, ru.Total.P50[k]), append(p90, ru.Total.P90[k]), append(mean, ru.Total.Mean[k])
	}
	ss := []chart.Series{{Name: "Published (31 March)", Values: histV}, {Name: "Median projection (P50)", Values: p50, Dashed: true}}
	fan := chart.Line{ID: "chart-fan", Title: "Children in care: projection", Desc: fmt.Sprintf("Children in care in %s: published figures before the origin, then the median projection from %d simulations with the 10th to 90th percentile range shaded.", scopeName(f.Scope), p.Sims),
		Categories: cats, Series: ss, Bands: []chart.Band{{Name: "P10 to P90", Lower: p10, Upper: p90}}, Marker: marker, MarkerLabel: "Forecast", YLabel: "Children",
		Width: 960, Height: 400}
	table := tabular.Table{Title: "Children in care: projection", Columns: []tabular.Column{{Name: "Date"}, {Name: "Published", Kind: tabular.Count},
		{Name: "P10", Kind: tabular.Count}, {Name: "Median (P50)", Kind: tabular.Count}, {Name: "P90", Kind: tabular.Count}, {Name: "Mean", Kind: tabular.Number}}}
	for i, c := range cats {
		row := []any{c}
		for j, vals := range [][]float64{histV, p10, p50, p90} {
			if math.IsNaN(vals[i]) || i == marker && j == 0 { // the line's join at the origin is not published
				row = append(row, nil)
			} else {
				row = append(row, int(math.Round(vals[i])))
			}
		}
		if math.IsNaN(mean[i]) {
			row = append(row, nil)
		} else {
			row = append(row, mean[i])
		}
		table.AddRow(row...)
	}
	key := []keyItem{{Name: "Published (31 March)", Swatch: 0, Line: true}, {Name: "Median projection (P50)", Swatch: 1, Line: true, Dashed: true}, {Name: "10th to 90th percentile", Band: true}}
	charts := []chartView{{ID: "chart-fan", Title: "Children in care: projection", SVG: template.HTML(fan.SVG()), Key: key, Table: table, Wide: true,
		Note: "The shaded band holds 80% of the simulated futures; the dashed line is the median.", Aside: backtestAside(rec.Mode, f.Years)}}
	tables := []tabular.Table{table}
	// Groups at the end of the horizon.
	last := len(p.Months) - 1
	gt := tabular.Table{Title: fmt.Sprintf("By placement group at %s", formatDate(p.Months[last])), Columns: []tabular.Column{{Name: "Placement group"},
		{Name: "Now", Kind: tabular.Count}, {Name: "P10", Kind: tabular.Count}, {Name: "Median (P50)", Kind: tabular.Count}, {Name: "P90", Kind: tabular.Count}}}
	var gcats []string
	now, med := chart.Series{Name: "At the origin"}, chart.Series{Name: "Median at " + p.Months[last].Format("January 2006")}
	for _, g := range ru.Groups {
		gt.AddRow(label("", g.Name), int(math.Round(g.P50[0])), int(math.Round(g.P10[last])), int(math.Round(g.P50[last])), int(math.Round(g.P90[last])))
		gcats = append(gcats, label("", g.Name))
		now.Values = append(now.Values, g.P50[0])
		med.Values = append(med.Values, g.P50[last])
	}
	tables = append(tables, gt)
	gb := chart.Bars{ID: "chart-groups", Title: "By placement group", Desc: "Children in care in each placement group at the origin and the median at the end of the horizon.", Categories: gcats, Series: []chart.Series{now, med}}
	charts = append(charts, chartView{ID: "chart-groups", Title: "By placement group", SVG: template.HTML(gb.SVG()), Key: seriesKey([]chart.Series{now, med}, false), Table: gt})
	// Spend and the budget gap.
	if len(ru.Spend) > 0 {
		st := tabular.Table{Title: "Placement spend by year", Columns: []tabular.Column{{Name: "Year ending"}, {Name: "Mean", Kind: tabular.Money}, {Name: "P10", Kind: tabular.Money},
			{Name: "Median (P50)", Kind: tabular.Money}, {Name: "P90", Kind: tabular.Money}, {Name: "Budget", Kind: tabular.Money}, {Name: "Gap (mean − budget)", Kind: tabular.Money},
			{Name: "Chance of overspending", Kind: tabular.Percent}}}
		var cats []string
		var m, b []float64
		for _, sy := range ru.Spend {
			var budget, gap, over any
			if sy.Budget > 0 {
				budget, gap, over = sy.Budget, sy.GapMean, 100*sy.OverBudgetP
			}
			st.AddRow(formatDate(sy.Ends), sy.Mean, sy.P10, sy.P50, sy.P90, budget, gap, over)
			cats = append(cats, formatDate(sy.Ends))
			m = append(m, sy.Mean)
			if sy.Budget > 0 {
				b = append(b, sy.Budget)
			} else {
				b = append(b, nan)
			}
		}
		tables = append(tables, st)
		ss := []chart.Series{{Name: "Mean projected spend", Values: m}}
		if !allMissing([]chart.Series{{Values: b}}) {
			ss = append(ss, chart.Series{Name: "Budget", Values: b})
		}
		sb := chart.Bars{ID: "chart-spend", Title: "Placement spend by year", Desc: "Mean projected placement spend in each year of the forecast, beside the budget where one was given.", Categories: cats, Series: ss, Format: chart.Pounds}
		charts = append(charts, chartView{ID: "chart-spend", Title: "Placement spend by year", SVG: template.HTML(sb.SVG()), Key: seriesKey(ss, false), Table: st,
			Note: "Spend: each simulated month's children in each placement group × the group's weekly cost, inflated; the unit costs and their sources are in the table below."})
		ct := tabular.Table{Title: "Unit costs used", Columns: []tabular.Column{{Name: "Placement group"}, {Name: "Weekly cost", Kind: tabular.Money}, {Name: "Yearly rise", Kind: tabular.Percent}, {Name: "Source"}}}
		for _, c := range rec.Request.Costs {
			ct.AddRow(label("", c.Group), c.Weekly, 100*c.Inflation, c.Source)
		}
		tables = append(tables, ct)
	}
	notes := append([]string(nil), rec.Inputs.Warnings...)
	return charts, tables, notes
}

func (h *apiHandlers) forecasts(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	list, err := h.data.forecasts(r.Context(), u)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, map[string]any{"forecasts": list})
}

// runForecast runs a forecast from a form-encoded body (scope as
// "council:CODE" or "region:NAME", years, sims, budget) and answers 201
// with the saved forecast's summary.
func (h *apiHandlers) runForecast(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	f, err := parseForecastForm(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	saved, err := h.data.runForecast(r.Context(), u, f)
	if err != nil {
		apiError(w, r, err)
		return
	}
	recordAction(r, "run forecast", fmt.Sprintf("forecast %d of %s", saved.ID, saved.Scope))
	w.Header().Set("Location", fmt.Sprintf("/api/v1/forecasts/%d", saved.ID))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(ForecastSummary{ID: saved.ID, Saved: saved.At.UTC().Format(time.RFC3339), By: saved.Actor, Mode: saved.Mode, Scope: scopeName(saved.Scope),
		Councils: saved.Councils, Origin: saved.Origin.Format("2006-01-02"), Years: saved.Years, Sims: saved.Sims, Model: saved.ModelVersion, Href: fmt.Sprintf("/forecasts/%d", saved.ID)})
}

// forecast answers one saved forecast: its record as saved (the JSON the
// CLI's --show reads), snake_case throughout.
func (h *apiHandlers) forecast(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	_, rec, err := h.data.savedForecast(r.Context(), u, r.PathValue("id"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, rec)
}
