package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportVerb writes the statement of the small Manchester fixture as
// HTML and XLSX, and refuses bad usage with exit status 2.
func TestReportVerb(t *testing.T) {
	getenv := analyticsDB(t)
	dir := t.TempDir()
	md := filepath.Join(dir, "intentions.md")
	if err := os.WriteFile(md, []byte("# Plans\n\n- Open a two-bed home in Manchester by 2027\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "s.html")
	_, stderr, code := runCLI(t, getenv, "report", "--la", "Manchester", "--intentions", md, "--format", "html", "--out", html)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Sufficiency statement: Manchester", "Open a two-bed home in Manchester by 2027", "Market position statement", "<svg"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the HTML statement lacks %q", want)
		}
	}
	if strings.Contains(string(b), "<script") || strings.Contains(string(b), "http://") && strings.Contains(string(b), "<link") {
		t.Error("the HTML statement must be standalone: no script, no linked resource")
	}
	xlsx := filepath.Join(dir, "s.xlsx")
	if _, stderr, code := runCLI(t, getenv, "report", "--la", "Manchester", "--format", "xlsx", "--out", xlsx); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheets[0] != "Contents" || sheets[len(sheets)-1] != "Sources" || len(sheets) < 20 {
		t.Errorf("sheets: %v", sheets)
	}
	for _, args := range [][]string{
		{"report", "--format", "html", "--out", html},
		{"report", "--la", "Manchester", "--format", "docx", "--out", html},
		{"report", "--la", "Manchester", "--format", "html"},
		{"report", "--la", "Manchester", "--region", "North West", "--format", "html", "--out", html},
		{"report", "--la", "Manchester", "--intentions", filepath.Join(dir, "missing.md"), "--out", html},
		// a scenario of Gateshead in Manchester's statement
		{"report", "--la", "Manchester", "--scenario", filepath.Join("..", "..", "scenario", "testdata", "example.json"), "--out", html},
	} {
		if _, _, code := runCLI(t, getenv, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
