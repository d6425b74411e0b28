package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReviewWorklist(t *testing.T) {
	env := analyticsDB(t)
	out, errOut, code := runCLI(t, env, "review", "--at", "2025-03-31", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var tables []struct {
		Title string
		Rows  []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &tables); err != nil {
		t.Fatal(err)
	}
	items := tables[0].Rows
	rules := map[string]string{}
	for _, r := range items {
		rules[r["Child"].(string)] = r["Rules"].(string)
	}
	// m2: a children's home for a standard-needs child, 47 miles away in
	// Lancaster, recorded without an Ofsted URN. m7: Z1. m5, m6: siblings apart.
	want := map[string]string{
		"m2": "step-down, far-from-home, unregistered-or-other",
		"m3": "far-from-home, unregistered-or-other",
		"m7": "unregistered-or-other",
		"m5": "siblings-apart",
		"m6": "siblings-apart",
	}
	if len(rules) != len(want) {
		t.Errorf("flagged %v", rules)
	}
	for id, w := range want {
		if rules[id] != w {
			t.Errorf("%s flagged by %q, want %q", id, rules[id], w)
		}
	}
	if items[0]["Child"] != "m2" || items[0]["Weekly saving if stepped down"] != 5000.0 {
		t.Errorf("first item %v", items[0])
	}
	if items[0]["Step down to"] == "" {
		t.Errorf("first item names no alternative: %v", items[0])
	}
	step := map[string]any{}
	for _, r := range tables[2].Rows {
		step[r["Measure"].(string)] = r["Value"]
	}
	if step["Annual saving"] != "£260,000" || step["Candidates"] != "1" {
		t.Errorf("step-down table %v", step)
	}
}

func TestReviewRulesFile(t *testing.T) {
	env := analyticsDB(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "rules.json")
	os.WriteFile(good, []byte(`{"rules": [{"id": "far", "kind": "far_without_reason", "description": "over 40 miles", "weight": 1, "params": {"miles": 40}}]}`), 0o644)
	out, errOut, code := runCLI(t, env, "review", "--at", "2025-03-31", "--rules", good, "--format", "csv")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	// Lancaster (47.5 miles) and Birmingham (72 miles) are over 40 miles.
	if !strings.Contains(out, ",m2,") || !strings.Contains(out, ",m3,") || strings.Contains(out, ",m5,") {
		t.Errorf("csv:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"rules": [{"id": "x", "kind": "astrology"}]}`), 0o644)
	if msg, code := runAnalyticsErr(t, env, "review", "--rules", bad); code != 2 || !strings.Contains(msg, "unknown kind") {
		t.Errorf("bad rules: %d %q", code, msg)
	}
}

func TestReviewDistanceReasons(t *testing.T) {
	env := analyticsDB(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "reasons.csv")
	os.WriteFile(good, []byte("CHILD,DECOM,REASON\nm2,01/05/2023,specialist therapeutic provision\nm3,2024-01-01,wrong start date so no match\n"), 0o644)
	out, errOut, code := runCLI(t, env, "review", "--at", "2025-03-31", "--distance-reasons", good, "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var ts jsonTables
	if err := json.Unmarshal([]byte(out), &ts); err != nil {
		t.Fatal(err)
	}
	for _, r := range ts[0].Rows {
		rules := r["Rules"].(string)
		switch r["Child"] {
		case "m2":
			if strings.Contains(rules, "far-from-home") {
				t.Errorf("m2 has a recorded reason but is flagged far from home: %q", rules)
			}
		case "m3":
			if !strings.Contains(rules, "far-from-home") {
				t.Errorf("m3's reason is for another episode, yet it is not flagged: %q", rules)
			}
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("CHILD,REASON\nm2,x\n"), 0o644)
	if msg, code := runAnalyticsErr(t, env, "review", "--distance-reasons", bad); code != 2 || !strings.Contains(msg, "no DECOM column") {
		t.Errorf("bad reasons: %d %q", code, msg)
	}
}

func TestReviewXLSX(t *testing.T) {
	env := analyticsDB(t)
	path := filepath.Join(t.TempDir(), "review.xlsx")
	if _, errOut, code := runCLI(t, env, "review", "--at", "2025-03-31", "--format", "xlsx", "--out", path); code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := len(f.GetSheetList()); n != 4 {
		t.Fatalf("%d sheets", n)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 2+5 || rows[2][2] != "m2" {
		t.Fatalf("worklist sheet %v", rows)
	}
}
