package tabular

import (
	"bytes"
	"strings"
	"testing"

	"sufficiency/care"
)

// TestSuppressionLimits pins the publication rule (SuppressionRule): counts
// of 1 to 4 are "c", 0 and 5 are shown; a percentage, rate or amount of
// money resting on a suppressed count is suppressed with it, and one resting
// on a shown count is shown. Counts arrive as int, int64 or whole float64.
func TestSuppressionLimits(t *testing.T) {
	for _, tc := range []struct {
		n      any
		hidden bool
	}{
		{0, false}, {1, true}, {4, true}, {5, false}, {6, false},
		{int64(4), true}, {int64(5), false}, {4.0, true}, {5.0, false},
		{4.5, false}, // not a count
		{-1, false},  // not a count of children either
	} {
		tb := Table{Columns: []Column{{Name: "Label"}, {Name: "Children", Kind: Count},
			{Name: "%", Kind: Percent, Base: "Children"}, {Name: "Rate", Kind: Rate, Base: "Children"},
			{Name: "Weekly", Kind: Money, Base: "Children"}, {Name: "Miles", Kind: Number, Base: "Children"}, {Name: "Note", Kind: Text, Base: "Children"}}}
		tb.AddRow("row", tc.n, 12.5, 3.4, care.Pence(123_400), 7.0, "text")
		out := Suppress(tb).Rows[0]
		if (out[1] == Suppressed) != tc.hidden {
			t.Errorf("count %v (%T): published %v, hidden want %v", tc.n, tc.n, out[1], tc.hidden)
			continue
		}
		for j := 2; j <= 5; j++ {
			if (out[j] == Suppressed) != tc.hidden {
				t.Errorf("count %v: %s published as %v", tc.n, tb.Columns[j].Name, out[j])
			}
		}
		if out[6] != "text" {
			t.Errorf("count %v: a text column is never suppressed: %v", tc.n, out[6])
		}
	}
}

// TestSuppressNilDerivedStaysNil: a missing percentage stays missing, not
// "c", when its count is suppressed (nothing to hide).
func TestSuppressNilDerivedStaysNil(t *testing.T) {
	tb := Table{Columns: []Column{{Name: "Children", Kind: Count}, {Name: "%", Kind: Percent, Base: "Children"}}}
	tb.AddRow(3, nil)
	if got := Suppress(tb).Rows[0][1]; got != nil {
		t.Errorf("nil percentage became %v", got)
	}
}

// TestSuppressSecondaryPicksSmallest: down a column with a total row, when
// one count is suppressed the smallest other non-zero count is suppressed
// too (never a zero), so the total minus the rest reveals nothing; with no
// other non-zero count the total is suppressed.
func TestSuppressSecondaryPicksSmallest(t *testing.T) {
	tb := Table{Columns: []Column{{Name: "Group"}, {Name: "Children", Kind: Count}}, TotalRow: true}
	tb.AddRow("a", 3)
	tb.AddRow("b", 0)
	tb.AddRow("c", 9)
	tb.AddRow("d", 6)
	tb.AddRow("all", 18)
	out := Suppress(tb)
	want := []any{Suppressed, 0, 9, Suppressed, 18}
	for i, w := range want {
		if out.Rows[i][1] != w {
			t.Errorf("row %d = %v, want %v", i, out.Rows[i][1], w)
		}
	}
	tb = Table{Columns: []Column{{Name: "Group"}, {Name: "Children", Kind: Count}}, TotalRow: true}
	tb.AddRow("a", 3)
	tb.AddRow("b", 0)
	tb.AddRow("all", 3)
	out = Suppress(tb)
	if out.Rows[0][1] != Suppressed || out.Rows[1][1] != 0 || out.Rows[2][1] != Suppressed {
		t.Errorf("lone small count: %v", out.Rows)
	}
	// Two suppressed counts already protect each other: nothing more is hidden.
	tb = Table{Columns: []Column{{Name: "Group"}, {Name: "Children", Kind: Count}}, TotalRow: true}
	tb.AddRow("a", 3)
	tb.AddRow("b", 2)
	tb.AddRow("c", 9)
	tb.AddRow("all", 14)
	out = Suppress(tb)
	if out.Rows[2][1] != 9 || out.Rows[3][1] != 14 {
		t.Errorf("two small counts: %v", out.Rows)
	}
}

// TestPctAndColumnIndex: no percentage of nothing; unknown column is -1.
func TestPctAndColumnIndex(t *testing.T) {
	if Pct(3, 0) != nil {
		t.Error("Pct of 0 must be nil")
	}
	if got := Pct(1, 4); got != 25.0 {
		t.Errorf("Pct(1, 4) = %v", got)
	}
	tb := sample()
	if tb.ColumnIndex("Girls") != 2 || tb.ColumnIndex("nope") != -1 {
		t.Error("ColumnIndex")
	}
}

// TestMoneyFormatting: whole pounds with thousands separators, negatives
// with a leading minus.
func TestMoneyFormatting(t *testing.T) {
	c := Column{Kind: Money}
	for _, tc := range []struct {
		v    any
		want string
	}{
		{care.Pence(123_456_789), "£1,234,568"}, {care.Pence(-123_456_789), "-£1,234,568"}, {care.Pence(99_900), "£999"},
		{care.Pence(100_000), "£1,000"}, {1234, "£1,234"}, {1234.4, "£1,234"},
	} {
		if got := Format(c, tc.v); got != tc.want {
			t.Errorf("Format(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// TestWriteTextNotes: notes are printed under their table.
func TestWriteTextNotes(t *testing.T) {
	tb := sample()
	tb.Notes = []string{"Source: a test."}
	var b bytes.Buffer
	if err := WriteText(&b, []Table{tb}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "  Note: Source: a test.\n") {
		t.Errorf("no note in:\n%s", b.String())
	}
}

// TestCSVWriteAllNeutralises: WriteAll neutralises every cell and flushes.
func TestCSVWriteAllNeutralises(t *testing.T) {
	var b bytes.Buffer
	w := NewCSVWriter(&b)
	if err := w.WriteAll([][]string{{"=1+1", "ok"}, {"@x", "-2"}}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "'=1+1,ok") || !strings.Contains(got, "'@x") {
		t.Errorf("not neutralised: %q", got)
	}
}
