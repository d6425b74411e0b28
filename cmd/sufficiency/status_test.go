package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/ingest"
)

func TestStatus(t *testing.T) {
	none := filepath.Join(t.TempDir(), "none.db")
	out, _, code := runCLI(t, nil, "status", "--db", none)
	if code != 0 || !strings.Contains(out, "Nothing is loaded") {
		t.Errorf("no database: code %d\n%s", code, out)
	}
	db := importClean(t)
	out, _, code = runCLI(t, envWith("SUFFICIENCY_DB", db), "status")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, want := range []string{"E08000003", "2023/24 to 2024/25", "0 errors, 0 warnings"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, nil, "status", "--db", db, "--format", "json")
	var st struct {
		Councils []ingest.CouncilStatus `json:"councils"`
	}
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || len(st.Councils) != 1 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	c := st.Councils[0]
	if c.Children != 3 || c.Episodes != 4 || len(c.Years) != 2 || c.Imports != 1 || c.LastImportID != 1 {
		t.Errorf("%+v", c)
	}
	if _, _, code := runCLI(t, nil, "status", "--db", db, "--format", "csv"); code != 2 {
		t.Errorf("--format csv: code %d, want 2", code)
	}
}
