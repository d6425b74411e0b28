package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func scenarioForm() url.Values {
	return url.Values{"scenario_name": {"Edge of care"}, "scope_la": {hartlepool}, "years": {"2"}, "sims": {"40"}, "seed": {"3"},
		"entry_change": {"-20"}, "entry_from_age": {"10"}, "entry_to_age": {"15"}, "entry_ramp": {"6"},
		"home_district": {"TS24"}, "home_places": {"2"}, "home_weekly": {"4,500"}, "home_capital": {"£900000"},
		"inarea_share": {"50"}, "step_share": {"10"}, "step_from": {"residential"}, "step_to": {"fostering"}, "step_months": {"12"}}
}

func TestScenarioPages(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	res := f.get(t, hart, "/scenarios")
	if res.Code != 200 || !strings.Contains(res.Body, "Run and save") || !strings.Contains(res.Body, `value="`+hartlepool+`"`) || !strings.Contains(res.Body, `href="/scenarios"`) {
		t.Fatalf("form: %d\n%.2000s", res.Code, res.Body)
	}
	res = f.post(t, hart, "/scenarios", scenarioForm())
	if res.Code != http.StatusSeeOther || res.Location != "/scenarios/1" {
		t.Fatalf("post: %d %q\n%s", res.Code, res.Location, res.Body[strings.Index(res.Body, "<main"):][:1500])
	}
	res = f.get(t, hart, "/scenarios/1")
	for _, want := range []string{"Edge of care (version 1)", "<svg", "Children in care", "Cumulative net saving", "Placed more than 20 miles from home",
		"entry_rate", "open_home", "in_area", "run by hart", "children in care at each year end", "Table behind this chart"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	if res.Code != 200 {
		t.Fatalf("show: %d", res.Code)
	}
	if csv := f.get(t, hart, "/scenarios/1?format=csv"); csv.Code != 200 || !strings.Contains(csv.Body, "Year ends,Placement group,Baseline") {
		t.Fatalf("csv download: %d %.300s", csv.Code, csv.Body)
	}
	// bad input: the form again with the problem, nothing saved
	bad := scenarioForm()
	bad.Set("years", "9")
	res = f.post(t, hart, "/scenarios", bad)
	if res.Code != 400 || !strings.Contains(res.Body, "years: 9") || !strings.Contains(res.Body, `value="Edge of care"`) {
		t.Fatalf("bad years: %d\n%.1500s", res.Code, res.Body)
	}
	bad = scenarioForm()
	bad.Set("home_places", "two")
	if res = f.post(t, hart, "/scenarios", bad); res.Code != 400 || !strings.Contains(res.Body, "Home: places") {
		t.Fatalf("bad number: %d", res.Code)
	}
	// another council's children: refused
	other := scenarioForm()
	other.Set("scope_la", middlesbrough)
	if res = f.post(t, hart, "/scenarios", other); res.Code != 403 {
		t.Fatalf("other council: %d", res.Code)
	}
	// a provider may not run or see scenarios; another region's RCC does not see this one
	if res = f.get(t, f.login(t, "prov"), "/scenarios"); res.Code != 403 {
		t.Fatalf("provider: %d", res.Code)
	}
	if res = f.get(t, f.login(t, "nw-rcc"), "/scenarios/1"); res.Code != 404 {
		t.Fatalf("other region: %d", res.Code)
	}
	if res = f.get(t, f.login(t, "ne-rcc"), "/scenarios/1"); res.Code != 200 {
		t.Fatalf("own region: %d", res.Code)
	}
}

func TestScenarioAPI(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	body := `{"name": "Two homes", "scope": {"la": "` + hartlepool + `"}, "years": 1, "sims": 30,
	  "levers": [{"lever": "block_contract", "placement_group": "residential", "places": 2, "weekly_price": 4000}]}`
	var got savedJSON
	if code := f.apiJSON(t, hart, "POST", "/api/v1/scenarios", body, &got); code != 201 {
		t.Fatalf("post: %d", code)
	}
	var res struct {
		Years []struct {
			InCare struct {
				Baseline, Scenario struct{ Mean, P10, P90 float64 }
			} `json:"in_care"`
		} `json:"years_out"`
	}
	if err := json.Unmarshal(got.Result, &res); err != nil || got.ID == 0 || got.Version != 1 || got.RunBy != "hart" || len(res.Years) != 1 {
		t.Fatalf("%+v %v", got, err)
	}
	var again savedJSON
	f.apiJSON(t, hart, "POST", "/api/v1/scenarios", body, &again)
	if again.Version != 2 || string(again.Result) != string(got.Result) {
		t.Fatalf("second run: version %d, same result %v", again.Version, string(again.Result) == string(got.Result))
	}
	var list struct{ Scenarios []savedJSON }
	if code := f.apiJSON(t, hart, "GET", "/api/v1/scenarios", "", &list); code != 200 || len(list.Scenarios) != 2 || list.Scenarios[0].Result != nil {
		t.Fatalf("list: %d %+v", code, list)
	}
	var one savedJSON
	if code := f.apiJSON(t, hart, "GET", "/api/v1/scenarios/1", "", &one); code != 200 || string(one.Result) != string(got.Result) {
		t.Fatalf("show: %d", code)
	}
	// the same scenario in YAML: the same result, its text kept as given
	yaml := "name: Two homes\nscope:\n  la: " + hartlepool + "\nyears: 1\nsims: 30\nlevers:\n  - lever: block_contract\n    placement_group: residential\n    places: 2\n    weekly_price: 4000\n"
	var fromYAML savedJSON
	if code := f.apiJSON(t, hart, "POST", "/api/v1/scenarios", yaml, &fromYAML); code != 201 || fromYAML.Version != 3 || string(fromYAML.Result) != string(got.Result) {
		t.Fatalf("YAML: %d, version %d, same result %v", code, fromYAML.Version, string(fromYAML.Result) == string(got.Result))
	}
	var shown savedJSON
	if code := f.apiJSON(t, hart, "GET", fmt.Sprintf("/api/v1/scenarios/%d", fromYAML.ID), "", &shown); code != 200 || shown.ScenarioYAML != yaml || shown.Scenario != nil {
		t.Fatalf("YAML shown: %d %q", code, shown.ScenarioYAML)
	}
	var p Problem
	if code := f.apiJSON(t, hart, "POST", "/api/v1/scenarios", "name: x\nscope: {la: "+hartlepool+"}\nlevers:\n  - lever: open_home\n\tplaces: 2\n", &p); code != 400 || !strings.Contains(p.Detail, "line 5, column 1: a tab in indentation") {
		t.Fatalf("YAML with a tab: %d %+v", code, p)
	}
	if code := f.apiJSON(t, hart, "POST", "/api/v1/scenarios", `{"name":"x","scope":{"la":"`+hartlepool+`"},"levers":[{"lever":"open_home","placs":2}]}`, &p); code != 400 || !strings.Contains(p.Detail, "levers[0].placs: unknown field") {
		t.Fatalf("unknown field: %d %+v", code, p)
	}
	if code := f.apiJSON(t, f.login(t, "nw-rcc"), "GET", "/api/v1/scenarios/1", "", &p); code != 404 {
		t.Fatalf("other region: %d", code)
	}
}

func TestSiteHomesPageAndAPI(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	var a struct {
		Sites []struct{ Code, District string }
		Homes int `json:"homes"`
	}
	if code := f.apiJSON(t, hart, "GET", "/api/v1/site-homes?la="+hartlepool+"&homes=2&places=3", "", &a); code != 200 || len(a.Sites) != 2 || a.Homes != 2 {
		t.Fatalf("api: %d %+v", code, a)
	}
	var p Problem
	for target, want := range map[string]int{
		"/api/v1/site-homes?la=" + middlesbrough + "&homes=2":          403,
		"/api/v1/site-homes?la=" + hartlepool + "&homes=0":             400,
		"/api/v1/site-homes?homes=2":                                   400,
		"/api/v1/site-homes?la=" + hartlepool + "&homes=2&for=castles": 400,
	} {
		if code := f.apiJSON(t, hart, "GET", target, "", &p); code != want {
			t.Errorf("%s: %d, want %d (%s)", target, code, want, p.Detail)
		}
	}
	res := f.get(t, hart, "/site-homes")
	if res.Code != 200 || !strings.Contains(res.Body, `value="`+hartlepool+`"`) {
		t.Fatalf("form: %d", res.Code)
	}
	res = f.get(t, hart, "/site-homes?la="+hartlepool+"&homes=2&places=4")
	if res.Code != 200 || !strings.Contains(res.Body, "Run and save as a scenario") || !strings.Contains(res.Body, "open_home") || !strings.Contains(res.Body, "Distance from home before and after") {
		t.Fatalf("answer: %d", res.Code)
	}
	// the levers it offers run as a scenario
	i := strings.Index(res.Body, `<textarea`)
	j := strings.Index(res.Body[i:], `>`) + i + 1
	k := strings.Index(res.Body[j:], `</textarea>`) + j
	file := html.UnescapeString(res.Body[j:k])
	if run := f.post(t, hart, "/scenarios", url.Values{"json": {file}}); run.Code != http.StatusSeeOther {
		t.Fatalf("running the homes: %d\n%s", run.Code, file)
	}
	if res = f.get(t, f.login(t, "prov"), "/site-homes"); res.Code != 403 {
		t.Fatalf("provider: %d", res.Code)
	}
}
