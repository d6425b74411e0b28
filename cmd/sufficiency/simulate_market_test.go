package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/store"
	"sufficiency/store/sqlite"
)

func TestSimulateMarket(t *testing.T) {
	args := []string{"simulate-market", "--referrals", matchTestdata + "region_referrals.json", "--supply", matchTestdata + "region_supply.json",
		"--from", "2026-01-05", "--to", "2026-02-01"}
	out, errOut, code := runCLI(t, nil, args...)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"first come", "daily batch", "weekly batch", "mean distance (miles)", "placed over 20 miles",
		"placed in area", "sibling groups split", "unplaced children", "total weekly cost (£ a week)", "mean wait of placed children (days)", "Why these differ:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The header must not claim siblings are kept together above a count of
	// split groups: joint batches place a group apart when no home can take
	// it whole, and urgent children are placed one by one.
	if strings.Contains(out, "siblings kept together true") || !strings.Contains(out, "(else placed apart)") {
		t.Errorf("header misstates how sibling groups are treated:\n%s", out)
	}
	out, _, code = runCLI(t, nil, append(args, "--format", "json")...)
	var res []struct {
		Mode     string  `json:"mode"`
		Children int     `json:"children"`
		Placed   int     `json:"placed"`
		Unplaced int     `json:"unplaced"`
		Wait     float64 `json:"mean_wait_days"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("code %d err %v", code, err)
	}
	if len(res) != 3 || res[0].Mode != "first_come" || res[2].Mode != "weekly" {
		t.Fatalf("%+v", res)
	}
	for _, r := range res {
		if r.Children == 0 || r.Placed+r.Unplaced != r.Children || r.Children != res[0].Children {
			t.Fatalf("%+v", r)
		}
	}
	if res[2].Wait < res[1].Wait {
		t.Fatalf("weekly batching waits less than daily: %+v", res)
	}
}

func TestSimulateMarketErrors(t *testing.T) {
	_, _, code := runCLI(t, nil, "simulate-market", "--supply", matchTestdata+"supply.json")
	if code != 2 {
		t.Fatalf("missing referrals: code %d", code)
	}
	_, _, code = runCLI(t, nil, "simulate-market", "--referrals", matchTestdata+"region_referrals.json", "--supply", matchTestdata+"supply.json", "--from", "1/1/2026")
	if code != 2 {
		t.Fatalf("bad date: code %d", code)
	}
	// --from after --to is refused as such, before the database is read
	// (it used to say "no placement starts between ...").
	for _, verb := range []string{"simulate-market", "allocate"} {
		args := []string{verb, "--from", "2025-03-31", "--to", "2025-03-01", "--db", filepath.Join(t.TempDir(), "none.db")}
		_, _, code := runCLI(t, nil, args...)
		err := runErrMatch(args...)
		if code != 2 || err == nil || !strings.Contains(err.Error(), "--from 2025-03-31 is after --to 2025-03-01") {
			t.Fatalf("%s --from after --to: code %d, %v", verb, code, err)
		}
	}
}

// Reading the placement starts from the database for allocate and
// simulate-market is audited under the run's actor ($SUFFICIENCY_ACTOR):
// it used to be recorded as the OS user or "unknown".
func TestAllocateFromStoreAuditsActor(t *testing.T) {
	base := analyticsDB(t)
	getenv := func(k string) string {
		if k == "SUFFICIENCY_ACTOR" {
			return "qa analyst"
		}
		return base(k)
	}
	for _, verb := range []string{"allocate", "simulate-market"} {
		runCLI(t, getenv, verb, "--from", "2024-09-01", "--to", "2024-10-31", "--supply", matchTestdata+"supply.json")
	}
	db, err := sqlite.Open(context.Background(), base("SUFFICIENCY_DB"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs, err := db.AuditLog(context.Background(), store.AuditFilter{Action: store.ActionReadEpisodes})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) < 2 {
		t.Fatalf("%d episode reads audited, want one per command", len(evs))
	}
	for _, e := range evs {
		if e.Actor != "qa analyst" {
			t.Errorf("episodes read audited as %q, want the run's actor", e.Actor)
		}
	}
}
