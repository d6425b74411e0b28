package rules

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	"sufficiency/ssda903"
)

// The hand-written finding encoder writes the very bytes of
// json.MarshalIndent(f, "    ", "  "): field order, omitempty, escaping.
func TestFindingJSONMatchesEncodingJSON(t *testing.T) {
	weird := []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\rcr\b\f",
		"\x00\x01\x1f\x7f", "caf\xe9 (Windows-1252)", "é ü 中文 😀", "line\u2028sep\u2029para", "\xff\xfe", "=cmd|' /C calc'!A0"}
	list := []ssda903.Finding{
		{Severity: ssda903.SeverityError, RuleCode: "103", Message: "m"},
		{Severity: ssda903.SeverityWarning, RuleCode: "392c", Council: "E08000003", Year: 2025, Child: "123", Table: ssda903.Episodes,
			File: "/x/episodes.csv", Line: 7, Columns: []string{"PL_POST"}, Value: "M1 1AE", Message: "msg", More: 0},
		{Severity: ssda903.SeverityError, RuleCode: "141", Council: "E08000003", Year: 2025, More: 12345, Message: "12345 more"},
		{Severity: ssda903.SeverityError, RuleCode: "INT31", Columns: []string{"A", "B", "C"}, Line: -1, Year: -5},
		{Columns: []string{}},
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		w := func() string { return weird[rng.Intn(len(weird))] + weird[rng.Intn(len(weird))] }
		f := ssda903.Finding{Severity: ssda903.Severity(w()), RuleCode: w(), Council: w(), Child: w(), Table: ssda903.TableName(w()),
			File: w(), Value: w(), Message: w(), Year: rng.Intn(3) * 2025, Line: rng.Intn(3) * rng.Intn(1e6), More: rng.Intn(2) * rng.Intn(100)}
		for k := rng.Intn(3); k > 0; k-- {
			f.Columns = append(f.Columns, w())
		}
		list = append(list, f)
	}
	for _, f := range list {
		want, err := json.MarshalIndent(f, "    ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if got := appendFindingJSON(nil, &f); string(got) != string(want) {
			t.Fatalf("finding %+v:\ngot  %s\nwant %s", f, got, want)
		}
	}
}

// In the text report a return's reading problems (rows left out, too many
// rows) come before the rules checked on what was read, errors first.
func TestWriteTextListsReadingProblemsFirst(t *testing.T) {
	sum := []Summary{{Council: "E08000003", Year: 2025, Label: "2024/25", Errors: 2, Warnings: 1}}
	fs := []ssda903.Finding{
		{Severity: ssda903.SeverityError, RuleCode: "101", Council: "E08000003", Year: 2025, File: "e.csv", Line: 2, Message: "rule 101"},
		{Severity: ssda903.SeverityWarning, RuleCode: "READ-FIELDS-SHORT", Council: "E08000003", Year: 2025, File: "e.csv", Line: 3, Message: "short row"},
		{Severity: ssda903.SeverityError, RuleCode: "READ-TOO-MANY-ROWS", Council: "E08000003", Year: 2025, File: "e.csv", Line: 50002, Message: "too many rows"},
	}
	var b strings.Builder
	if err := WriteText(&b, sum, fs, 10, TextHints{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	iRead, i101, iShort := strings.Index(out, "READ-TOO-MANY-ROWS error"), strings.Index(out, "101 error"), strings.Index(out, "READ-FIELDS-SHORT warning")
	if iRead < 0 || i101 < 0 || iShort < 0 || !(iRead < i101 && i101 < iShort) {
		t.Errorf("order READ-TOO-MANY-ROWS %d, 101 %d, READ-FIELDS-SHORT %d:\n%s", iRead, i101, iShort, out)
	}
}

// A rule with more rows than the limit ends with how many more; the hints
// are the caller's words (the CLI's flags), left out when none are given;
// with rows dropped at the per-rule cap it says how many were kept.
func TestWriteTextMoreRowsHints(t *testing.T) {
	sum := []Summary{{Council: "E08000003", Year: 2025, Label: "2024/25", Errors: 3}}
	var fs []ssda903.Finding
	for line := 2; line <= 4; line++ {
		fs = append(fs, ssda903.Finding{Severity: ssda903.SeverityError, RuleCode: "101", Council: "E08000003", Year: 2025, File: "e.csv", Line: line, Message: "rule 101"})
	}
	capped := append(append([]ssda903.Finding{}, fs...), ssda903.Finding{Severity: ssda903.SeverityError, RuleCode: "101", Council: "E08000003", Year: 2025, More: 7, Message: "more"})
	hints := TextHints{ListAll: "--limit 0", EveryRow: "--format csv"}
	for _, tc := range []struct {
		name  string
		fs    []ssda903.Finding
		hints TextHints
		want  string
	}{
		{"hints", fs, hints, "… and 2 more (--limit 0 lists all; --format csv gives every row)\n"},
		{"no hints", fs, TextHints{}, "… and 2 more\n"},
		{"one hint", fs, TextHints{EveryRow: "the CSV download"}, "… and 2 more (the CSV download gives every row)\n"},
		{"capped", capped, hints, "… and 9 more (only the first 3 rows of a rule are kept: --limit 0 lists them; correct these and validate again)\n"},
		{"capped, no hints", capped, TextHints{}, "… and 9 more (only the first 3 rows of a rule are kept; correct these and validate again)\n"},
	} {
		var b strings.Builder
		if err := WriteText(&b, sum, tc.fs, 1, tc.hints); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s: want %q in\n%s", tc.name, tc.want, b.String())
		}
	}
}
