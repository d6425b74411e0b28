package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"sufficiency/ssda903"
)

// confCase is one case of testdata/conformance (see its README.md).
type confCase struct {
	rule   string
	year   int
	cur    map[ssda903.TableName][]map[string]string
	prev   map[ssda903.TableName][]map[string]string
	expect map[ssda903.TableName][]int
}

func parseConfCase(t *testing.T, path string) confCase {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := confCase{cur: map[ssda903.TableName][]map[string]string{}, prev: map[ssda903.TableName][]map[string]string{}, expect: map[ssda903.TableName][]int{}}
	var into map[ssda903.TableName][]map[string]string
	var name ssda903.TableName
	var cols []string
	for n, line := range strings.Split(string(text), "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "rule "):
			c.rule = strings.TrimSpace(line[5:])
		case strings.HasPrefix(line, "year "):
			c.year, err = strconv.Atoi(strings.TrimSpace(line[5:]))
			if err != nil {
				t.Fatalf("%s:%d: %v", path, n+1, err)
			}
		case strings.HasPrefix(line, "== "):
			s := strings.TrimSpace(line[3:])
			into = c.cur
			if strings.HasSuffix(s, " (last year)") {
				into, s = c.prev, strings.TrimSuffix(s, " (last year)")
			}
			name, cols = ssda903.TableName(s), nil
			if _, ok := ssda903.Columns[name]; !ok {
				t.Fatalf("%s:%d: unknown table %q", path, n+1, s)
			}
			into[name] = []map[string]string{}
		case strings.HasPrefix(line, "expect "):
			f := strings.Fields(line[7:])
			rows := []int{}
			for _, s := range f[1:] {
				k, err := strconv.Atoi(s)
				if err != nil {
					t.Fatalf("%s:%d: %v", path, n+1, err)
				}
				rows = append(rows, k)
			}
			c.expect[ssda903.TableName(f[0])] = rows
		case cols == nil:
			cols = strings.Split(line, ",")
		default:
			vals := strings.Split(line, ",")
			row := map[string]string{}
			for i, col := range cols {
				if i < len(vals) {
					row[col] = vals[i]
				}
			}
			into[name] = append(into[name], row)
		}
	}
	if c.rule == "" || c.year == 0 || len(c.expect) == 0 {
		t.Fatalf("%s: needs rule, year and at least one expect line", path)
	}
	return c
}

// readConf writes each table as a DfE CSV file (every column, blanks where
// the case gives none) and reads it back through the CSV reader, so that
// the reader's treatment of cells (lower case, blanks) is part of the case.
func readConf(t *testing.T, tabs map[ssda903.TableName][]map[string]string, year int) *ssda903.Return {
	t.Helper()
	if len(tabs) == 0 {
		return nil
	}
	r := &ssda903.Return{Council: "E09000001", Year: year, Tables: map[ssda903.TableName]*ssda903.Table{}}
	for name, rows := range tabs {
		cols := ssda903.Columns[name]
		for _, c := range ssda903.SuppliedColumns[name] {
			if len(rows) > 0 {
				if _, ok := rows[0][c]; ok {
					cols = append(cols[:len(cols):len(cols)], c) // a supplied column the case gives
				}
			}
		}
		var b bytes.Buffer
		b.WriteString(strings.Join(cols, ",") + "\n")
		for _, row := range rows {
			vals := make([]string, len(cols))
			for i, c := range cols {
				vals[i] = row[c]
			}
			b.WriteString(strings.Join(vals, ",") + "\n")
		}
		ts, _, err := ssda903.ReadFrom(&b, strings.ToLower(string(name))+".csv", ssda903.ReadOptions{Year: year, Council: "E09000001"})
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		for _, tb := range ts {
			r.Tables[tb.Name] = tb
		}
		if r.Tables[name] == nil {
			t.Fatalf("the reader did not recognise the %s table", name)
		}
	}
	return r
}

// TestConformanceCases runs our own cases written from the DfE rule text and
// compares the rows each rule flags, table by table, exactly.
func TestConformanceCases(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "conformance", "*.case"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".case"), func(t *testing.T) {
			c := parseConfCase(t, path)
			if _, ok := Lookup(c.rule); !ok {
				t.Fatalf("rule %s is not implemented", c.rule)
			}
			cur := readConf(t, c.cur, c.year)
			prev := readConf(t, c.prev, c.year-1)
			rep := Check(cur, prev, testOptions())
			for _, s := range rep.Skipped {
				if s.Code == c.rule {
					t.Fatalf("rule skipped: %s", s.Reason)
				}
			}
			got := map[ssda903.TableName][]int{}
			for _, f := range rep.Findings {
				if f.RuleCode == c.rule {
					got[f.Table] = append(got[f.Table], f.Line-1)
				}
			}
			for name, rows := range got {
				sort.Ints(rows)
				got[name] = dedupe(rows)
				if _, ok := c.expect[name]; !ok {
					t.Errorf("%s: flagged %s rows %v; the case expects none of that table", c.rule, name, got[name])
				}
			}
			for name, want := range c.expect {
				if g := got[name]; !equalInts(g, want) {
					t.Errorf("%s: %s rows flagged %v, want %v", c.rule, name, g, want)
				}
			}
		})
	}
}

func dedupe(s []int) []int {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
