package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/refdata"
	"sufficiency/scenario"
	"sufficiency/siting"
	"sufficiency/store"
	"sufficiency/tabular"
	"sufficiency/web/chart"
)

// Scenarios in the browser and the API: levers as a form (or a scenario
// file pasted as JSON), run on the user's council or region, saved with who
// ran them, and shown as charts of the baseline and the scenario side by
// side with the tables behind them. Running a scenario reads child-level
// data, so the user must be able to see every council of its scope.

// scenarioStore is what the scenario pages need of the store.
type scenarioStore interface {
	store.Store
	store.ScenarioStore
}

type scenarioPages struct {
	st     scenarioStore // nil when the store keeps no scenarios
	render renderFunc
}

func (s *Server) scenarioPages() *scenarioPages {
	st, _ := s.cfg.Store.(scenarioStore)
	return &scenarioPages{st: st, render: s.render}
}

func (p *scenarioPages) store() (scenarioStore, error) {
	if p.st == nil {
		return nil, care.Errorf(care.EUNUSABLE, "this database keeps no scenarios")
	}
	return p.st, nil
}

// scenarioNav is the navigation entry of the scenario pages.
func scenarioNav(u identity.User) []navItem {
	if u.Role == identity.RoleProvider {
		return nil
	}
	return []navItem{{Href: "/scenarios", Text: "Scenarios"}}
}

// mayRun checks the user may run a scenario of this scope (parsed at the
// edge: scenario.Scope.Spec, scopeQuery).
func mayRun(u identity.User, spec analysis.ScopeSpec) error {
	if u.Role == identity.RoleProvider {
		return forbidden("scenarios: they read councils' child-level data")
	}
	if !maySeeScope(u, spec) {
		name := spec.Region
		if name == "" {
			name = refdata.CouncilName(spec.LA())
		}
		return forbidden("the children of " + name)
	}
	return nil
}

// maySee checks the user may see a saved run (every council it covers).
func maySee(u identity.User, s store.SavedScenario) error {
	for _, c := range s.Councils {
		if !u.CanSeeCouncil(c) {
			return care.Errorf(care.ENOTFOUND, "no saved scenario %d", s.ID)
		}
	}
	return nil
}

// run parses, checks, runs and saves a scenario file.
func (p *scenarioPages) run(r *http.Request, file []byte) (store.SavedScenario, *scenario.Result, error) {
	st, err := p.store()
	if err != nil {
		return store.SavedScenario{}, nil, err
	}
	sc, err := scenario.Parse(file, "scenario")
	if err != nil {
		return store.SavedScenario{}, nil, err
	}
	u, _ := userFrom(r.Context())
	spec, err := sc.Scope.Spec()
	if err != nil {
		return store.SavedScenario{}, nil, err
	}
	if err := mayRun(u, spec); err != nil {
		return store.SavedScenario{}, nil, err
	}
	res, err := scenario.RunOn(r.Context(), st, sc, scenario.Options{})
	if err != nil {
		return store.SavedScenario{}, nil, err
	}
	rec, err := res.Saved(file)
	if err != nil {
		return store.SavedScenario{}, nil, err
	}
	saved, err := st.SaveScenario(r.Context(), rec)
	return saved, res, err
}

// savedRuns lists the runs the user may see.
func (p *scenarioPages) savedRuns(r *http.Request) ([]store.SavedScenario, error) {
	st, err := p.store()
	if err != nil {
		return nil, err
	}
	all, err := st.Scenarios(r.Context(), store.ScenarioFilter{Name: r.URL.Query().Get("name")})
	if err != nil {
		return nil, err
	}
	u, _ := userFrom(r.Context())
	var out []store.SavedScenario
	for _, s := range all {
		if maySee(u, s) == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// scenarioView is the data of the scenario page.
type scenarioView struct {
	Values  map[string]string // the form as filled in
	Groups  []leverOption
	Reasons []leverOption
	Runs    []store.SavedScenario
	// Shown is a run being shown, with its charts.
	Shown  *store.SavedScenario
	Charts []chartView
	Levers []scenario.LeverNote
	Result *scenario.Result
}

type leverOption struct{ Value, Text string }

func scenarioOptions() ([]leverOption, []leverOption) {
	groups := []leverOption{{"residential", "Children's homes (residential)"}, {"fostering", "Fostering (in-house and agency)"},
		{"foster_inhouse", "Fostering, council's own carers"}, {"foster_agency", "Fostering, agency carers"},
		{"kinship", "Fostering with family or friends"}, {"supported", "Supported accommodation"}, {"secure", "Secure and other"}}
	reasons := []leverOption{{"sgo", "Special guardianship order"}, {"home", "Home to parents or relatives"}, {"adoption", "Adoption"},
		{"independence", "Independent living"}, {"other", "Other reasons"}}
	return groups, reasons
}

// defaultValues fill the form for a user: their council or region.
func defaultValues(u identity.User) map[string]string {
	v := map[string]string{"scenario_name": "", "years": "5", "sims": "500", "seed": "1"}
	switch {
	case u.Council != "":
		v["scope_la"] = u.Council
	case u.Region != "":
		v["scope_region"] = u.Region
	}
	return v
}

func (p *scenarioPages) page(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if u.Role == identity.RoleProvider {
		pageError(p.render, w, r, forbidden("scenarios"))
		return
	}
	runs, err := p.savedRuns(r)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	g, rs := scenarioOptions()
	p.render(w, r, 0, "scenario", pageData{Title: "Scenarios", Caption: "Prevent, Supply and Better utilise",
		Breadcrumbs: []link{{"/", "Home"}}, Data: &scenarioView{Values: defaultValues(u), Groups: g, Reasons: rs, Runs: runs}})
}

func (p *scenarioPages) post(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		pageError(p.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
		return
	}
	vals := map[string]string{}
	for k := range r.PostForm {
		vals[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	file, err := scenarioFromForm(vals)
	var saved store.SavedScenario
	if err == nil {
		saved, _, err = p.run(r, file)
	}
	if err != nil {
		if st := status(err); st != http.StatusBadRequest && st != http.StatusNotFound && st != http.StatusUnprocessableEntity {
			pageError(p.render, w, r, err)
			return
		}
		runs, _ := p.savedRuns(r)
		g, rs := scenarioOptions()
		p.render(w, r, http.StatusBadRequest, "scenario", pageData{Title: "Scenarios", Caption: "Prevent, Supply and Better utilise",
			Message: publicMessage(err), Breadcrumbs: []link{{"/", "Home"}}, Data: &scenarioView{Values: vals, Groups: g, Reasons: rs, Runs: runs}})
		return
	}
	http.Redirect(w, r, "/scenarios/"+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
}

func (p *scenarioPages) show(w http.ResponseWriter, r *http.Request) {
	saved, res, err := p.saved(r)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	var vals map[string]string
	if len(saved.File) > 0 { // the file as given, JSON or YAML
		vals = map[string]string{"json": string(saved.File)}
	}
	g, rs := scenarioOptions()
	runs, _ := p.savedRuns(r)
	title := fmt.Sprintf("%s (version %d)", saved.Name, saved.Version)
	p.render(w, r, 0, "scenario", pageData{Title: title,
		Caption:     fmt.Sprintf("%s from %s · run by %s on %s", res.Scope, formatDate(res.Origin), saved.Actor, saved.At.Format("2 January 2006 15:04")),
		Breadcrumbs: []link{{"/", "Home"}, {"/scenarios", "Scenarios"}},
		Result:      &Result{Scope: res.Scope, At: res.Origin, Tables: res.Tables()},
		Links:       []link{{fmt.Sprintf("/api/v1/scenarios/%d", saved.ID), "This scenario as JSON"}},
		Data:        &scenarioView{Values: vals, Groups: g, Reasons: rs, Runs: runs, Shown: &saved, Charts: scenarioCharts(res), Levers: res.Levers, Result: res}})
}

// saved reads the run named in the path, if the user may see it.
func (p *scenarioPages) saved(r *http.Request) (store.SavedScenario, *scenario.Result, error) {
	st, err := p.store()
	if err != nil {
		return store.SavedScenario{}, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return store.SavedScenario{}, nil, care.Errorf(care.ENOTFOUND, "no saved scenario %q", r.PathValue("id"))
	}
	s, err := st.Scenario(r.Context(), id)
	if err != nil {
		return store.SavedScenario{}, nil, err
	}
	u, _ := userFrom(r.Context())
	if err := maySee(u, s); err != nil {
		return store.SavedScenario{}, nil, err
	}
	res, err := scenario.Decode(s)
	return s, res, err
}

// savedJSON is a saved run as the API lists and returns it.
type savedJSON struct {
	ID       int64           `json:"id"`
	Name     string          `json:"name"`
	Version  int             `json:"version"`
	Scope    string          `json:"scope"`
	Councils []string        `json:"councils"`
	Origin   string          `json:"origin"`
	Years    int             `json:"years"`
	Sims     int             `json:"sims"`
	Seed     int64           `json:"seed"`
	RunBy    string          `json:"run_by"`
	SavedAt  string          `json:"saved_at"`
	Scenario json.RawMessage `json:"scenario,omitempty"`
	// ScenarioYAML is the file as given when it was YAML.
	ScenarioYAML string          `json:"scenario_yaml,omitempty"`
	Result       json.RawMessage `json:"result,omitempty"`
}

func toJSON(s store.SavedScenario) savedJSON {
	out := savedJSON{ID: s.ID, Name: s.Name, Version: s.Version, Scope: s.Scope, Councils: s.Councils, Origin: s.Origin.Format(time.DateOnly),
		Years: s.Years, Sims: s.Sims, Seed: s.Seed, RunBy: s.Actor, SavedAt: s.At.Format(time.RFC3339)}
	if len(s.Result) > 0 {
		out.Result = json.RawMessage(s.Result)
	}
	if json.Valid(s.File) {
		out.Scenario = json.RawMessage(s.File)
	} else if len(s.File) > 0 {
		out.ScenarioYAML = string(s.File)
	}
	return out
}

// apiRun is POST /api/v1/scenarios: the body is a scenario file (JSON, or
// YAML: a body not starting with "{").
func (p *scenarioPages) apiRun(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		apiError(w, r, care.Errorf(care.EINVALID, "the request body could not be read: send a scenario file as JSON or YAML"))
		return
	}
	saved, _, err := p.run(r, body)
	if err != nil {
		apiError(w, r, err)
		return
	}
	b, err := json.MarshalIndent(toJSON(saved), "", "  ")
	if err != nil {
		apiError(w, r, care.WrapError(care.EINTERNAL, err, "encode JSON"))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/scenarios/%d", saved.ID))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(append(b, '\n'))
}

func (p *scenarioPages) apiList(w http.ResponseWriter, r *http.Request) {
	runs, err := p.savedRuns(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	out := []savedJSON{}
	for _, s := range runs {
		out = append(out, toJSON(s))
	}
	writeJSON(w, r, map[string]any{"scenarios": out})
}

func (p *scenarioPages) apiShow(w http.ResponseWriter, r *http.Request) {
	s, _, err := p.saved(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, toJSON(s))
}

// scenarioFromForm builds a scenario file from the form: the pasted JSON
// when given, else the scope, horizon and each lever whose main field is
// filled in. Percentages are typed as percentages (−20 for 20% fewer).
func scenarioFromForm(v map[string]string) ([]byte, error) {
	if strings.TrimSpace(v["json"]) != "" {
		return []byte(v["json"]), nil
	}
	var bad error
	num := func(field string, scale float64) any {
		s := strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(v[field]), "£"), ",", "")
		s = strings.TrimSuffix(s, "%")
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "−", "-"), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			if bad == nil {
				bad = care.Errorf(care.EINVALID, "%s: %q is not a number", labelOf(field), v[field])
			}
			return nil
		}
		return f * scale
	}
	sc := map[string]any{"name": v["scenario_name"]}
	if v["scope_region"] != "" {
		sc["scope"] = map[string]string{"region": v["scope_region"]}
	} else {
		sc["scope"] = map[string]string{"la": v["scope_la"]}
	}
	for _, f := range []string{"years", "sims", "seed"} {
		if x := num(f, 1); x != nil {
			sc[f] = x
		}
	}
	if v["from"] != "" {
		sc["from"] = v["from"]
	}
	var levers []map[string]any
	add := func(main string, l map[string]any, fields map[string]any) {
		if v[main] == "" {
			return
		}
		for k, x := range fields {
			switch t := x.(type) {
			case nil:
			case string:
				if t != "" {
					l[k] = t
				}
			default:
				l[k] = t
			}
		}
		levers = append(levers, l)
	}
	ages := func(a, b string) any {
		lo, hi := num(a, 1), num(b, 1)
		if lo == nil && hi == nil {
			return nil
		}
		if lo == nil {
			lo = 0.0
		}
		if hi == nil {
			hi = 17.0
		}
		return []any{lo, hi}
	}
	add("entry_change", map[string]any{"lever": "entry_rate"}, map[string]any{"change": num("entry_change", 0.01),
		"ages": ages("entry_from_age", "entry_to_age"), "start": v["entry_start"], "ramp_months": num("entry_ramp", 1)})
	add("exit_change", map[string]any{"lever": "exit_rate"}, map[string]any{"to": v["exit_to"], "change": num("exit_change", 0.01), "start": v["exit_start"]})
	add("recruit_households", map[string]any{"lever": "recruit_foster"}, map[string]any{"households_per_year": num("recruit_households", 1),
		"attrition": num("recruit_attrition", 0.01), "start": v["recruit_start"]})
	add("home_district", map[string]any{"lever": "open_home"}, map[string]any{"postcode_district": v["home_district"], "places": num("home_places", 1),
		"weekly_cost": num("home_weekly", 1), "capital": num("home_capital", 1), "start": v["home_start"]})
	add("block_places", map[string]any{"lever": "block_contract"}, map[string]any{"placement_group": v["block_group"], "places": num("block_places", 1),
		"weekly_price": num("block_price", 1), "start": v["block_start"]})
	add("step_share", map[string]any{"lever": "step_down"}, map[string]any{"from": v["step_from"], "to": v["step_to"], "share": num("step_share", 0.01),
		"within_months": num("step_months", 1), "start": v["step_start"]})
	add("infl_annual", map[string]any{"lever": "price_inflation"}, map[string]any{"placement_group": v["infl_group"], "annual": num("infl_annual", 0.01)})
	add("inarea_share", map[string]any{"lever": "in_area"}, map[string]any{"share": num("inarea_share", 0.01), "placement_group": v["inarea_group"], "start": v["inarea_start"]})
	add("uasc_per_year", map[string]any{"lever": "uasc_arrivals"}, map[string]any{"per_year": num("uasc_per_year", 1), "start": v["uasc_start"]})
	if bad != nil {
		return nil, bad
	}
	if levers == nil {
		levers = []map[string]any{}
	}
	sc["levers"] = levers
	return json.MarshalIndent(sc, "", "  ")
}

var formLabels = map[string]string{
	"years": "Years", "sims": "Simulations", "seed": "Seed", "entry_change": "Entry rate change", "entry_from_age": "Entry rate: youngest age",
	"entry_to_age": "Entry rate: oldest age", "entry_ramp": "Entry rate: months to full effect", "exit_change": "Exit rate change",
	"recruit_households": "Foster households a year", "recruit_attrition": "Households lost a year", "home_places": "Home: places",
	"home_weekly": "Home: weekly cost a place", "home_capital": "Home: capital", "block_places": "Block contract: places",
	"block_price": "Block contract: weekly price", "step_share": "Step-down share", "step_months": "Step-down: within months",
	"infl_annual": "Price rise a year", "inarea_share": "Placed in the area instead", "uasc_per_year": "Unaccompanied children a year",
}

func labelOf(field string) string {
	if l, ok := formLabels[field]; ok {
		return l
	}
	return field
}

// scenarioCharts draws the baseline and the scenario side by side: children
// in care, in children's homes and with agency foster carers, the share over
// 20 miles, spend and cumulative net saving, each with its P10–P90 bands.
func scenarioCharts(res *scenario.Result) []chartView {
	var cats []string
	for _, y := range res.Outcomes {
		d, _ := time.Parse(time.DateOnly, y.Ends)
		cats = append(cats, d.Format("Jan 2006"))
	}
	pair := func(id, title, desc, what string, kind tabular.Kind, f chart.Format, scale float64, get func(scenario.Year) scenario.Pair) chartView {
		var bm, sm, bl, bh, sl, sh []float64
		v := func(x float64) float64 { return scale * x }
		if kind == tabular.Number { // children: whole children, as the tables show them
			v = func(x float64) float64 { return math.Round(scale*x) + 0 }
		}
		for _, y := range res.Outcomes {
			p := get(y)
			bm, sm = append(bm, v(p.Baseline.Mean)), append(sm, v(p.Scenario.Mean))
			bl, bh = append(bl, v(p.Baseline.P10)), append(bh, v(p.Baseline.P90))
			sl, sh = append(sl, v(p.Scenario.P10)), append(sh, v(p.Scenario.P90))
		}
		ss := []chart.Series{{Name: "Baseline", Values: bm, Dashed: true}, {Name: "Scenario", Values: sm}}
		line := chart.Line{ID: id, Title: title, Desc: desc, Categories: cats, Series: ss, YLabel: what, Format: f,
			Bands: []chart.Band{{Name: "Baseline P10–P90", Lower: bl, Upper: bh}, {Name: "Scenario P10–P90", Lower: sl, Upper: sh}}}
		key := append(seriesKey(ss, true), keyItem{Name: "P10–P90 (baseline light, scenario dark)", Band: true})
		t := seriesTable(title, "Year ending", cats, []chart.Series{ss[0], {Name: "Baseline P10", Values: bl}, {Name: "Baseline P90", Values: bh},
			ss[1], {Name: "Scenario P10", Values: sl}, {Name: "Scenario P90", Values: sh}}, kind)
		return chartView{ID: id, Title: title, SVG: template.HTML(line.SVG()), Key: key, Table: t}
	}
	group := func(g string) func(scenario.Year) scenario.Pair {
		return func(y scenario.Year) scenario.Pair {
			for _, x := range y.Groups {
				if x.Group == g {
					return x.Children
				}
			}
			return scenario.Pair{}
		}
	}
	out := []chartView{
		pair("chart-in-care", "Children in care", "Children in care at each year end, baseline and scenario, with P10–P90.", "Children", tabular.Number, chart.Plain, 1,
			func(y scenario.Year) scenario.Pair { return y.InCare }),
		pair("chart-homes", "Children in children's homes", "Children in children's homes at each year end, baseline and scenario.", "Children", tabular.Number, chart.Plain, 1,
			group("childrens_home")),
		pair("chart-agency", "Children with agency foster carers", "Children with agency foster carers at each year end.", "Children", tabular.Number, chart.Plain, 1,
			group("foster_agency")),
		pair("chart-far", "Placed more than 20 miles from home", "Share of children in care placed more than 20 miles from home at each year end.", "%", tabular.Percent, chart.Percent, 100,
			func(y scenario.Year) scenario.Pair { return y.Far }),
		pair("chart-spend", "Spend on placements", "Spend on placements in each year, baseline and scenario.", "£", tabular.Money, chart.Pounds, 1,
			func(y scenario.Year) scenario.Pair { return y.Spend }),
		pair("chart-saving", "Cumulative net saving", "Cumulative net saving (baseline spend − scenario spend − capital − programme costs); the baseline is zero.", "£", tabular.Money, chart.Pounds, 1,
			func(y scenario.Year) scenario.Pair { return scenario.Pair{Scenario: y.Cumulative} }),
	}
	if res.PaybackYear > 0 {
		out[len(out)-1].Note = fmt.Sprintf("Pays back in year %d (by %s) on the mean; %.0f%% of simulations have paid back by the horizon.", res.PaybackYear, formatDate(res.PaybackEnds), 100*res.PaybackChance)
	} else {
		out[len(out)-1].Note = fmt.Sprintf("Does not pay back within %d years on the mean; %.0f%% of simulations have paid back by the horizon.", res.Years, 100*res.PaybackChance)
	}
	return out
}

// leverFieldView is one text box of the lever form.
type leverFieldView struct{ ID, Label, Hint, Value string }

// Field is the view of one text box of the lever form, filled in.
func (v *scenarioView) Field(id, label, hint string) leverFieldView {
	return leverFieldView{ID: id, Label: label, Hint: hint, Value: v.Values[id]}
}

// Share writes a share (0–1) as a percentage.
func (v *scenarioView) Share(x float64) string { return percent(100 * x) }

// siteRequest reads a site-homes request from the query: la or region,
// homes, places, for, at.
func siteRequest(r *http.Request) (siting.Request, error) {
	q := r.URL.Query()
	spec, err := scopeQuery(q)
	if err != nil {
		return siting.Request{}, err
	}
	req := siting.Request{Scope: spec, For: q.Get("for"), At: q.Get("at")}
	homes, err := strconv.Atoi(q.Get("homes"))
	if err != nil || homes < 1 || homes > 100 {
		return req, care.Errorf(care.EINVALID, "homes %q: give the number of homes to open, 1 to 100", q.Get("homes"))
	}
	places := 4
	if p := q.Get("places"); p != "" {
		if places, err = strconv.Atoi(p); err != nil || places < 1 || places > 100 {
			return req, care.Errorf(care.EINVALID, "places %q: give the places in each home, 1 to 100", p)
		}
	}
	req.Options = siting.Options{Homes: homes, Places: places}
	return req, nil
}

// siteHomes checks the user may read the scope's children and chooses.
func (p *scenarioPages) siteHomes(r *http.Request) (*siting.Answer, error) {
	st, err := p.store()
	if err != nil {
		return nil, err
	}
	req, err := siteRequest(r)
	if err != nil {
		return nil, err
	}
	u, _ := userFrom(r.Context())
	if err := mayRun(u, req.Scope); err != nil {
		return nil, err
	}
	return siting.RunOn(r.Context(), st, req)
}

// apiSiteHomes is GET /api/v1/site-homes.
func (p *scenarioPages) apiSiteHomes(w http.ResponseWriter, r *http.Request) {
	a, err := p.siteHomes(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, a)
}

// siteView is the data of the site-homes page.
type siteView struct {
	Query  map[string]string
	Answer *siting.Answer
	// Levers is a scenario file of the chosen homes, for the scenario form.
	Levers string
}

// sitePage is GET /site-homes: the form, and with a query the answer and a
// scenario of its homes to run.
func (p *scenarioPages) sitePage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if u.Role == identity.RoleProvider {
		pageError(p.render, w, r, forbidden("where to open homes"))
		return
	}
	q := r.URL.Query()
	v := &siteView{Query: map[string]string{"la": q.Get("la") + q.Get("scope_la"), "region": q.Get("region") + q.Get("scope_region"),
		"homes": q.Get("homes"), "places": q.Get("places"), "for": q.Get("for")}}
	if v.Query["la"] == "" && v.Query["region"] == "" {
		v.Query["la"], v.Query["region"] = u.Council, u.Region
	}
	if v.Query["homes"] == "" {
		v.Query["homes"], v.Query["places"] = "2", "4"
	}
	data := pageData{Title: "Where to open homes", Caption: "Supply", Breadcrumbs: []link{{"/", "Home"}, {"/scenarios", "Scenarios"}}, Data: v}
	if q.Get("homes") != "" {
		a, err := p.siteHomes(r)
		if err != nil {
			if st := status(err); st == http.StatusBadRequest || st == http.StatusNotFound {
				data.Message = publicMessage(err)
				p.render(w, r, http.StatusBadRequest, "site_homes", data)
				return
			}
			pageError(p.render, w, r, err)
			return
		}
		v.Answer = a
		data.Result = &Result{Scope: a.Scope, At: a.At, Tables: a.Tables()}
		scope := map[string]string{"la": a.Councils[0]}
		region := v.Query["region"]
		if region != "" {
			scope = map[string]string{"region": region}
		}
		var codes []string
		for _, s := range a.Sites {
			codes = append(codes, s.District)
		}
		file := map[string]any{"name": fmt.Sprintf("%d homes in %s", len(a.Sites), strings.Join(codes, ", ")), "scope": scope,
			"years": 5, "seed": 1, "sims": 500, "levers": a.Levers(4500, 1200000, "", region != "")}
		b, _ := json.MarshalIndent(file, "", "  ")
		v.Levers = string(b)
	}
	p.render(w, r, 0, "site_homes", data)
}
