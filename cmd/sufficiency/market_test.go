package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

type jsonTables []struct {
	Title string
	Rows  []map[string]any
	Notes []string
}

func (ts jsonTables) find(t *testing.T, prefix string) []map[string]any {
	t.Helper()
	for _, tb := range ts {
		if strings.HasPrefix(tb.Title, prefix) {
			return tb.Rows
		}
	}
	t.Fatalf("no table %q", prefix)
	return nil
}

func TestMarketRegisterOnly(t *testing.T) {
	none := func(k string) string {
		if k == "SUFFICIENCY_DB" {
			return filepath.Join(t.TempDir(), "absent.db")
		}
		return ""
	}
	out, errOut, code := runCLI(t, none, "market", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var ts jsonTables
	if err := json.Unmarshal([]byte(out), &ts); err != nil {
		t.Fatal(err)
	}
	conc := ts.find(t, "Concentration of residential places")
	if len(conc) != 10 || conc[9]["Area"] != "England" {
		t.Fatalf("areas %v", conc)
	}
	eng := conc[9]
	hhi := eng["HHI"].(float64)
	if hhi <= 0 || hhi > 10000 || eng["Top 10 %"].(float64) < eng["Top 5 %"].(float64) {
		t.Errorf("England concentration %v", eng)
	}
	// The register has roughly 17,000 residential places (31 March 2025).
	if p := eng["Places"].(float64); p < 15000 || p > 20000 {
		t.Errorf("England places %v", p)
	}
	for _, tb := range ts {
		if strings.HasPrefix(tb.Title, "Concentration of the area's councils' weekly spend") {
			t.Error("spend concentration without any loaded costs")
		}
	}
	cont := ts.find(t, "Provider-failure contingency")
	if len(cont) != 25 {
		t.Errorf("%d contingency rows", len(cont))
	}
}

func TestMarketWithLoadedChildren(t *testing.T) {
	env := analyticsDB(t)
	out, errOut, code := runCLI(t, env, "market", "--region", "north west", "--at", "2025-03-31", "--top", "5", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var ts jsonTables
	if err := json.Unmarshal([]byte(out), &ts); err != nil {
		t.Fatal(err)
	}
	if rows := ts.find(t, "Largest owner groups: North West"); len(rows) == 0 {
		t.Error("no owners in the North West")
	}
	prices := ts.find(t, "Weekly prices of current placements: North West")
	found := false
	for _, r := range prices {
		// m2 £6,000 and m3 £12,000 in private children's homes: median £9,000.
		if r["Placement type"] == "Children's home" && r["Provider"] == "Private provision" {
			found = true
			if r["Placements"] != 2.0 || r["Median"] != 9000.0 {
				t.Errorf("private homes %v", r)
			}
		}
	}
	if !found {
		t.Errorf("prices %v", prices)
	}
	if n := len(ts.find(t, "Provider-failure contingency")); n != 5 {
		t.Errorf("--top 5 gave %d rows", n)
	}
}

func TestMarketErrorsAndXLSX(t *testing.T) {
	env := analyticsDB(t)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"market", "--region", "Atlantis"}, "no region"},
		{[]string{"market", "--la", "Manchester"}, "works on regions"},
		{[]string{"market", "--occupancy", "1.5"}, "between 0 and 1"},
	} {
		if msg, code := runAnalyticsErr(t, env, tt.args...); code != 2 || !strings.Contains(msg, tt.msg) {
			t.Errorf("%v: %d %q", tt.args, code, msg)
		}
	}
	path := filepath.Join(t.TempDir(), "market.xlsx")
	if _, errOut, code := runCLI(t, env, "market", "--format", "xlsx", "--out", path); code != 0 {
		t.Fatalf("xlsx: %d %s", code, errOut)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := len(f.GetSheetList()); n < 10 {
		t.Fatalf("%d sheets", n)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if rows[1][0] != "Area" || rows[11][0] != "England" {
		t.Fatalf("first sheet %v", rows)
	}
}

// An owner groups file joins register owners into groups and names their
// ultimate owners and kind of ownership in the owner table and a table of
// places by ownership; a bad file names its line.
func TestMarketOwnerGroups(t *testing.T) {
	none := func(k string) string {
		if k == "SUFFICIENCY_DB" {
			return filepath.Join(t.TempDir(), "absent.db")
		}
		return ""
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "owners.csv")
	os.WriteFile(good, []byte("owner_organisation,group,ultimate_owner,ownership\n"+
		"Cambian Childcare Limited,Example Care Group,Example Fund LP,private equity\n"+
		"Witherslack Group Limited,Example Care Group,,\n"), 0o644)
	out, errOut, code := runCLI(t, none, "market", "--region", "North East", "--owner-groups", good, "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var ts jsonTables
	if err := json.Unmarshal([]byte(out), &ts); err != nil {
		t.Fatal(err)
	}
	var group map[string]any
	for _, r := range ts.find(t, "Largest owner groups") {
		if r["Owner group"] == "Example Care Group" {
			group = r
		}
	}
	if group == nil || group["Ultimate owner"] != "Example Fund LP" || group["Ownership"] != "Private equity" {
		t.Fatalf("joined group %v", group)
	}
	pe := ts.find(t, "Residential places by kind of ownership")
	if pe[0]["Ownership"] == nil || len(pe) != 2 {
		t.Errorf("by ownership %v", pe)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("owner_organisation,group,ultimate_owner,ownership\nA,,,\n"), 0o644)
	if msg, code := runAnalyticsErr(t, none, "market", "--owner-groups", bad); code != 2 || !strings.Contains(msg, "line 2") {
		t.Errorf("bad file: %d %q", code, msg)
	}
}
