// Command mutation writes the mutation-testing table of docs/TESTING.md from
// the gremlins reports in bench/mutation/results (one PKG.json per package,
// written by bench/mutation.sh).
//
// For each package it gives the test efficacy (killed / (killed + lived)),
// the mutant coverage ((killed + lived) / (killed + lived + not covered)),
// and the efficacy once the surviving mutants judged equivalent (listed with
// the reason in bench/mutation/equivalent.txt) are set aside. Every
// surviving mutant is listed under the table, equivalent or not, so the
// figure can be checked.
//
// equivalent.txt has one mutant a line: "PKG FILE:LINE:COL TYPE reason";
// "#" starts a comment.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

type report struct {
	Files []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
	Elapsed float64 `json:"elapsed_time"`
}

type row struct {
	pkg                                 string
	killed, lived, notCovered, timedOut int
	notViable, equivalent               int
	inCase                              int // not covered, in a case clause's expressions
	caseRun                             int // in a case clause's expressions, run by -cases
	commit, date, seconds               string
	survivors                           []string
}

const (
	startMark = "<!-- mutation-table:start (written by bench/mutation.sh; do not edit) -->"
	endMark   = "<!-- mutation-table:end -->"
)

func main() {
	results := flag.String("results", "bench/mutation/results", "directory of gremlins reports (PKG.json)")
	equivFile := flag.String("equivalent", "bench/mutation/equivalent.txt", "surviving mutants judged equivalent")
	doc := flag.String("doc", "docs/TESTING.md", "document to write the table into, between its markers")
	check := flag.String("check", "", "instead of the table: a gremlins report (PKG.diff.json) whose surviving mutants fail the check unless judged equivalent")
	cases := flag.String("cases", "", "instead of the table: run the mutants in case expressions of the package's report (results/PKG.json), which gremlins cannot see covered, and write results/PKG.cases.json")
	coef := flag.Int("timeout-coefficient", 10, "with -cases: a mutant's test run times out after this many times the unchanged run")
	flag.Parse()
	if *cases != "" {
		if err := runCases(*results, *cases, *coef); err != nil {
			fmt.Fprintln(os.Stderr, "mutation:", err)
			os.Exit(1)
		}
		return
	}
	if *check != "" {
		if err := checkDiff(*check, *equivFile); err != nil {
			fmt.Fprintln(os.Stderr, "mutation:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*results, *equivFile, *doc); err != nil {
		fmt.Fprintln(os.Stderr, "mutation:", err)
		os.Exit(1)
	}
}

func run(results, equivFile, doc string) error {
	equiv, err := readEquivalent(equivFile)
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(results, "*.json"))
	if err != nil {
		return err
	}
	var rows []row
	for _, f := range files {
		if strings.HasSuffix(f, ".diff.json") || strings.HasSuffix(f, ".cases.json") {
			continue
		}
		r, err := readReport(f, f, equiv)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].pkg < rows[j].pkg })
	text := render(rows, equiv)
	old, err := os.ReadFile(doc)
	if err != nil {
		return err
	}
	s := string(old)
	i, j := strings.Index(s, startMark), strings.Index(s, endMark)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %q ... %q markers", doc, startMark, endMark)
	}
	s = s[:i+len(startMark)] + "\n" + text + s[j:]
	return os.WriteFile(doc, []byte(s), 0o644)
}

// checkDiff fails when a report (of the mutants on changed lines) has a
// surviving mutant not listed as equivalent.
func checkDiff(path, equivFile string) error {
	equiv, err := readEquivalent(equivFile)
	if err != nil {
		return err
	}
	r, err := readReport(strings.TrimSuffix(path, ".diff.json")+".json", path, equiv)
	if err != nil {
		return err
	}
	var bad []string
	for _, s := range r.survivors {
		if _, ok := equiv[s]; !ok {
			bad = append(bad, s)
		}
	}
	k := r.killed + r.timedOut
	fmt.Printf("%s, changed lines: %d killed, %d lived (%d equivalent), %d not covered; efficacy %s\n", r.pkg, k, r.lived, r.equivalent, r.notCovered, pct(k, k+r.lived))
	if len(bad) > 0 {
		return fmt.Errorf("%d mutants on changed lines survive the tests:\n  %s\nadd a test that fails on each (written from the rule's source), or list it in %s with why no test can catch it",
			len(bad), strings.Join(bad, "\n  "), equivFile)
	}
	return nil
}

// readEquivalent reads "PKG FILE:LINE:COL TYPE reason" lines.
func readEquivalent(path string) (map[string]string, error) {
	out := map[string]string{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, " ", 4)
		if len(parts) < 4 {
			return nil, fmt.Errorf("%s:%d: want \"PKG FILE:LINE:COL TYPE reason\"", path, n)
		}
		out[parts[0]+" "+parts[1]+" "+parts[2]] = parts[3]
	}
	return out, sc.Err()
}

// readReport reads the gremlins report at path; name (PKG.json) names the
// package.
func readReport(name, path string, equiv map[string]string) (row, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return row{}, err
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		return row{}, fmt.Errorf("%s: %v", path, err)
	}
	base := strings.TrimSuffix(filepath.Base(name), ".json")
	r := row{pkg: strings.ReplaceAll(base, "_", "/")}
	if meta, err := os.ReadFile(strings.TrimSuffix(path, ".json") + ".meta"); err == nil {
		f := strings.Split(strings.TrimSpace(string(meta)), "\t")
		if len(f) == 3 {
			r.commit, r.date, r.seconds = f[0], f[1], f[2]
		}
	}
	// The case-expression mutants run by -cases (full reports only).
	var cases map[string]string
	if name == path {
		if cases, err = readCases(strings.TrimSuffix(path, ".json") + ".cases.json"); err != nil {
			return row{}, err
		}
	}
	for _, f := range rep.Files {
		for _, m := range f.Mutations {
			status := m.Status
			if st, ok := cases[fmt.Sprintf("%s:%d:%d %s", f.Name, m.Line, m.Column, m.Type)]; ok && status == "NOT COVERED" {
				status = st
				r.caseRun++
			}
			switch status {
			case "KILLED":
				r.killed++
			case "TIMED OUT":
				r.timedOut++
			case "NOT COVERED":
				r.notCovered++
				if inCaseExpr(r.commit, filepath.Join(r.pkg, f.Name), m.Line, m.Column) {
					r.inCase++
				}
			case "NOT VIABLE":
				r.notViable++
			case "LIVED":
				r.lived++
				key := fmt.Sprintf("%s %s:%d:%d %s", r.pkg, f.Name, m.Line, m.Column, m.Type)
				if _, ok := equiv[key]; ok {
					r.equivalent++
				}
				r.survivors = append(r.survivors, key)
			}
		}
	}
	return r, nil
}

// caseExprs caches, per file, the line:column ranges of case clause
// expressions.
var caseExprs = map[string][][2]token.Position{}

// inCaseExpr reports whether a position is inside the expression list of a
// switch's case clause. gremlins reads coverage by block, and Go's coverage
// blocks do not include case expressions, so a mutant there is reported
// "not covered" whether or not a test runs that switch.
//
// The file is read as it was at the run's commit (git show), as line numbers
// move.
func inCaseExpr(commit, file string, line, col int) bool {
	spans, ok := caseExprs[commit+":"+file]
	if !ok {
		var src any
		if commit != "" {
			// The file at the report's commit; when git does not have
			// that commit, nothing is said (the current file's lines may
			// have moved).
			b, err := exec.Command("git", "show", commit+":"+file).Output()
			if err != nil {
				b = []byte("package unknown")
			}
			src = b
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, 0)
		if err == nil {
			ast.Inspect(f, func(n ast.Node) bool {
				if cc, ok := n.(*ast.CaseClause); ok {
					for _, e := range cc.List {
						spans = append(spans, [2]token.Position{fset.Position(e.Pos()), fset.Position(e.End())})
					}
				}
				return true
			})
		}
		caseExprs[commit+":"+file] = spans
	}
	for _, sp := range spans {
		after := line > sp[0].Line || (line == sp[0].Line && col >= sp[0].Column)
		before := line < sp[1].Line || (line == sp[1].Line && col < sp[1].Column)
		if after && before {
			return true
		}
	}
	return false
}

func pct(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

func render(rows []row, equiv map[string]string) string {
	var b strings.Builder
	b.WriteString("| package | killed | lived | equivalent | not covered (in case expressions) | timed out | case-expression mutants run by `-cases` | test efficacy | efficacy without equivalent | mutant coverage | mutant coverage outside case expressions | run (commit, date, seconds) |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		// gremlins counts a timed-out mutant as killed in its efficacy.
		k := r.killed + r.timedOut
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %d (%d) | %d | %d | %s | %s | %s | %s | %s %s %ss |\n", r.pkg, k, r.lived, r.equivalent, r.notCovered, r.inCase, r.timedOut, r.caseRun,
			pct(k, k+r.lived), pct(k, k+r.lived-r.equivalent), pct(k+r.lived, k+r.lived+r.notCovered), pct(k+r.lived, k+r.lived+r.notCovered-r.inCase), r.commit, r.date, r.seconds)
	}
	b.WriteString("\nNot covered counts mutants on lines no test runs, and also every mutant in a `case` expression of a `switch`: Go's coverage blocks leave case expressions out, so gremlins cannot tell whether a test runs them and never runs them (the number in brackets). `bench/mutation.sh` runs those mutants itself after gremlins (`go run ./bench/mutation -cases PKG`: the same token changes as gremlins, the package's tests through `go test -overlay`); the ones it ran are counted with gremlins' own (killed, lived, timed out) in the row and in the column of mutants run by `-cases`. A row without them was measured before that step existed.\n")
	b.WriteString("\nSurviving mutants (gremlins' FILE:LINE:COLUMN in the package, and type); those judged equivalent say why:\n\n")
	any := false
	for _, r := range rows {
		for _, s := range r.survivors {
			any = true
			if why, ok := equiv[s]; ok {
				fmt.Fprintf(&b, "- `%s`: equivalent: %s\n", s, why)
			} else {
				fmt.Fprintf(&b, "- `%s`: not yet caught\n", s)
			}
		}
	}
	if !any {
		b.WriteString("- none\n")
	}
	return b.String()
}
