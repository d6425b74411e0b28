package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/refdata"
)

// withURN copies testdata/clean with child 1003's 2025 episode at URN urn.
func withURN(t *testing.T, urn string) string {
	t.Helper()
	dir := t.TempDir()
	for _, y := range []string{"2024", "2025"} {
		if err := os.MkdirAll(filepath.Join(dir, y), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"episodes.csv", "header.csv"} {
			b, err := os.ReadFile(filepath.Join("testdata/clean", y, f))
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			if y == "2025" && f == "episodes.csv" {
				old := "1003,05/06/2024,S,C2,N3,U4,PR1,,,,M8 4DD,M9 5EE,XXXXXXX"
				if !strings.Contains(s, old) {
					t.Fatal("fixture changed: no episode of 1003")
				}
				s = strings.Replace(s, old, strings.TrimSuffix(old, "XXXXXXX")+urn, 1)
			}
			if err := os.WriteFile(filepath.Join(dir, y, f), []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestImportChecksURNsAgainstOpenAndClosedSettings: once the store holds the
// settings that have closed (supply closed.csv), an import checks every URN
// against the provider list (rule 1008): a URN nobody knows is an error; a
// closed setting's, an open provision's of the supply and one of the
// embedded Ofsted register are not. Without a list of closed settings 1008
// is not run (the register alone would reject every home closed since).
func TestImportChecksURNsAgainstOpenAndClosedSettings(t *testing.T) {
	ctx := context.Background()
	has1008 := func(res Result) bool {
		for _, f := range res.Findings {
			if f.RuleCode == "1008" {
				return true
			}
		}
		return false
	}
	db := tempDB(t)
	if res := mustRun(t, db, []string{withURN(t, "SC999999")}, Options{Check: true}); has1008(res) {
		t.Errorf("1008 run without a list of closed settings: %+v", res.Findings)
	}
	open := care.Provision{ID: "SC000001", Kind: care.KindChildrensHome, Council: council, Places: 3}
	closed := care.Provision{ID: "SYN00042", Kind: care.KindChildrensHome, Council: council, Places: 4,
		Registered: care.Date(2012, 1, 1), Closed: care.Date(2025, 3, 1)}
	if err := db.ReplaceSupplyWithClosed(ctx, []care.Provision{open}, nil, []care.Provision{closed}); err != nil {
		t.Fatal(err)
	}
	reg := refdata.Providers()[0].URN
	for _, c := range []struct {
		urn  string
		want bool
	}{
		{"SC999999", true},  // nobody knows it
		{"SYN00042", false}, // closed
		{"SC000001", false}, // open in the supply
		{reg, false},        // on the embedded register
		{"XXXXXXX", false},  // not registered in England
	} {
		res := mustRun(t, db, []string{withURN(t, c.urn)}, Options{Check: true})
		if got := has1008(res); got != c.want {
			t.Errorf("URN %s: 1008 reported %v, want %v (%+v)", c.urn, got, c.want, res.Findings)
		}
	}
	// A plain import is refused for the unknown URN and names the rule.
	_, err := Run(ctx, db, []string{withURN(t, "SC999999")}, Options{Council: council})
	if care.ErrorCode(err) != care.EREJECTED {
		t.Errorf("import with an unknown URN: %v, want EREJECTED", err)
	}
}
