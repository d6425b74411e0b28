package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/store"
)

func TestImportSupply(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	getenv := func(k string) string {
		if k == "SUFFICIENCY_DB" {
			return db
		}
		return ""
	}
	out, stderr, code := runCLI(t, getenv, "import-supply", filepath.Join("..", "..", "supply", "testdata"))
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	if !strings.Contains(out, "Imported 2 provisions") || !strings.Contains(out, "2 vacancies") || !strings.Contains(out, "2 residents") {
		t.Fatalf("output %q", out)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("no database at SUFFICIENCY_DB: %v", err)
	}
}

func TestImportSupplyGeneratedRegion(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "region")
	if _, stderr, code := runCLI(t, nil, "synth", "--out", region, "--la", "E06000001", "--from", "2025", "--to", "2025"); code != 0 {
		t.Fatalf("synth: %s", stderr)
	}
	out, stderr, code := runCLI(t, nil, "import-supply", filepath.Join(region, "supply"), "--db", filepath.Join(dir, "r.db"))
	if code != 0 || !strings.Contains(out, "fostering households") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
}

func TestImportSupplyBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "provisions.csv"), []byte("ID,KIND,COUNCIL,PLACES\n1,castle,E08000003,2\n"), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"ErrNoDir", []string{"import-supply", "--db", filepath.Join(dir, "x.db")}, "give one folder"},
		{"ErrNoProvisions", []string{"import-supply", dir, "--db", filepath.Join(dir, "x.db")}, "provisions.csv"},
		{"ErrBadRow", []string{"import-supply", bad, "--db", filepath.Join(dir, "x.db")}, "provisions.csv:2 column KIND"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			err := run(t.Context(), tc.args, func(string) string { return "" }, strings.NewReader(""), &out, &out)
			if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("exit %d, error %v; want 2 mentioning %q", exitCode(err), err, tc.want)
			}
		})
	}
}

// TestImportSupplyPostgres loads supply into PostgreSQL, where match and the
// offers workflow read it.
func TestImportSupplyPostgres(t *testing.T) {
	pg := pgTestURL(t)
	out, stderr, code := runCLI(t, nil, "import-supply", filepath.Join("..", "..", "supply", "testdata"), "--db", pg)
	if code != 0 || !strings.Contains(out, "Imported 2 provisions") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	if _, err := os.Stat(pg); err == nil {
		t.Fatalf("a SQLite file named %s was created", pg)
	}
	st, err := openStore(t.Context(), &Env{Getenv: os.Getenv}, pg, mustExist)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	provs, err := st.Provisions(t.Context(), store.ProvisionFilter{})
	if err != nil || len(provs) != 2 {
		t.Fatalf("provisions in PostgreSQL: %d, %v", len(provs), err)
	}
}
