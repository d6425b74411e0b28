package rules

import (
	"testing"
	"time"

	"sufficiency/ssda903"
)

func TestBaseFixtureIsClean(t *testing.T) {
	cur := parseFixture(2025, baseCurrent).build()
	prev := parseFixture(2024, basePrevious).build()
	rep := Check(cur, prev, testOptions())
	for _, f := range rep.Findings {
		t.Errorf("%s %s line %d child %s: %s", f.RuleCode, f.Table, f.Line, f.Child, f.Message)
	}
	for _, s := range rep.Skipped {
		t.Errorf("skipped %s: %s", s.Code, s.Reason)
	}
	t.Logf("%d rules ran, %d skipped", rep.Run, len(rep.Skipped))
	if rep.Run < 150 {
		t.Errorf("only %d rules ran", rep.Run)
	}
	_ = ssda903.Header
}

// TestRules runs, for every rule, the clean base fixture (the rule must run
// and pass) and the rule's failing mutation (the rule must fire).
func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range ruleCases {
		seen[c.code] = true
		t.Run(c.code, func(t *testing.T) {
			year := c.year
			if year == 0 {
				year = 2025
			}
			cur := parseFixture(year, baseCurrent)
			prev := parseFixture(year-1, basePrevious)
			if f := baseFor[c.code]; f != nil {
				f(t, cur, prev)
			}
			rep := Check(cur.build(), prev.build(), testOptions())
			if n := count(rep, c.code); n != 0 {
				t.Fatalf("pass case: %d findings, first: %s", n, first(rep, c.code))
			}
			for _, s := range rep.Skipped {
				if s.Code == c.code {
					t.Fatalf("pass case: skipped: %s", s.Reason)
				}
			}
			c.mutate(t, cur, prev)
			rep = Check(cur.build(), prev.build(), testOptions())
			if count(rep, c.code) == 0 {
				t.Fatalf("fail case: rule did not fire")
			}
			info, _ := Lookup(c.code)
			for _, f := range rep.Findings {
				if f.RuleCode != c.code {
					continue
				}
				if f.Severity != info.Severity || f.Line < 2 || f.Table == "" || f.File == "" || f.Message == "" || f.Child == "" || f.Year != year || f.Council != "E09000001" || len(f.Columns) == 0 {
					t.Errorf("incomplete finding: %+v", f)
				}
			}
		})
	}
	for _, r := range List(0) {
		if !seen[r.Code] {
			t.Errorf("rule %s has no test case", r.Code)
		}
	}
}

func count(rep Report, code string) int {
	n := 0
	for _, f := range rep.Findings {
		if f.RuleCode == code {
			n++
		}
	}
	return n
}

func first(rep Report, code string) string {
	for _, f := range rep.Findings {
		if f.RuleCode == code {
			return string(f.Table) + " line " + itoa(f.Line) + ": " + f.Message
		}
	}
	return ""
}

// TestSWReasonAddedWhenEpisodeEnds: a social worker episode open last year
// (no reason yet) that ends this year with a reason is not a contradiction.
func TestSWReasonAddedWhenEpisodeEnds(t *testing.T) {
	cur := parseFixture(2025, baseCurrent)
	prev := parseFixture(2024, basePrevious)
	prev.row(t, SW, "C1", 0)["SW_REASON"] = ""
	r := cur.row(t, SW, "C1", 0)
	r["SW_DEC"], r["SW_REASON"] = "01/10/2024", "FCONTA"
	cur.add(SW, "CHILD=C1", "DOB=01/06/2010", "SW_ID=SW777", "SW_DECOM=01/10/2024", "SW_REASON=LEFTRL")
	rep := Check(cur.build(), prev.build(), testOptions())
	for _, f := range rep.Findings {
		t.Errorf("%s: %s", f.RuleCode, f.Message)
	}
}

// TestParseDayMatchesParseDate checks the fast date decoder against the
// reader's ParseDate on valid, invalid and unusual cells.
func TestParseDayMatchesParseDate(t *testing.T) {
	cells := []string{"01/01/2024", "29/02/2024", "29/02/2023", "31/04/2024", "00/01/2024", "1/2/2024", "2024-02-29",
		"2023-02-29", "2024-13-01", "1899-12-31", "1799-12-31", "01/01/1800", "2101-01-01", "31/12/1900", "01/01/2100", "2024-01-01 00:00:00",
		"ab/cd/efgh", "12/12/20x4", "", "2024/01/01", "-1/01/2024", "15/10/1582", "01/03/2000", "28/02/2100"}
	for _, s := range cells {
		got := parseDay(s)
		tm, ok := ssda903.ParseDate(s)
		want := date{}
		if ok {
			want = mkdate(tm)
		}
		if got != want {
			t.Errorf("parseDay(%q) = %+v, want %+v", s, got, want)
		}
	}
	// Every day of 1990–2030 in both layouts.
	for d := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2031; d = d.AddDate(0, 0, 1) {
		for _, s := range []string{d.Format("02/01/2006"), d.Format("2006-01-02")} {
			if got := parseDay(s); got != mkdate(d) {
				t.Fatalf("parseDay(%q) = %+v, want %+v", s, got, mkdate(d))
			}
		}
	}
}

func TestListFollowsCollectionYear(t *testing.T) {
	has := func(year int, code string) bool {
		for _, r := range List(year) {
			if r.Code == code {
				return true
			}
		}
		return false
	}
	tests := []struct {
		year int
		code string
		want bool
	}{
		{2024, "217t", true}, {2025, "217t", false}, // P2 rule of 2023/24 only
		{2023, "SW01STG1", false}, {2024, "SW01STG1", true}, // social worker table from 2023/24
		{2025, "454", false}, {2026, "454", true}, // added in 2025/26
		{2025, "101", true}, {2020, "101", true},
	}
	for _, tt := range tests {
		if got := has(tt.year, tt.code); got != tt.want {
			t.Errorf("List(%d) has %s = %v, want %v", tt.year, tt.code, got, tt.want)
		}
	}
	all := List(0)
	for i := 1; i < len(all); i++ {
		if !ruleLess(all[i-1].Code, all[i].Code) {
			t.Fatalf("List not ordered or has duplicates at %s, %s", all[i-1].Code, all[i].Code)
		}
	}
	if len(all) < 280 {
		t.Fatalf("only %d rules registered", len(all))
	}
	if info, ok := Lookup("392C"); !ok || info.Severity != ssda903.SeverityWarning {
		t.Fatalf("Lookup(392C) = %+v, %v", info, ok)
	}
}
