package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlVerb finds a statement in a string literal.
var sqlVerb = regexp.MustCompile(`(?i)^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b`)

// placeholder is a parameter as either database writes it ($1, ?, ?1).
var placeholder = regexp.MustCompile(`\$[0-9]+|\?[0-9]*`)

// statements returns the SQL statements written as string literals in the
// non-test Go files of dir, normalised (placeholders as ?, white space
// folded), with where each stands.
func statements(t *testing.T, dir string) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !sqlVerb.MatchString(s) {
				return true
			}
			norm := strings.Join(strings.Fields(placeholder.ReplaceAllString(s, "?")), " ")
			if len(norm) < 25 { // fragments such as "SELECT 1" say nothing
				return true
			}
			out[norm] = append(out[norm], fset.Position(lit.Pos()).String())
			return true
		})
	}
	return out
}

// TestSQLWrittenOnce: no SQL statement is written in both store/sqlite and
// store/postgres. What both run is written once in store/internal/sqlshared
// (with $n placeholders, which SQLite reads through Dialect.SQL), and what
// really differs is a named variant there or each store's own statement.
func TestSQLWrittenOnce(t *testing.T) {
	root := moduleRoot(t)
	sqlite := statements(t, filepath.Join(root, "store", "sqlite"))
	postgres := statements(t, filepath.Join(root, "store", "postgres"))
	if len(sqlite) < 5 || len(postgres) < 5 {
		t.Fatalf("found %d and %d statements: is the test reading the stores?", len(sqlite), len(postgres))
	}
	for s, at := range sqlite {
		if pg, ok := postgres[s]; ok {
			t.Errorf("written in both stores (%s and %s): write it once in store/internal/sqlshared\n\t%s", at[0], pg[0], s)
		}
	}
}

// The normalisation sees through placeholders and layout, so the test
// cannot pass by writing ? in one store and $1 in the other.
func TestSQLNormalisationBites(t *testing.T) {
	a := strings.Join(strings.Fields(placeholder.ReplaceAllString("SELECT x FROM t\n\t WHERE a = ? AND b = ?", "?")), " ")
	b := strings.Join(strings.Fields(placeholder.ReplaceAllString("SELECT x FROM t WHERE a = $1 AND b = ?2", "?")), " ")
	if a != b || !sqlVerb.MatchString(" select 1") || sqlVerb.MatchString("selection") {
		t.Errorf("normalised %q vs %q", a, b)
	}
}
