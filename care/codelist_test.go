package care

import (
	"strings"
	"testing"
)

func TestCodeValidByYear(t *testing.T) {
	tests := []struct {
		name  string
		field string
		code  string
		year  int
		want  bool
	}{
		{"SexNumericTo2023_24", "SEX", "1", 2024, true},
		{"SexNumericGoneIn2024_25", "SEX", "1", 2025, false},
		{"SexLettersFrom2024_25", "SEX", "M", 2025, true},
		{"SexUnknownNotBefore2024_25", "SEX", "U", 2024, false},
		{"K3NotIn2023_24", "PLACE", "K3", 2024, false},
		{"K3In2024_25", "PLACE", "K3", 2025, true},
		{"K3LowerCase", "PLACE", "k3", 2025, true},
		{"H5In2024_25", "PLACE", "H5", 2025, true},
		{"H5GoneIn2025_26", "PLACE", "H5", 2026, false},
		{"P2GoneIn2025_26", "PLACE", "P2", 2026, false},
		{"Z1In2024_25", "PLACE", "Z1", 2025, true},
		{"Z1GoneIn2025_26", "PLACE", "Z1", 2026, false},
		{"Z12From2025_26", "PLACE", "Z12", 2026, true},
		{"Z12NotIn2024_25", "PLACE", "Z12", 2025, false},
		{"U4Always", "PLACE", "U4", 2020, true},
		{"UnknownPlace", "PLACE", "Q9", 2025, false},
		{"SWReasonFrom2023_24", "SW_REASON", "MANAGE", 2024, true},
		{"SWReasonNotIn2022_23", "SW_REASON", "MANAGE", 2023, false},
		{"ActivF3To2020_21", "ACTIV", "F3", 2021, true},
		{"ActivF3Gone2021_22", "ACTIV", "F3", 2022, false},
		{"ActivF4From2021_22", "ACTIV", "F4", 2022, true},
		{"NoSuchField", "NOPE", "X", 2025, false},
		{"AnyYear", "SEX", "1", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeValid(tt.field, tt.code, tt.year); got != tt.want {
				t.Fatalf("CodeValid(%q, %q, %d) = %v, want %v", tt.field, tt.code, tt.year, got, tt.want)
			}
		})
	}
}

func TestCodesAndMeanings(t *testing.T) {
	if got := CodeMeaning("PLACE", "K3"); got != "Registered supported accommodation" {
		t.Fatalf("K3 meaning %q", got)
	}
	if got := CodeMeaning("PLACE", "Q9"); got != "" {
		t.Fatalf("unknown meaning %q", got)
	}
	counts := map[string]int{"ETHNIC": 20, "CIN": 8, "RNE": 6, "PLACE_PROVIDER": 6}
	for f, n := range counts {
		if got := len(Codes(f, 2025)); got != n {
			t.Errorf("%s: %d codes in 2024/25, want %d", f, got, n)
		}
	}
	p25, p26 := len(Codes("PLACE", 2025)), len(Codes("PLACE", 2026))
	// 2025/26 drops H5, P2, Z1 and adds Z11-Z14.
	if p26 != p25-3+4 {
		t.Fatalf("PLACE: %d codes in 2024/25, %d in 2025/26", p25, p26)
	}
	for _, f := range CodeFields() {
		for _, c := range Codes(f, 0) {
			if c.Code == "" || c.Code != strings.ToUpper(strings.TrimSpace(c.Code)) {
				t.Errorf("%s: bad code %q", f, c.Code)
			}
			if c.From != 0 && c.Until != 0 && c.From > c.Until {
				t.Errorf("%s %s: from %d after until %d", f, c.Code, c.From, c.Until)
			}
		}
	}
}

func TestCodeSet(t *testing.T) {
	s := NewCodeSet("SEX", 2025)
	if !s.Has("F") || s.Has("2") || s.Has("") {
		t.Fatalf("SEX 2024/25 set wrong: %s", s.List())
	}
	if s.List() != "M, F, U" {
		t.Fatalf("List = %q", s.List())
	}
	var zero CodeSet
	if zero.Has("M") {
		t.Fatal("zero set has a member")
	}
}

func TestYearLabel(t *testing.T) {
	for y, want := range map[int]string{2025: "2024/25", 2000: "1999/00", 2010: "2009/10", 0: ""} {
		if got := YearLabel(y); got != want {
			t.Errorf("YearLabel(%d) = %q, want %q", y, got, want)
		}
	}
}
