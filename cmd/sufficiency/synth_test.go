package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSynthWritesRegionAndChecks(t *testing.T) {
	out := filepath.Join(t.TempDir(), "region")
	stdout, stderr, code := runCLI(t, nil, "synth", "--out", out, "--la", "E06000001", "--from", "2023", "--to", "2024", "--seed", "4", "--check")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, want := range []string{"Calibration check", "Hartlepool", "within tolerance"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"manifest.json", "E06000001/2024/episodes.csv", "E06000001/2023/needs.csv", "supply/provisions.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// The generated files pass validation with no errors.
	vout, verr, vcode := runCLI(t, nil, "validate", filepath.Join(out, "E06000001"))
	if vcode != 0 {
		t.Fatalf("validate exit %d\n%s\n%s", vcode, vout, verr)
	}
}

func TestSynthBadInputExits2(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"ErrUnknownRegion", []string{"synth", "--out", filepath.Join(dir, "a"), "--region", "Middle Earth"}, "not an English region"},
		{"ErrUnknownCouncil", []string{"synth", "--out", filepath.Join(dir, "b"), "--la", "E06000001,ZZZ"}, "ZZZ"},
		{"ErrYears", []string{"synth", "--out", filepath.Join(dir, "c"), "--la", "E06000001", "--from", "2025", "--to", "2020"}, "not possible"},
		{"ErrOutIsFile", []string{"synth", "--out", file, "--la", "E06000001", "--from", "2025"}, "is a file"},
		{"ErrNoOut", []string{"synth", "--la", "E06000001"}, "--out"},
		{"ErrFormat", []string{"synth", "--out", filepath.Join(dir, "d"), "--format", "xml"}, "--format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, nil, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %s)", code, stderr)
			}
			_ = stderr
		})
	}
	for _, tc := range cases {
		var out strings.Builder
		err := run(t.Context(), tc.args, func(string) string { return "" }, strings.NewReader(""), &out, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v does not mention %q", tc.name, err, tc.want)
		}
	}
}

func TestSynthSummaryFormats(t *testing.T) {
	out := filepath.Join(t.TempDir(), "region")
	stdout, stderr, code := runCLI(t, nil, "synth", "--out", out, "--la", "E06000001", "--from", "2025", "--to", "2025", "--format", "csv")
	if code != 0 || !strings.HasPrefix(stdout, "council,name,year,children_looked_after,at_31_march,episode_rows\n") ||
		!strings.Contains(stdout, "E06000001,Hartlepool,2025,") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	stdout, _, code = runCLI(t, nil, "synth", "--out", out, "--la", "E06000001", "--from", "2025", "--to", "2025", "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"councils"`) {
		t.Fatalf("json: exit %d\n%s", code, stdout)
	}
}
