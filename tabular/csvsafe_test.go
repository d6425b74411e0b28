package tabular

import (
	"bytes"
	"encoding/csv"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 15 item 4: cells a spreadsheet would run as a formula are written
// as text, the way OWASP's "CSV Injection" page recommends.
func TestNeutralizeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Acme Care Ltd", "Acme Care Ltd"},
		{"=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"-12", "-12"}, // a number stays a number
		{"-1234.56", "-1234.56"},
		{"+3.5", "+3.5"},
		{"-", "'-"},
		{"1-2", "1-2"}, // only the first character matters
		{"a=b", "a=b"},
		{"'=already", "'=already"},
	} {
		if got := NeutralizeCell(tc.in); got != tc.want {
			t.Errorf("NeutralizeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	tab := Table{Title: "Owners", Columns: []Column{{Name: "Owner", Kind: Text}, {Name: "Children", Kind: Count}, {Name: "Change", Kind: Count}},
		Rows: [][]any{{"=1+2", 3, -4}, {"@evil", 1, 0}, {"Plain Ltd", 2, 1}}}
	var b bytes.Buffer
	if err := WriteCSV(&b, []Table{tab}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Owner", "Children", "Change"}, {"'=1+2", "3", "-4"}, {"'@evil", "1", "0"}, {"Plain Ltd", "2", "1"}}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}

// Every CSV the product writes goes through the one neutralising writer:
// no product code outside this package calls encoding/csv's NewWriter
// (synth, which writes SSDA903 input files for the product to read, aside).
func TestOnlyTabularWritesCSV(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	exempt := map[string]bool{"tabular": true, "synth": true, "cmd/sufficiency/synth.go": true, "refdata/internal": true}
	n := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if exempt[rel] || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || exempt[rel] {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			return err
		}
		n++
		ast.Inspect(f, func(x ast.Node) bool {
			if sel, ok := x.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewWriter" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "csv" {
					t.Errorf("%s calls csv.NewWriter: use tabular.NewCSVWriter, which neutralises formulas", rel)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d Go files scanned; is the test running inside the module?", n)
	}
}
