package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
)

var updateValidate = flag.Bool("update-validate", false, "rewrite the validate golden files in testdata/")

// golden compares got with testdata/name, rewriting it with -update-validate.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateValidate {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Validate -update-validate to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -run Validate -update-validate rewrites it):\n--- got\n%s", path, got)
	}
}

func TestValidateTextGolden(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"validate", "testdata/validate"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	if code := exitCode(err); code != 1 {
		t.Fatalf("exit %d, want 1 (errors found): %v", code, err)
	}
	if care.ErrorCode(err) != care.EREJECTED || !strings.Contains(err.Error(), "8 validation errors") {
		t.Errorf("error %v does not reject with the count of errors", err)
	}
	golden(t, "validate.golden.txt", out.String())
}

func TestValidateJSONGolden(t *testing.T) {
	out, _, code := runCLI(t, nil, "validate", "testdata/validate", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var doc struct {
		Returns []struct {
			Council  string `json:"council"`
			Year     int    `json:"year"`
			Errors   int    `json:"errors"`
			Previous bool   `json:"previous_year_loaded"`
		} `json:"returns"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(doc.Returns) != 2 || doc.Returns[1].Year != 2025 || !doc.Returns[1].Previous || doc.Returns[1].Errors != 7 {
		t.Fatalf("returns: %+v", doc.Returns)
	}
	codes := map[string]bool{}
	for _, f := range doc.Findings {
		c, _ := f["rule_code"].(string)
		codes[c] = true
	}
	for _, c := range []string{"101", "103", "178", "213", "380", "503D"} {
		if !codes[c] {
			t.Errorf("no finding with rule_code %s", c)
		}
	}
	golden(t, "validate.golden.json", out)
}

func TestValidateCSV(t *testing.T) {
	out, _, code := runCLI(t, nil, "validate", "testdata/validate/E08000003/2025", "--format=csv", "--year", "2025", "--la", "E08000003")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "severity,rule_code,council,year,child,table,file,line,columns,value,message" {
		t.Fatalf("header %v", recs[0])
	}
	if len(recs) < 2 {
		t.Fatal("no findings")
	}
	for _, r := range recs[1:] {
		if len(r) != 11 || r[1] == "" || r[10] == "" {
			t.Errorf("bad row %v", r)
		}
	}
}

func TestValidateExitCodes(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "episodes.csv")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"Clean", []string{"validate", "testdata/validate-clean"}, 0, "0 errors"},
		{"ErrorsFound", []string{"validate", "testdata/validate"}, 1, "503D error"},
		{"EmptyFileUnusable", []string{"validate", empty}, 2, ""},
		{"MissingPathUnusable", []string{"validate", filepath.Join(dir, "nope")}, 2, ""},
		{"NoPaths", []string{"validate"}, 2, ""},
		{"BadFormat", []string{"validate", "testdata/validate", "--format", "xml"}, 2, ""},
		{"BadYear", []string{"validate", "testdata/validate", "--year", "25"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			if tt.out != "" && !strings.Contains(out, tt.out) {
				t.Fatalf("output lacks %q:\n%s", tt.out, out)
			}
		})
	}
}

func TestValidateLimit(t *testing.T) {
	all, _, _ := runCLI(t, nil, "validate", "testdata/validate", "--limit", "0")
	one, _, _ := runCLI(t, nil, "validate", "testdata/validate", "--limit", "1")
	if !strings.Contains(one, "and 1 more") || strings.Contains(all, "more (--limit") || !bytes.Contains([]byte(all), []byte("ZZZZ")) {
		t.Fatalf("--limit not applied:\n%s", one)
	}
}
