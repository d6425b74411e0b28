package ssda903

import (
	"strings"
	"testing"
)

// The reader's limits on, just inside and just outside: the years a date may
// have (1800 to 2100), one or two digits for a day or month, the amounts in
// pounds a placement-cost cell may hold (±£1,000,000,000,000), and how the
// message for a header that matches no table is cut.

func TestParseDateLimits(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"01/01/1800", true}, {"31/12/1799", false},
		{"31/12/2100", true}, {"01/01/2101", false}, {"2100-12-31", true}, {"2101-01-01", false},
		{"1/1/2024", true}, {"01/01/2024", true},
		{"001/01/2024", false}, {"01/001/2024", false}, {"010/01/2024", false},
	} {
		if _, ok := ParseDate(tt.in); ok != tt.ok {
			t.Errorf("ParseDate(%q) valid %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func TestParsePoundsLimits(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"1000000000000", true}, {"1000000000000.01", false}, {"999999999999.99", true},
		{"-1000000000000", true}, {"-1000000000000.01", false},
	} {
		p, ok := parsePounds(tt.in)
		if ok != tt.ok {
			t.Errorf("parsePounds(%q) valid %v, want %v", tt.in, ok, tt.ok)
		}
		if ok && tt.in == "-1000000000000" && p != -100000000000000 {
			t.Errorf("parsePounds(%q) = %d pence", tt.in, p)
		}
	}
}

// TestNoTableMessageLimits: a header that matches no table is named by the
// table it is nearest to only when it has at least two of that table's
// required columns (the first such table when several have as many); at most 8 of its names are shown, each up to 40 bytes.
func TestNoTableMessageLimits(t *testing.T) {
	msg := func(header ...string) string {
		_, err := RecogniseTable(header)
		if err == nil {
			t.Fatalf("%q recognised", header)
		}
		return err.Error()
	}
	if m := msg("CHILD", "COLOUR"); strings.Contains(m, "looks most like") {
		t.Errorf("one required column (CHILD): %s", m)
	}
	if m := msg("CHILD", "DOB", "COLOUR"); !strings.Contains(m, "looks most like Header but lacks SEX, ETHNIC") {
		t.Errorf("two of Header's required columns: %s", m)
	}
	// A tie goes to the first table in the DfE's order: Header (CHILD, DOB)
	// before Episodes and PlacementCosts (CHILD, DECOM).
	if m := msg("CHILD", "DOB", "DECOM"); !strings.Contains(m, "looks most like Header but") {
		t.Errorf("two required columns each of Header, Episodes and PlacementCosts: %s", m)
	}
	names := []string{"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"}
	if m := msg(names[:8]...); !strings.Contains(m, "(A1, A2, A3, A4, A5, A6, A7, A8)") {
		t.Errorf("8 names: %s", m)
	}
	if m := msg(names...); !strings.Contains(m, "(A1, A2, A3, A4, A5, A6, A7, A8, …)") {
		t.Errorf("9 names: %s", m)
	}
	forty := strings.Repeat("B", 40)
	if m := msg(forty); !strings.Contains(m, "("+forty+")") {
		t.Errorf("a 40-byte name: %s", m)
	}
	if m := msg(forty + "C"); strings.Contains(m, forty+"C") || !strings.Contains(m, `("`) {
		t.Errorf("a 41-byte name is cut and quoted: %s", m)
	}
}

// TestTruncBytesRuneEdge: a value cut for a message is cut at n bytes, or
// before the character that would be split there, never inside it.
func TestTruncBytesRuneEdge(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"ééé", 6, "ééé"}, {"ééé", 4, "éé…"}, {"ééé", 3, "é…"}, {"ééé", 2, "é…"}, {"ééé", 1, "…"}, {"abc", 2, "ab…"},
		{"\x80\x80\x80", 2, "…"}, // not UTF-8: nothing before n starts a character
	} {
		if got := string(truncBytes([]byte(tt.in), tt.n)); got != tt.want {
			t.Errorf("truncBytes(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
