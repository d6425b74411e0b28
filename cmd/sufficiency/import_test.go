package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/store/sqlite"
)

// ingestData is the ingest package's test data (synthetic children).
const ingestData = "../../ingest/testdata/"

// envWith returns a getenv with the given variables.
func envWith(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestImportSampleRefusedThenAccepted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	getenv := envWith("SUFFICIENCY_DB", db, "SUFFICIENCY_ACTOR", "analyst")
	out, err := runCLIErr(t, getenv, "import", ingestData+"cs-demand-model", "--la", "E08000003")
	if exitCode(err) != 1 || !strings.Contains(out, "Nothing was imported") || !strings.Contains(care.ErrorMessage(err), "--accept-errors") {
		t.Fatalf("plain import: %v\nstdout %s", err, out)
	}
	out, errOut, code := runCLI(t, getenv, "import", ingestData+"cs-demand-model", "--la", "E08000003", "--accept-errors")
	if code != 0 {
		t.Fatalf("--accept-errors: code %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"820 children", "Rows left out: none", "Stitching rules applied", "recorded against import 1", "2021/22"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("progress written to a non-terminal stderr: %q", errOut)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, _ := st.Imports(context.Background(), "E08000003")
	if len(recs) != 1 || recs[0].Actor != "analyst" || !recs[0].AcceptedErrors {
		t.Errorf("import record %+v", recs)
	}
}

func TestImportCleanJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	out, errOut, code := runCLI(t, nil, "import", ingestData+"clean", "--la", "E08000003", "--db", db, "--format", "json", "--actor", "Ana")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var res struct {
		Imported bool                      `json:"imported"`
		Children int                       `json:"children"`
		Episodes int                       `json:"episodes"`
		Years    []int                     `json:"years"`
		Files    []struct{ SHA256 string } `json:"files"`
		LeftOut  []any                     `json:"left_out"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !res.Imported || res.Children != 3 || res.Episodes != 4 || len(res.Years) != 2 || len(res.Files) != 4 || len(res.Files[0].SHA256) != 64 || res.LeftOut == nil {
		t.Errorf("%+v", res)
	}
	// Re-importing one year says what it replaced.
	out, _, code = runCLI(t, nil, "import", ingestData+"fixed2025", "--la", "E08000003", "--db", db)
	if code != 0 || !strings.Contains(out, "replacing 2024/25") || !strings.Contains(out, "4 children") || !strings.Contains(out, "previous year held in the database: 2024/25") {
		t.Errorf("re-import: code %d\n%s", code, out)
	}
}

func TestImportLeftOutRows(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	out, _, code := runCLI(t, nil, "import", ingestData+"keys", "--la", "E08000003", "--db", db, "--accept-errors")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, want := range []string{"Rows left out (key fields cannot be read): 4", "DECOM is not a date", "DOB is not a date", "CHILD is blank"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestImportDefaultDatabase(t *testing.T) {
	data, err := filepath.Abs(ingestData + "clean")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if _, _, code := runCLI(t, nil, "import", data, "--la", "E08000003"); code != 0 {
		t.Fatalf("import: code %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "sufficiency.db")); err != nil {
		t.Errorf("no sufficiency.db in the working directory: %v", err)
	}
}

// runCLIErr is runCLI that also returns the error, whose message main prints.
func runCLIErr(t *testing.T, getenv func(string) string, args ...string) (string, error) {
	t.Helper()
	if getenv == nil {
		getenv = envWith()
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errb)
	return out.String(), err
}

func TestImportUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"ErrNoPath", []string{"import", "--la", "E08000003", "--db", db}, 2},
		{"ErrNoCouncil", []string{"import", ingestData + "clean", "--db", db}, 2},
		{"ErrBadFormat", []string{"import", ingestData + "clean", "--la", "E08000003", "--db", db, "--format", "xml"}, 2},
		{"ErrBadYear", []string{"import", ingestData + "clean", "--la", "E08000003", "--db", db, "--year", "25"}, 2},
		{"ErrMissingFile", []string{"import", filepath.Join(t.TempDir(), "none.csv"), "--la", "E08000003", "--db", db}, 2},
		{"ErrNoDatabaseFolder", []string{"import", ingestData + "clean", "--la", "E08000003", "--db", filepath.Join(t.TempDir(), "no", "x.db")}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, nil, c.args...)
			if code != c.code {
				t.Errorf("code %d, want %d; stderr %s", code, c.code, errOut)
			}
		})
	}
}
