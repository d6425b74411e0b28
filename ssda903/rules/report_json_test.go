package rules

import (
	"encoding/json"
	"math/rand"
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
