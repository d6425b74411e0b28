package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// runErrMatch runs the CLI and returns its error (for checking messages).
func runErrMatch(args ...string) error {
	var out, errb bytes.Buffer
	return run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
}

func TestAllocateMinimalCSV(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "allocate", "--referrals", cliTestdata+"children.csv", "--vacancies", cliTestdata+"places.csv",
		"--objective", "distance", "--keep-siblings", "--format", "csv")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "child_id,place_id,miles" || len(recs) != 6 {
		t.Fatalf("csv:\n%s", out)
	}
	where := map[string]string{}
	used := map[string]int{}
	for _, r := range recs[1:] {
		where[r[0]] = r[1]
		used[r[1]]++
		if _, err := strconv.ParseFloat(r[2], 64); err != nil {
			t.Fatalf("miles %q", r[2])
		}
	}
	if where["c3"] != "p3" || where["c4"] != "p3" || where["c5"] != "p4" {
		t.Fatalf("assignment %v", where)
	}
	caps := map[string]int{"p1": 1, "p2": 1, "p3": 2, "p4": 1}
	for p, n := range used {
		if n > caps[p] {
			t.Fatalf("%s over capacity: %d", p, n)
		}
	}
}

func TestAllocateFullJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "allocate", "--referrals", matchTestdata+"region_referrals.json",
		"--supply", matchTestdata+"region_supply.json", "--keep-siblings", "--at", "2026-04-06", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var a struct {
		Children    int    `json:"children"`
		Placed      int    `json:"placed"`
		Split       int    `json:"sibling_groups_split"`
		Gap         string `json:"gap"`
		Assignments []struct {
			ChildID string `json:"child_id"`
			PlaceID string `json:"place_id"`
			Parts   []struct {
				Name string `json:"name"`
			} `json:"parts"`
		} `json:"assignments"`
		Unplaced []struct {
			Reason string `json:"reason"`
		} `json:"unplaced"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Children != 150 || a.Placed != len(a.Assignments) || a.Placed+len(a.Unplaced) != 150 || a.Split != 0 || a.Gap == "" {
		t.Fatalf("children %d placed %d assignments %d unplaced %d split %d gap %q", a.Children, a.Placed, len(a.Assignments), len(a.Unplaced), a.Split, a.Gap)
	}
	for _, u := range a.Unplaced {
		if u.Reason == "" {
			t.Fatal("unplaced child without a reason")
		}
	}
	if len(a.Assignments[0].Parts) == 0 {
		t.Fatal("assignment without its score parts")
	}
}

func TestAllocateText(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "allocate", "--referrals", cliTestdata+"children.csv", "--vacancies", cliTestdata+"places.csv")
	if code != 0 || !strings.Contains(out, "5 of 5 children placed") || !strings.Contains(out, "proven optimal") {
		t.Fatalf("code %d %s\n%s", code, errOut, out)
	}
}

func TestAllocateErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ErrDuplicatePlace", []string{"allocate", "--referrals", cliTestdata + "children.csv", "--vacancies", cliTestdata + "places_dup.csv"}, "place_id \"p1\" repeats row 2"},
		{"ErrObjective", []string{"allocate", "--referrals", cliTestdata + "children.csv", "--vacancies", cliTestdata + "places.csv", "--objective", "cheap"}, "--objective"},
		{"ErrMixedForms", []string{"allocate", "--referrals", cliTestdata + "children.csv", "--vacancies", matchTestdata + "supply.json"}, "minimal vacancies"},
		{"ErrBadReferral", []string{"allocate", "--referrals", cliTestdata + "bad_referral.json", "--supply", matchTestdata + "supply.json"}, "referral.needed_by"},
		{"ErrNoSupply", []string{"allocate", "--referrals", matchTestdata + "region_referrals.json"}, "--supply"},
		{"ErrUnknownPostcode", []string{"allocate", "--referrals", cliTestdata + "children_badpc.csv", "--vacancies", cliTestdata + "places.csv"}, "referrals row 3 (child_id c2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, code := runCLI(t, nil, tt.args...)
			err := runErrMatch(tt.args...)
			if code != 2 || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("code %d, err %v, want %q", code, err, tt.want)
			}
		})
	}
}

func TestAllocateSiblingGroupTooLarge(t *testing.T) {
	// Three siblings and no place with three places: still a result, with
	// every unplaced child explained.
	out, errOut, code := runCLI(t, nil, "allocate", "--referrals", "testdata/match/big_group.csv", "--vacancies", cliTestdata+"places.csv",
		"--keep-siblings")
	if code != 0 || !strings.Contains(out, "larger than any eligible home") {
		t.Fatalf("code %d %s\n%s", code, errOut, out)
	}
}

// With --format csv the CSV lists placed children only; those not placed
// are explained on standard error (an infeasible run used to print only the
// header, silently).
func TestAllocateCSVExplainsUnplaced(t *testing.T) {
	dir := t.TempDir()
	refs := dir + "/children.csv"
	vacs := dir + "/places.csv"
	writeFile(t, refs, "child_id,home_postcode,sibling_group\nc1,M1 1AA,g\nc2,M1 1AA,g\nc3,M1 1AA,g\n")
	writeFile(t, vacs, "place_id,postcode,places\np1,M1 1AA,2\n")
	out, errOut, code := runCLI(t, nil, "allocate", "--referrals", refs, "--vacancies", vacs, "--objective", "distance", "--keep-siblings", "--format", "csv")
	if code != 0 || strings.TrimSpace(out) != "child_id,place_id,miles" {
		t.Fatalf("code %d, out %q", code, out)
	}
	if !strings.Contains(errOut, "3 of 3 children not placed") || !strings.Contains(errOut, "c2: sibling_group") {
		t.Fatalf("stderr %q: want every unplaced child explained", errOut)
	}
	empty := dir + "/empty.csv"
	writeFile(t, empty, "")
	args := []string{"allocate", "--referrals", refs, "--vacancies", empty, "--objective", "distance"}
	if _, _, code := runCLI(t, nil, args...); code != 2 {
		t.Fatalf("empty vacancies: code %d", code)
	}
	if err := runErrMatch(args...); err == nil || !strings.Contains(err.Error(), "empty.csv is empty") {
		t.Fatalf("empty vacancies: %v", err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
