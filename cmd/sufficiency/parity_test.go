package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/synth"
)

// parityCouncils are three small councils of the North East, generated once
// for the parity test.
var parityCouncils = []string{"E06000001", "E06000002", "E06000005"}

// instant matches the wall-clock instants a store stamps on imports and
// saved forecasts (RFC 3339 or "2006-01-02 15:04"), which differ between two
// databases loaded one after the other.
var instant = regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d| UTC)?|\d{1,2} [A-Z][a-z]+ \d{4},? \d\d:\d\d(:\d\d)?`)

// TestEveryReadVerbSameOnBothDatabases loads the same synthetic councils
// and supply into a SQLite file and a PostgreSQL database through the CLI,
// then runs every verb that reads the database against each and compares
// what they print byte for byte (import and save instants masked: they are
// each database's wall clock). Skipped without SUFFICIENCY_TEST_PG (failed
// when CI=true).
func TestEveryReadVerbSameOnBothDatabases(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports three councils into two databases")
	}
	pg := pgTestURL(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "syn")
	if _, err := synth.Generate(context.Background(), synth.Config{Out: data, Councils: parityCouncils, From: 2022, To: 2025, Seed: 11, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	lite := filepath.Join(dir, "parity.db")
	env := func(db string) func(string) string {
		return func(k string) string {
			switch k {
			case "SUFFICIENCY_DB":
				return db
			case "SUFFICIENCY_ACTOR":
				return "parity-test"
			}
			return ""
		}
	}
	for _, db := range []string{lite, pg} {
		for _, c := range parityCouncils {
			if out, errOut, code := runCLI(t, env(db), "import", filepath.Join(data, c), "--la", c); code != 0 {
				t.Fatalf("import %s into %s: exit %d\n%s\n%s", c, dbName(db), code, out, errOut)
			}
		}
		if out, errOut, code := runCLI(t, env(db), "import-supply", filepath.Join(data, "supply")); code != 0 {
			t.Fatalf("import-supply into %s: exit %d\n%s\n%s", dbName(db), code, out, errOut)
		}
		// One saved forecast each, so that --list and --show have something.
		if out, errOut, code := runCLI(t, env(db), "forecast", "--la", parityCouncils[0], "--sims", "20", "--years", "1", "--format", "json"); code != 0 {
			t.Fatalf("forecast into %s: exit %d\n%s\n%s", dbName(db), code, out, errOut)
		}
	}
	referral := filepath.Join(dir, "referral.json")
	if err := os.WriteFile(referral, []byte(`{"id": "R1", "council": "E06000001", "child_id": "X1", "date_of_birth": "2011-05",
		"home_postcode": "TS24 7", "needs_tier": "standard", "sex": "F", "sibling_count": 0, "received": "2025-03-01",
		"start_date": "2025-03-01", "foster_suitability": "preferred", "residential_suitability": "suitable",
		"supported_accommodation_suitability": "unsuitable", "living_companions": "no_preference", "needed_by": "later",
		"pets": "not_known"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	verbs := [][]string{
		{"status"},
		{"status", "--format", "json"},
		{"children", "--la", "E06000002"},
		{"children", "--la", "E06000002", "--format", "csv"},
		{"picture", "--la", "E06000001"},
		{"picture", "--la", "E06000001", "--format", "json"},
		{"picture", "--region", "North East", "--format", "csv"},
		{"picture", "--region", "England", "--publish"},
		{"picture", "--la", "Darlington", "--at", "2024-03-31", "--format", "json"},
		{"review", "--la", "E06000005", "--format", "json"},
		{"review", "--region", "North East"},
		{"market", "--region", "North East", "--format", "json"},
		{"market"},
		{"forecast", "--list"},
		{"forecast", "--list", "--format", "json"},
		{"forecast", "--show", "1", "--format", "csv"},
		{"forecast", "--la", "E06000002", "--sims", "20", "--years", "1", "--no-save", "--format", "csv"},
		{"forecast", "--region", "North East", "--mode", "markov", "--years", "1", "--no-save"},
		{"backtest", "--db", "DB", "--la", "E06000005", "--sims", "10", "--origins", "2023"},
		{"match", "--referral", referral, "--at", "2025-03-01"},
		{"allocate", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "csv"},
	}
	for _, args := range verbs {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			var outs [2]string
			for i, db := range []string{lite, pg} {
				a := append([]string(nil), args...)
				for j := range a {
					if a[j] == "DB" {
						a[j] = db
					}
				}
				out, errOut, code := runCLI(t, env(db), a...)
				if code != 0 {
					t.Fatalf("%s on %s: exit %d\n%s\n%s", name, dbName(db), code, out, errOut)
				}
				out = strings.ReplaceAll(out, db, "DB")
				outs[i] = instant.ReplaceAllString(out, "INSTANT")
			}
			if outs[0] != outs[1] {
				t.Errorf("%s differs between SQLite and PostgreSQL:\n%s", name, firstDifference(outs[0], outs[1]))
			}
			if len(outs[0]) < 40 {
				t.Errorf("%s printed almost nothing: %q", name, outs[0])
			}
		})
	}
}

// firstDifference shows the first line where a and b differ, with context.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return care.Errorf(care.EINTERNAL, "line %d:\nSQLite:     %q\nPostgreSQL: %q", i+1, x, y).Error()
		}
	}
	return "(same lines, different bytes)"
}
