package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/match"
	"sufficiency/store/sqlite"
)

const (
	matchTestdata = "../../match/testdata/"
	cliTestdata   = "testdata/match/"
)

func TestMatchText(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "match", "--referral", matchTestdata+"referral.json",
		"--supply", matchTestdata+"region_supply.json", "--top", "2", "--excluded", "3")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"370 provisions considered", "Candidates, best first", " 1. ", " 2. ",
		"distance", "needs_fit", "cost", "rating", "stability", "Excluded by first reason:", "no vacancy", "Excluded, nearest first, 3 of"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, " 3. ") {
		t.Error("--top 2 printed a third candidate")
	}
}

func TestMatchJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "match", "--referral", matchTestdata+"referral.json",
		"--supply", matchTestdata+"region_supply.json", "--format", "json", "--top", "5")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var res struct {
		Considered      int `json:"considered"`
		CandidatesTotal int `json:"candidates_total"`
		Candidates      []struct {
			ProvisionID string  `json:"provision_id"`
			Score       float64 `json:"score"`
			Parts       []struct {
				Name   string  `json:"name"`
				Points float64 `json:"points"`
			} `json:"parts"`
		} `json:"candidates"`
		Excluded []struct {
			Reasons []string `json:"reasons"`
		} `json:"excluded"`
		ByReason map[string]int `json:"excluded_by_first_reason"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Considered != 370 || len(res.Candidates) != 5 || res.CandidatesTotal < 5 || len(res.Excluded) == 0 {
		t.Fatalf("considered %d, candidates %d/%d, excluded %d", res.Considered, len(res.Candidates), res.CandidatesTotal, len(res.Excluded))
	}
	for _, c := range res.Candidates {
		sum := 0.0
		for _, p := range c.Parts {
			sum += p.Points
		}
		if d := sum - c.Score; d > 1e-6 || d < -1e-6 {
			t.Fatalf("%s: parts %v do not sum to score %v", c.ProvisionID, sum, c.Score)
		}
	}
	if len(res.Excluded[0].Reasons) == 0 || res.ByReason["no vacancy"] == 0 {
		t.Fatalf("exclusions without reasons: %+v", res.ByReason)
	}
}

func TestMatchErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, nil, 0o644)
	good, err := os.ReadFile(matchTestdata + "referral.json")
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(good, &obj); err != nil {
		t.Fatal(err)
	}
	obj["council"] = "E99999999"
	badCouncil := filepath.Join(dir, "council.json")
	b, _ := json.Marshal(obj)
	os.WriteFile(badCouncil, b, 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"ErrNoReferral", []string{"match", "--supply", matchTestdata + "supply.json"}, 2, "--referral is required"},
		{"ErrNoSupply", []string{"match", "--referral", matchTestdata + "referral.json"}, 2, "--supply is required"},
		{"ErrUnknownCode", []string{"match", "--referral", cliTestdata + "bad_referral.json", "--supply", matchTestdata + "supply.json"}, 2, "needed_by"},
		{"ErrMalformed", []string{"match", "--referral", cliTestdata + "malformed.json", "--supply", matchTestdata + "supply.json"}, 2, "malformed JSON"},
		{"ErrMissingFile", []string{"match", "--referral", cliTestdata + "nope.json", "--supply", matchTestdata + "supply.json"}, 2, "nope.json: no such file"},
		{"ErrEmptyFile", []string{"match", "--referral", empty, "--supply", matchTestdata + "supply.json"}, 2, "empty.json is empty"},
		{"ErrFolder", []string{"match", "--referral", dir, "--supply", matchTestdata + "supply.json"}, 2, "is a folder"},
		{"ErrUnknownCouncil", []string{"match", "--referral", badCouncil, "--supply", matchTestdata + "supply.json"}, 2, "referral.council: \"E99999999\" is not a council"},
		{"ErrFormat", []string{"match", "--referral", matchTestdata + "referral.json", "--supply", matchTestdata + "supply.json", "--format", "xml"}, 2, "--format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, code := runCLI(t, nil, tt.args...)
			err := runErrMatch(tt.args...)
			if code != tt.code || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("code %d (want %d), err %v (want %q)", code, tt.code, err, tt.want)
			}
		})
	}
}

func TestMatchShowPolicy(t *testing.T) {
	out, _, code := runCLI(t, nil, "match", "--show-policy")
	if code != 0 || !strings.Contains(out, "distance_per_mile = 1.0") || !strings.Contains(out, "LOWER IS BETTER") {
		t.Fatalf("code %d\n%s", code, out)
	}
}

func TestMatchFromDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(matchTestdata + "supply.json")
	if err != nil {
		t.Fatal(err)
	}
	provs, vacs, err := match.ReadSupply(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceSupply(ctx, provs, vacs); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, errOut, code := runCLI(t, envWith("SUFFICIENCY_DB", path), "match", "--referral", matchTestdata+"referral.json")
	if code != 0 || !strings.Contains(out, "8 provisions considered") {
		t.Fatalf("code %d %s\n%s", code, errOut, out)
	}
}

// A live match (no --at) scores vacancies not confirmed for a while as
// stale, as referral send does; it used to search without the current time,
// so stale vacancies were never flagged and match and send ranked differently.
func TestMatchFlagsStaleVacancies(t *testing.T) {
	// Every vacancy confirmed on the referral's start date (2026-03-28):
	// fresh as of that date, stale as of now (any time after mid-April 2026).
	raw, err := os.ReadFile(matchTestdata + "supply.json")
	if err != nil {
		t.Fatal(err)
	}
	var sup map[string]any
	if err := json.Unmarshal(raw, &sup); err != nil {
		t.Fatal(err)
	}
	for _, v := range sup["vacancies"].([]any) {
		v.(map[string]any)["updated_at"] = "2026-03-28"
	}
	path := filepath.Join(t.TempDir(), "supply.json")
	b, _ := json.Marshal(sup)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "match", "--referral", matchTestdata+"referral.json", "--supply", path, "--top", "50", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, "days since confirmed") {
		t.Fatalf("no candidate flagged as stale although every vacancy was last confirmed on 2026-03-28:\n%s", out)
	}
	// With --at the vacancies are judged as of that date, not today (issue
	// 17: every vacancy got "629 days since confirmed" under --at
	// 2025-04-10). The policy calls a vacancy stale after 14 days: on the
	// 14th day it is not, on the 15th it is.
	for _, tc := range []struct {
		at    string
		stale bool
	}{{"2026-04-10", false}, {"2026-04-11", false}, {"2026-04-12", true}} {
		out, errOut, code := runCLI(t, nil, "match", "--referral", matchTestdata+"referral.json", "--supply", path, "--top", "50", "--format", "json", "--at", tc.at)
		if code != 0 {
			t.Fatalf("--at %s: code %d: %s", tc.at, code, errOut)
		}
		if got := strings.Contains(out, "days since confirmed"); got != tc.stale {
			t.Errorf("--at %s: stale vacancies flagged %v, want %v", tc.at, got, tc.stale)
		}
	}
}

// A sibling group larger than any home can take is named as the cause, with
// the field, instead of only "no eligible provision".
func TestMatchSiblingGroupLargerThanAnyHome(t *testing.T) {
	raw, err := os.ReadFile(matchTestdata + "referral.json")
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	obj["sibling_count"] = 12
	path := filepath.Join(t.TempDir(), "big.json")
	b, _ := json.Marshal(obj)
	os.WriteFile(path, b, 0o644)
	out, errOut, code := runCLI(t, nil, "match", "--referral", path, "--supply", matchTestdata+"supply.json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, "sibling_count: a group of 13 is larger than any home in the supply can take together") {
		t.Fatalf("output does not name the sibling group as the cause:\n%s", out)
	}
}
