package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sufficiency/store"
	"sufficiency/store/sqlite"
)

const manchesterScenario = `{"name": "Edge of care", "scope": {"la": "E08000003"}, "years": 2, "seed": 4, "sims": 100,
 "levers": [
   {"lever": "entry_rate", "ages": [10, 15], "change": -0.20, "ramp_months": 6},
   {"lever": "recruit_foster", "households_per_year": 6, "attrition": 0.10},
   {"lever": "open_home", "postcode_district": "M14", "places": 4, "weekly_cost": 4500, "capital": 1200000},
   {"lever": "block_contract", "placement_group": "residential", "places": 2, "weekly_price": 5200},
   {"lever": "step_down", "from": "residential", "to": "fostering", "share": 0.10, "within_months": 12},
   {"lever": "price_inflation", "placement_group": "residential", "annual": 0.06},
   {"lever": "uasc_arrivals", "per_year": 5}
 ]}`

func TestScenarioVerb(t *testing.T) {
	db := importedDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "s.json")
	if err := os.WriteFile(file, []byte(manchesterScenario), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "scenario", file, "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var r struct {
		Name     string `json:"name"`
		Councils []string
		Levers   []struct{ Lever, What string }
		Years    []struct {
			Ends   string
			InCare struct {
				Baseline, Scenario struct{ Mean, P10, P90 float64 }
			} `json:"in_care"`
		} `json:"years_out"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Name != "Edge of care" || len(r.Years) != 2 || len(r.Levers) != 7 || r.Councils[0] != "E08000003" {
		t.Fatalf("result %+v", r)
	}
	for _, y := range r.Years {
		b, s := y.InCare.Baseline, y.InCare.Scenario
		if !(b.P10 <= b.Mean && b.Mean <= b.P90 && s.P10 <= s.Mean && s.Mean <= s.P90) || b.Mean <= 0 {
			t.Fatalf("intervals %+v", y)
		}
	}
	again, errAgain, _ := runCLI(t, nil, "scenario", file, "--db", db, "--format", "json")
	if again != out {
		t.Fatal("same file, data and seed gave different bytes")
	}
	if !strings.Contains(errOut, `scenario 1 saved ("Edge of care" version 1)`) || !strings.Contains(errAgain, "version 2") {
		t.Fatalf("saves: %q %q", errOut, errAgain)
	}
	shown, _, code := runCLI(t, actorEnv("planner"), "scenario", "--show", "2", "--db", db, "--format", "json")
	if code != 0 || shown != out {
		t.Fatalf("--show 2: code %d, differs from the run", code)
	}
	listed, _, code := runCLI(t, nil, "scenario", "--list", "--db", db, "--la", "Manchester")
	if code != 0 || strings.Count(listed, "Edge of care") != 2 || !strings.Contains(listed, "Manchester") {
		t.Fatalf("--list: %d\n%s", code, listed)
	}
	if err := runErr("scenario", "--show", "99", "--db", db); exitCode(err) != 2 || !strings.Contains(err.Error(), "no saved scenario 99") {
		t.Fatalf("--show 99: %v", err)
	}
	// two scenarios: the comparison table first
	file2 := filepath.Join(dir, "t.json")
	os.WriteFile(file2, []byte(strings.Replace(manchesterScenario, "Edge of care", "Second", 1)), 0o600)
	text, errOut, code := runCLI(t, nil, "scenario", file, file2, "--db", db)
	if code != 0 || !strings.HasPrefix(text, "Scenarios compared") || !strings.Contains(text, "Payback year") || !strings.Contains(text, "children in care at each year end") {
		t.Fatalf("text: code %d %s\n%.500s", code, errOut, text)
	}
	// two files sharing a baseline give each the bytes it gives alone
	both, _, code := runCLI(t, nil, "scenario", file, file2, "--db", db, "--format", "json", "--no-save")
	second, _, _ := runCLI(t, nil, "scenario", file2, "--db", db, "--format", "json", "--no-save")
	var pair struct{ Scenarios []json.RawMessage }
	if err := json.Unmarshal([]byte(both), &pair); err != nil || code != 0 || len(pair.Scenarios) != 2 {
		t.Fatalf("two files: %d %v", code, err)
	}
	for i, alone := range []string{out, second} {
		var a, b any
		json.Unmarshal(pair.Scenarios[i], &a)
		json.Unmarshal([]byte(alone), &b)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("scenario %d run with another differs from it run alone", i+1)
		}
	}
	csv, _, code := runCLI(t, nil, "scenario", file, "--db", db, "--format", "csv")
	if code != 0 || !strings.Contains(csv, "Year ends,Placement group,Baseline") {
		t.Fatalf("csv: %d\n%.300s", code, csv)
	}
	xlsx := filepath.Join(dir, "s.xlsx")
	if _, errOut, code := runCLI(t, nil, "scenario", file, "--db", db, "--format", "xlsx", "--out", xlsx); code != 0 {
		t.Fatalf("xlsx: %d %s", code, errOut)
	}
	if b, err := os.ReadFile(xlsx); err != nil || len(b) < 1000 || string(b[:2]) != "PK" {
		t.Fatalf("xlsx file: %v %d", err, len(b))
	}
}

func TestScenarioVerbBadInput(t *testing.T) {
	db := importedDB(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(manchesterScenario, `"attrition"`, `"atrition"`, 1)), 0o600)
	other := filepath.Join(dir, "other.json")
	os.WriteFile(other, []byte(strings.Replace(manchesterScenario, "E08000003", "E08000037", 1)), 0o600)
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"no file":       {[]string{"scenario", "--db", db}, "at least one scenario FILE"},
		"missing file":  {[]string{"scenario", filepath.Join(dir, "none.json"), "--db", db}, "cannot read scenario file"},
		"unknown field": {[]string{"scenario", bad, "--db", db}, "levers[1].atrition: unknown field"},
		"format":        {[]string{"scenario", bad, "--db", db, "--format", "pdf"}, "--format"},
		"xlsx no out":   {[]string{"scenario", bad, "--db", db, "--format", "xlsx"}, "--out"},
		"not loaded":    {[]string{"scenario", other, "--db", db}, "Gateshead"},
	} {
		err := runErr(c.args...)
		if code := exitCode(err); code != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: code %d, %v; want 2 and %q", name, code, err, c.want)
		}
	}
}

// A scenario run is one audit entry naming the councils it read, under the
// run's actor, instead of an entry per store read (two a council).
func TestScenarioVerbAuditsOneEntry(t *testing.T) {
	db := importedDB(t)
	file := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(file, []byte(manchesterScenario), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, actorEnv("planner"), "scenario", file, "--db", db, "--no-save", "--sims", "20"); code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	runs, err := st.AuditLog(ctx, store.AuditFilter{Action: "run scenario"})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Actor != "planner" || runs[0].Council != "E08000003" || !reflect.DeepEqual(runs[0].Councils, []string{"E08000003"}) ||
		!strings.Contains(runs[0].Detail, `"Edge of care"`) || !strings.Contains(runs[0].Detail, "read episodes: 1") {
		t.Fatalf("run entries %+v, want one by planner naming E08000003 and its reads", runs)
	}
	for _, a := range []string{store.ActionReadChildren, store.ActionReadEpisodes} {
		if evs, err := st.AuditLog(ctx, store.AuditFilter{Action: a}); err != nil || len(evs) != 0 {
			t.Fatalf("%s: %d entries of their own (%v), want none", a, len(evs), err)
		}
	}
}
