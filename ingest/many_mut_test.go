package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/store"
)

func mkdirs(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := os.MkdirAll(filepath.Join(root, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCouncilFolders: a region as synth writes it (DIR/E08000003/...), the
// council folders named by any of a council's codes or its name, anything
// else ignored; sorted by council's ONS code.
func TestCouncilFolders(t *testing.T) {
	region := t.TempDir()
	// Leeds by ONS code, Manchester by its DfE code, Salford by name; a
	// folder and a file that are not councils.
	mkdirs(t, region, "E08000035", "352", "Salford", "notes")
	os.WriteFile(filepath.Join(region, "E08000025"), []byte("a file, not a folder"), 0o644)
	got, err := CouncilFolders([]string{region})
	if err != nil {
		t.Fatal(err)
	}
	want := []Folder{
		{"E08000003", filepath.Join(region, "352")},
		{"E08000006", filepath.Join(region, "Salford")},
		{"E08000035", filepath.Join(region, "E08000035")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CouncilFolders = %+v; want %+v", got, want)
	}

	// A path that is itself a council's folder counts as one, with a
	// trailing slash too; mixed with a region.
	other := t.TempDir()
	bham := filepath.Join(other, "E08000025")
	mkdirs(t, other, "E08000025")
	got, err = CouncilFolders([]string{bham + "/", region})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0] != (Folder{"E08000003", filepath.Join(region, "352")}) || got[1] != (Folder{"E08000006", filepath.Join(region, "Salford")}) || got[2].Council != "E08000025" || got[3].Council != "E08000035" {
		t.Errorf("with a council folder: %+v", got)
	}
}

func TestCouncilFoldersErrors(t *testing.T) {
	twice := t.TempDir()
	mkdirs(t, twice, "E08000003", "Manchester")
	noCouncil := t.TempDir()
	mkdirs(t, noCouncil, "notes", "2025")
	file := filepath.Join(t.TempDir(), "f.csv")
	os.WriteFile(file, []byte("x"), 0o644)
	sameTwice := t.TempDir()
	mkdirs(t, sameTwice, "E08000003")
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"CouncilTwice", []string{twice}, "council E08000003 has two folders"},
		{"CouncilTwiceAcrossPaths", []string{filepath.Join(sameTwice, "E08000003"), sameTwice}, "council E08000003 has two folders"},
		{"NoCouncilFolder", []string{noCouncil}, "holds no folder named by a council code"},
		{"NotAFolder", []string{file}, "is not a folder of council folders"},
		{"Missing", []string{filepath.Join(noCouncil, "nope")}, "is not a folder of council folders"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CouncilFolders(tc.paths)
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tc.want) || got != nil {
				t.Fatalf("CouncilFolders = %+v, %v; want EINVALID with %q", got, err, tc.want)
			}
		})
	}
}

// TestRunMany: each council in its own transaction (the one that cannot be
// read leaves the other imported), the outcomes in the order of the
// folders, done called once for each, k counting up.
func TestRunMany(t *testing.T) {
	db := tempDB(t)
	folders := []Folder{
		{"E08000025", filepath.Join(t.TempDir(), "missing")},
		{"E08000003", "testdata/clean"},
	}
	var ks []int
	var done []string
	for _, workers := range []int{0} { // 0 workers still runs one
		out, err := RunMany(context.Background(), db, folders, Options{Council: "ignored: set per folder", Actor: "tester"}, workers, func(k int, o Outcome) {
			ks = append(ks, k)
			done = append(done, o.Folder.Council)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 2 || out[0].Folder != folders[0] || out[1].Folder != folders[1] {
			t.Fatalf("outcomes %+v", out)
		}
		if care.ErrorCode(out[0].Err) != care.EUNUSABLE || out[0].Result.ImportID != 0 {
			t.Errorf("missing folder: %+v", out[0])
		}
		if out[1].Err != nil || out[1].Result.ImportID == 0 || out[1].Result.Council != "E08000003" || out[1].Result.Children != 3 {
			t.Errorf("clean folder: %+v", out[1])
		}
		if out[0].Took <= 0 || out[1].Took <= 0 {
			t.Errorf("took %v and %v", out[0].Took, out[1].Took)
		}
	}
	if !reflect.DeepEqual(ks, []int{1, 2}) || len(done) != 2 {
		t.Errorf("done called with k %v for %v", ks, done)
	}
	cs, err := db.Councils(context.Background())
	if err != nil || len(cs) != 1 {
		t.Errorf("councils stored %+v, %v; want the one imported", cs, err)
	}
}

func TestRunManyCancelled(t *testing.T) {
	db := tempDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := RunMany(ctx, db, []Folder{{"E08000003", "testdata/clean"}, {"E08000025", "testdata/clean"}}, Options{}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("%d outcomes; want one a folder", len(out))
	}
	for _, o := range out {
		if o.Result.ImportID != 0 {
			t.Errorf("imported after the context ended: %+v", o)
		}
	}
}

func TestRuleOptions(t *testing.T) {
	off := RuleOptions(false)
	if off.PostcodeLA != nil || off.Distance != nil || off.CouncilKnown == nil {
		t.Fatalf("RuleOptions(false): postcode hooks set or council hook missing")
	}
	on := RuleOptions(true)
	if on.PostcodeLA == nil || on.Distance == nil || on.CouncilKnown == nil {
		t.Fatalf("RuleOptions(true): a hook is missing")
	}
	for code, want := range map[string]bool{"E08000003": true, "352": true, "Manchester": true, "E99999999": false, "": false} {
		if got := on.CouncilKnown(code); got != want {
			t.Errorf("CouncilKnown(%q) = %v; want %v", code, got, want)
		}
	}
	tests := []struct {
		pc, la string
		ok     bool
	}{
		{"M14 5AB", "E08000003", true},
		{"SW1A 1AA", "E09000033", true},
		{"M14", "", false},      // a district is not enough: rule 392c needs the postcode
		{"ZZ9 9ZZ", "", false},  // not a postcode district
		{"nonsense", "", false}, // not a postcode
		{"NP16 5AB", "", true},  // a known sector mostly in Wales: known, not an English council
		{"EH1 1AB", "", true},   // Scotland: a known postcode, no English council
	}
	for _, tc := range tests {
		la, ok := on.PostcodeLA(tc.pc)
		if la != tc.la || ok != tc.ok {
			t.Errorf("PostcodeLA(%q) = %q, %v; want %q, %v", tc.pc, la, ok, tc.la, tc.ok)
		}
	}
	// The DfE placement distance is rounded to 0.1 mile.
	raw, err := geo.MilesBetween("M14 5AB", "SW1A 1AA")
	if err != nil {
		t.Fatal(err)
	}
	d, ok := on.Distance("M14 5AB", "SW1A 1AA")
	if !ok || math.Abs(d-raw) > 0.05+1e-9 || math.Abs(d*10-math.Round(d*10)) > 1e-9 || d < 155 || d > 165 {
		t.Errorf("Distance = %v, %v; want %v rounded to 0.1", d, ok, raw)
	}
	if d, ok := on.Distance("M14 5AB", "M14 5AB"); !ok || d != 0 {
		t.Errorf("Distance to itself = %v, %v; want 0", d, ok)
	}
	if _, ok := on.Distance("M14 5AB", "nonsense"); ok {
		t.Error("Distance to a bad postcode is ok")
	}
}

func TestYearsLabel(t *testing.T) {
	for _, tc := range []struct {
		years []int
		want  string
	}{{nil, "none"}, {[]int{2025}, "2024/25"}, {[]int{2024, 2025}, "2023/24, 2024/25"}, {[]int{2000}, "1999/00"}} {
		if got := yearsLabel(tc.years); got != tc.want {
			t.Errorf("yearsLabel(%v) = %q; want %q", tc.years, got, tc.want)
		}
	}
}

func finding(sev ssda903.Severity, code string) ssda903.Finding {
	return ssda903.Finding{Severity: sev, RuleCode: code, Message: "m"}
}

// TestCountByRule: errors before warnings, then the most frequent, then by code.
func TestCountByRule(t *testing.T) {
	e, w := ssda903.SeverityError, ssda903.SeverityWarning
	fs := []ssda903.Finding{
		finding(w, "W1"), finding(w, "W1"), finding(w, "W1"),
		finding(e, "103"), finding(e, "B2"), finding(e, "B2"), finding(e, "A1"), finding(e, "A1"),
		finding(w, "W0"),
	}
	want := []ruleCount{{e, "A1", 2}, {e, "B2", 2}, {e, "103", 1}, {w, "W1", 3}, {w, "W0", 1}}
	if got := countByRule(fs); !reflect.DeepEqual(got, want) {
		t.Errorf("countByRule = %+v; want %+v", got, want)
	}
	if got := countByRule(nil); len(got) != 0 {
		t.Errorf("countByRule(nil) = %+v", got)
	}
}

// ruleByDescription finds a rule whose description has n characters (ok
// false when none has).
func ruleByDescription(n int) (rules.RuleInfo, bool) {
	for _, r := range rules.List(0) {
		if len(r.Description) == n {
			return r, true
		}
	}
	return rules.RuleInfo{}, false
}

func TestWriteTextImported(t *testing.T) {
	r := Result{
		ImportID: 7, Council: "E08000003", Years: []int{2024, 2025}, Replaced: []int{2024},
		Files:    []store.File{{Path: "a.csv"}, {Path: "b.csv"}},
		Children: 3, Episodes: 4,
		Rows: []store.TableCount{
			{Year: 2024, Table: ssda903.Header, Rows: 3}, {Year: 2024, Table: ssda903.Episodes, Rows: 4},
			{Year: 2025, Table: ssda903.Episodes, Rows: 12},
		},
		Findings:          []ssda903.Finding{finding(ssda903.SeverityWarning, "NOSUCH")},
		Warnings:          1,
		LeftOut:           []store.LeftOut{{Table: ssda903.Episodes, Reason: "CHILD is blank", Rows: 2}, {Table: ssda903.Header, Reason: "DOB is not a date", Rows: 1}},
		StitchLines:       []string{"  RULE_1: 2 episodes closed  "},
		PreviousFromStore: []int{2024},
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf, true, Hints{SeeFindings: "sufficiency validate", AcceptErrors: "--accept-errors"}); err != nil {
		t.Fatal(err)
	}
	want := `Imported E08000003 as import 7: collection years 2023/24, 2024/25 (replacing 2023/24), 2 files.
The council now has 3 children and 4 episodes.

Rows stored:
     year  Header  Episodes
  2023/24       3         4
  2024/25       0        12

Validated against the previous year held in the database: 2023/24.

Findings: 0 errors, 1 warnings (recorded against import 7)
  warning NOSUCH          1  

Rows left out (key fields cannot be read): 3
  Episodes        CHILD is blank           2
  Header          DOB is not a date        1

Stitching rules applied:
  RULE_1: 2 episodes closed
`
	if got := buf.String(); got != want {
		t.Errorf("WriteText:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteTextRefused(t *testing.T) {
	r := Result{Council: "E08000003", Years: nil, Files: []store.File{{Path: "a.csv"}}, Errors: 1}
	r.Findings = []ssda903.Finding{finding(ssda903.SeverityError, "103")}
	r.LeftOut = []store.LeftOut{{Table: ssda903.Episodes, Reason: "DECOM is not a date", Rows: 5}}
	var buf bytes.Buffer
	if err := r.WriteText(&buf, false, Hints{SeeFindings: "sufficiency validate", AcceptErrors: "--accept-errors"}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"Nothing was imported for E08000003 (collection years none, 1 files): the files have validation errors.\n",
		"\nFindings: 1 errors, 0 warnings (see them with sufficiency validate)\n",
		"\nRows that would be left out with --accept-errors (key fields cannot be read): 5\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("WriteText refused:\n%s\nlacks %q", got, want)
		}
	}
	for _, not := range []string{"Rows stored", "Stitching", "previous year", "recorded against"} {
		if strings.Contains(got, not) {
			t.Errorf("WriteText refused says %q:\n%s", not, got)
		}
	}
	// No hint given: none written; nothing left out: said so.
	buf.Reset()
	r.LeftOut = nil
	r.WriteText(&buf, false, Hints{})
	if got := buf.String(); !strings.Contains(got, "Findings: 1 errors, 0 warnings\n") || !strings.Contains(got, "\nRows left out: none\n") {
		t.Errorf("WriteText without hints:\n%s", got)
	}
	// Imported with no findings: nothing recorded against the import.
	buf.Reset()
	(Result{ImportID: 3, Council: "E08000003", Years: []int{2025}}).WriteText(&buf, true, Hints{})
	if got := buf.String(); !strings.Contains(got, "Findings: 0 errors, 0 warnings\n") || strings.Contains(got, "replacing") {
		t.Errorf("WriteText clean import:\n%s", got)
	}
}

// TestWriteTextRuleCodes: the 15 most frequent rule codes, then how many
// more; each with the rule's description, cut to 90 characters.
func TestWriteTextRuleCodes(t *testing.T) {
	var fs []ssda903.Finding
	for i := 0; i < 17; i++ {
		fs = append(fs, finding(ssda903.SeverityWarning, "X"+string(rune('A'+i))))
	}
	var buf bytes.Buffer
	(Result{Council: "E08000003", Findings: fs}).WriteText(&buf, false, Hints{})
	got := buf.String()
	if !strings.Contains(got, "  warning XO              1  \n") || strings.Contains(got, "XP ") || !strings.Contains(got, "  ... and 2 more rule codes\n") {
		t.Errorf("17 rule codes:\n%s", got)
	}
	fs = fs[:15]
	buf.Reset()
	(Result{Council: "E08000003", Findings: fs}).WriteText(&buf, false, Hints{})
	if got := buf.String(); strings.Contains(got, "more rule codes") || !strings.Contains(got, "XO") {
		t.Errorf("15 rule codes:\n%s", got)
	}

	for _, n := range []int{90, 91} {
		r, ok := ruleByDescription(n)
		if !ok {
			continue
		}
		buf.Reset()
		(Result{Council: "E08000003", Findings: []ssda903.Finding{finding(ssda903.SeverityError, r.Code)}}).WriteText(&buf, false, Hints{})
		want := r.Description
		if n > 90 {
			want = r.Description[:87] + "..."
		}
		if !strings.Contains(buf.String(), "1  "+want+"\n") {
			t.Errorf("rule %s, %d characters: %q not in\n%s", r.Code, n, want, buf.String())
		}
	}
}

func TestWriteJSON(t *testing.T) {
	r := Result{
		ImportID: 7, Council: "E08000003", Years: []int{2025}, Replaced: []int{2025},
		Files:    []store.File{{Path: "a.csv", SHA256: "ab", Size: 10}},
		Children: 3, Episodes: 4, Errors: 1, Warnings: 2,
		Rows:        []store.TableCount{{Year: 2025, Table: ssda903.Episodes, Rows: 4}},
		Findings:    []ssda903.Finding{finding(ssda903.SeverityError, "103"), finding(ssda903.SeverityWarning, "W"), finding(ssda903.SeverityWarning, "W")},
		LeftOut:     []store.LeftOut{{Table: ssda903.Episodes, Reason: "CHILD is blank", Rows: 2}},
		StitchRules: map[string]int{"RULE_1": 2},
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"imported": true, "import_id": 7.0, "council": "E08000003", "years": []any{2025.0}, "replaced": []any{2025.0},
		"files":    []any{map[string]any{"path": "a.csv", "sha256": "ab", "size": 10.0}},
		"children": 3.0, "episodes": 4.0, "errors": 1.0, "warnings": 2.0,
		"rows": []any{map[string]any{"year": 2025.0, "table": "Episodes", "rows": 4.0}},
		"findings_by_rule": []any{
			map[string]any{"severity": "error", "rule_code": "103", "count": 1.0},
			map[string]any{"severity": "warning", "rule_code": "W", "count": 2.0},
		},
		"left_out":     []any{map[string]any{"table": "Episodes", "reason": "CHILD is blank", "rows": 2.0}},
		"stitch_rules": map[string]any{"RULE_1": 2.0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WriteJSON:\n%v\nwant\n%v", got, want)
	}
	// Refused: not imported, no id; empty lists are [] not null.
	buf.Reset()
	(Result{Council: "E08000003"}).WriteJSON(&buf)
	s := buf.String()
	for _, want := range []string{`"imported": false`, `"files": []`, `"rows": []`, `"left_out": []`, `"findings_by_rule": []`} {
		if !strings.Contains(s, want) {
			t.Errorf("WriteJSON refused lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "import_id") || strings.Contains(s, "replaced") {
		t.Errorf("WriteJSON refused has an import id or replaced years:\n%s", s)
	}
}
