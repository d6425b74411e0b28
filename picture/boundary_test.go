package picture

import (
	"fmt"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/tabular"
)

// Boundary tests written from the DfE definitions the picture follows (see
// Definitions and docs/ARCHITECTURE.md), not from the code:
//
//   - children looked after at 31 March: an episode still open at the end of
//     the day; a child whose episode ended (DEC) on 31 March ceased that day
//     and is not looked after at 31 March;
//   - the year to 31 March 2025 runs from 1 April 2024 to 31 March 2025
//     inclusive: a child who started (or ceased) on 1 April 2024 counts, one
//     who started (or ceased) on 31 March 2024 does not;
//   - children looked after under a series of short breaks (legal status V3
//     or V4) are left out of the counts, as in the DfE statistics; V2 (s20)
//     is not a short break;
//   - publication suppresses counts of 1 to 4 (shown "c"), and every
//     percentage, rate and amount of money resting on such a count; 0 and 5
//     are shown (tabular.SuppressionRule).

var census = d(2025, 3, 31)

// TestCurrentOnCensusDate pins Current (which episode of a child's run is
// current at the end of a day) on the census date.
func TestCurrentOnCensusDate(t *testing.T) {
	ep := func(start, end time.Time, ls string) care.Episode {
		return care.Episode{Council: "A", ChildID: "x", Start: start, End: end, LegalStatus: ls}
	}
	open := time.Time{}
	for _, tc := range []struct {
		name string
		run  []care.Episode
		want int
	}{
		{"open episode", []care.Episode{ep(d(2024, 1, 1), open, "C2")}, 0},
		{"ended on the census date (ceased that day)", []care.Episode{ep(d(2024, 1, 1), census, "C2")}, -1},
		{"ended the day after the census date", []care.Episode{ep(d(2024, 1, 1), d(2025, 4, 1), "C2")}, 0},
		{"ended the day before the census date", []care.Episode{ep(d(2024, 1, 1), d(2025, 3, 30), "C2")}, -1},
		{"started on the census date", []care.Episode{ep(census, open, "C2")}, 0},
		{"started on 1 April, the day after", []care.Episode{ep(d(2025, 4, 1), open, "C2")}, -1},
		{"new episode the same day (X1): the later one is current",
			[]care.Episode{ep(d(2024, 1, 1), census, "C2"), ep(census, open, "C1")}, 1},
		{"earlier episode current, later one starts after the date",
			[]care.Episode{ep(d(2024, 1, 1), d(2025, 4, 2), "C2"), ep(d(2025, 4, 2), open, "C1")}, 0},
		{"short break V3 is not in care", []care.Episode{ep(d(2025, 3, 30), open, "V3")}, -1},
		{"short break V4 is not in care", []care.Episode{ep(d(2024, 1, 1), open, "V4")}, -1},
		{"s20 V2 is in care", []care.Episode{ep(d(2024, 1, 1), open, "V2")}, 0},
		{"left after V4 then accommodated under V2",
			[]care.Episode{ep(d(2024, 1, 1), d(2024, 6, 1), "V4"), ep(d(2024, 6, 1), open, "V2")}, 1},
		{"on a V4 break at the date after earlier care",
			[]care.Episode{ep(d(2023, 1, 1), d(2024, 6, 1), "C2"), ep(d(2025, 3, 1), open, "V4")}, -1},
		{"no episodes", nil, -1},
	} {
		if got := Current(tc.run, census); got != tc.want {
			t.Errorf("%s: Current = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestShortBreakCodes pins the short-break legal statuses from the DfE code
// list (care/codelists.csv): V3 (single short-term break) and V4 (agreed
// series of short-term breaks) only.
func TestShortBreakCodes(t *testing.T) {
	for _, ls := range []string{"V3", "V4"} {
		if !shortBreak(ls) {
			t.Errorf("%s is a short break", ls)
		}
	}
	for _, ls := range []string{"V2", "C1", "C2", "E1", "D1", "J1", "J2", "J3", "L1", "L2", "L3", "", "V1", "V5"} {
		if shortBreak(ls) {
			t.Errorf("%s is not a short break", ls)
		}
	}
}

// censusInput is council A with one child per episode given.
func censusInput(eps ...care.Episode) Input {
	in := Input{Name: "A", Scope: []string{"A"}, Councils: []Council{{Code: "A", Name: "A", Region: "R", Pop0to17: 10000}}}
	seen := map[string]bool{}
	for i := range eps {
		eps[i].Council = "A"
		if !seen[eps[i].ChildID] {
			seen[eps[i].ChildID] = true
			in.Children = append(in.Children, care.Child{Council: "A", ID: eps[i].ChildID, Sex: care.Female, DOB: d(2012, 6, 1)})
		}
	}
	in.Episodes = eps
	return in
}

// TestComputeCensusAndYearEdges pins who is in care at 31 March 2025 and
// who started and ceased in the year 1 April 2024 to 31 March 2025.
func TestComputeCensusAndYearEdges(t *testing.T) {
	open := time.Time{}
	e := func(id string, start, end time.Time, rne, ls, rec string) care.Episode {
		return care.Episode{ChildID: id, Start: start, End: end, ReasonNew: rne, LegalStatus: ls, ReasonEnded: rec,
			Placement: "U4", Provider: "PR1"}
	}
	in := censusInput(
		e("ceased-on-census", d(2024, 1, 1), census, "S", "C2", "E11"), // ceased in year, not in care
		e("starts-1-april-2025", d(2025, 4, 1), open, "S", "C2", ""),   // neither
		e("started-on-census", census, open, "S", "C2", ""),            // in care, started
		e("v4-series", d(2024, 1, 1), open, "S", "V4", ""),             // neither
		e("v3-break", d(2025, 3, 30), open, "S", "V3", ""),             // neither
		e("long-stay", d(2020, 1, 1), open, "S", "C2", ""),             // in care
		e("started-1-april-2024", d(2024, 4, 1), open, "S", "C2", ""),  // in care, started (first day of the year)
		e("started-31-march-2024", d(2024, 3, 31), open, "S", "C1", ""),
		e("ceased-1-april-2024", d(2023, 6, 1), d(2024, 4, 1), "S", "C2", "E4A"),   // ceased (first day of the year)
		e("ceased-31-march-2024", d(2023, 6, 1), d(2024, 3, 31), "S", "C2", "E4A"), // before the year
		e("ceased-1-april-2025", d(2023, 6, 1), d(2025, 4, 1), "S", "C2", "E4A"),   // in care at the date, ceased after
		e("x1-on-census", d(2023, 6, 1), census, "S", "C2", "X1"),                  // care continues
		e("x1-on-census", census, open, "P", "C2", ""),
	)
	p := Compute(in, census)
	eq(t, "children in care at 31 March 2025", p.InCare, 6)
	eq(t, "started in the year", p.Started, 2)
	eq(t, "ceased in the year", p.Ceased, 2)
	eq(t, "year start", p.YearStart.Format(time.DateOnly), "2024-03-31")
	eq(t, "rate per 10,000", p.RatePer10k, 6.0)
}

// nInCare is council A with n children in care at the census date, each
// in a children's home costing £3,000 a week, and a population of 10,000.
func nInCare(n int) Input {
	var eps []care.Episode
	for i := 0; i < n; i++ {
		eps = append(eps, care.Episode{ChildID: fmt.Sprintf("c%d", i), Start: d(2024, 6, 1), ReasonNew: "S", LegalStatus: "C2",
			Placement: "K2", Provider: "PR4", WeeklyCost: 300_000})
	}
	return censusInput(eps...)
}

func findTable(t *testing.T, ts []tabular.Table, title string) tabular.Table {
	t.Helper()
	for _, tb := range ts {
		if tb.Title == title {
			return tb
		}
	}
	t.Fatalf("no table %q", title)
	return tabular.Table{}
}

func rowOf(t *testing.T, tb tabular.Table, label string) []any {
	t.Helper()
	for _, r := range tb.Rows {
		if r[0] == label {
			return r
		}
	}
	t.Fatalf("%s: no row %q", tb.Title, label)
	return nil
}

// TestPublishSuppressesAtFourShowsFive pins the suppression limit for a
// count (children in care), a rate (per 10,000 in the comparison table), a
// percentage (of children by placement type) and money (weekly cost of
// placements): resting on 4 children they are "c", on 5 they are shown.
func TestPublishSuppressesAtFourShowsFive(t *testing.T) {
	c := tabular.Suppressed
	for _, n := range []int{4, 5} {
		p := Compute(nInCare(n), census)
		pub := p.Tables(true)
		hidden := n <= 4

		sum := findTable(t, pub, "A: children in care at 31 March 2025")
		if got := rowOf(t, sum, "Children in care")[1]; (got == c) != hidden || (!hidden && got != n) {
			t.Errorf("%d children: count published as %v", n, got)
		}

		cmp := findTable(t, pub, "Comparison with published figures")
		rate := rowOf(t, cmp, "Children in care per 10,000 children")[1]
		if hidden && rate != c {
			t.Errorf("%d children: rate per 10,000 published as %v, want c", n, rate)
		}
		if !hidden && rate != 10000*float64(n)/10000 {
			t.Errorf("%d children: rate per 10,000 = %v, want %v", n, rate, float64(n))
		}
		pct := rowOf(t, cmp, "% in children's homes (incl. secure)")[1]
		if hidden && pct != c {
			t.Errorf("%d children: %% in children's homes published as %v, want c", n, pct)
		}
		if !hidden && pct != 100.0 {
			t.Errorf("%d children: %% in children's homes = %v, want 100", n, pct)
		}

		cost := findTable(t, pub, "Cost by placement type")
		all := cost.Rows[len(cost.Rows)-1]
		weekly := all[cost.ColumnIndex("Weekly")]
		if hidden && weekly != c {
			t.Errorf("%d placements: weekly cost published as %v, want c", n, weekly)
		}
		if !hidden && weekly != care.Pence(n*300_000) {
			t.Errorf("%d placements: weekly cost = %v, want %v", n, weekly, care.Pence(n*300_000))
		}

		// Unpublished, nothing is hidden.
		open := p.Tables(false)
		if got := rowOf(t, findTable(t, open, "Comparison with published figures"), "Children in care per 10,000 children")[1]; got != float64(n) {
			t.Errorf("%d children, not published: rate = %v", n, got)
		}
	}
}

// TestComparisonSuppressionLimits pins the comparison table's own rule for
// each measure's base on 0, 1, 4 and 5 children: 1 to 4 hidden, 0 and 5
// shown.
func TestComparisonSuppressionLimits(t *testing.T) {
	for _, tc := range []struct {
		base   int
		hidden bool
	}{{0, false}, {1, true}, {4, true}, {5, false}, {6, false}} {
		p := Picture{Name: "A", InCare: 10, Measures: map[string]float64{MeasurePctUASC: 12.5}, MeasureBase: map[string]int{MeasurePctUASC: tc.base}}
		tb := p.comparisonTable(true)
		got := rowOf(t, tb, "% unaccompanied asylum-seeking")[1]
		if (got == tabular.Suppressed) != tc.hidden {
			t.Errorf("base %d: published %v, hidden want %v", tc.base, got, tc.hidden)
		}
		if !tc.hidden && got != 12.5 {
			t.Errorf("base %d: value %v, want 12.5", tc.base, got)
		}
		if got := rowOf(t, p.comparisonTable(false), "% unaccompanied asylum-seeking")[1]; got != 12.5 {
			t.Errorf("base %d, not published: %v", tc.base, got)
		}
	}
}

// TestHighCostThreshold pins "high-cost: over £10,000 a week": £10,000.00
// exactly is not high-cost, £10,000.01 is.
func TestHighCostThreshold(t *testing.T) {
	in := nInCare(3)
	in.Episodes[0].WeeklyCost = 999_999
	in.Episodes[1].WeeklyCost = 1_000_000
	in.Episodes[2].WeeklyCost = 1_000_001
	p := Compute(in, census)
	eq(t, "high-cost placements", p.Cost.HighCost, 1)
	eq(t, "council high-cost", p.Councils[0].HighCost, 1)
	eq(t, "weekly", p.Cost.Weekly, care.Pence(2_999_999+1))
}

// TestOver20MilesThreshold pins the DfE locality split: over 20 miles is
// more than 20.0 miles; exactly 20 is "20 miles or less".
func TestOver20MilesThreshold(t *testing.T) {
	loc := gridLocator{"H": {0, 0, "A"}, "P19": {0, 19.9, "A"}, "P20": {0, 20, "A"}, "P21": {0, 20.1, "B"}}
	in := nInCare(3)
	for i, pc := range []string{"P19", "P20", "P21"} {
		in.Episodes[i].HomePostcode = "H"
		in.Episodes[i].PlacementPostcode = pc
	}
	in.Locate = loc
	in.Councils = append(in.Councils, Council{Code: "B", Name: "B", Region: "R"})
	p := Compute(in, census)
	eq(t, "over 20 miles", p.Where.Over20, 1)
	eq(t, "within 20 miles", p.Where.Within20, 2)
	eq(t, "inside, within 20", p.Where.InsideWithin20, 2)
	eq(t, "outside, over 20", p.Where.OutsideOver20, 1)
	eq(t, "inside, over 20", p.Where.InsideOver20, 0)
	eq(t, "outside, within 20", p.Where.OutsideWithin20, 0)
	eq(t, "outside the council", p.Where.Outside, 1)
	eq(t, "outside the region", p.Where.OutsideRegion, 0)
}

// TestSpendInYearEdges pins "spent in the year = weekly cost × days in the
// year / 7": an episode covering the whole year 1 April 2024 to 31 March
// 2025 costs 365 days; one ending on 1 April 2024 costs 1 day (the day it
// ends is not a day in care); one starting on 31 March 2025 costs 1 day.
func TestSpendInYearEdges(t *testing.T) {
	from := yearBefore(census)
	wk := care.Pence(70_000) // £700 a week: £100 a day
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       care.Pence
	}{
		{"whole year, open", d(2023, 1, 1), time.Time{}, 365 * 10_000},
		{"started on the census date", census, time.Time{}, 10_000},
		{"started on 1 April 2025", d(2025, 4, 1), time.Time{}, 0},
		{"ended on 1 April 2024", d(2023, 1, 1), d(2024, 4, 1), 0},
		{"ended on 2 April 2024", d(2023, 1, 1), d(2024, 4, 2), 10_000},
		{"ended on 31 March 2024", d(2023, 1, 1), d(2024, 3, 31), 0},
		{"February 2024, before the year", d(2024, 2, 1), d(2024, 2, 29), 0},
		{"within the year, 28 days", d(2024, 6, 1), d(2024, 6, 29), 28 * 10_000},
	} {
		e := care.Episode{Start: tc.start, End: tc.end, WeeklyCost: wk}
		if got := spendIn(e, from, census); got != tc.want {
			t.Errorf("%s: spent %d, want %d", tc.name, got, tc.want)
		}
	}
	// A leap year: the year to 31 March 2024 has 366 days.
	leapYear := d(2024, 3, 31)
	e := care.Episode{Start: d(2020, 1, 1), WeeklyCost: wk}
	if got := spendIn(e, yearBefore(leapYear), leapYear); got != 366*10_000 {
		t.Errorf("year to 31 March 2024: spent %d, want %d", got, 366*10_000)
	}
}

// TestWhoCountsUnknownSexAndComparatorKind: a child whose sex is not known
// (SSDA903 SEX U) is counted under "Not known"; a comparator's kind is
// named beside it when it differs from its name.
func TestWhoCountsUnknownSexAndComparatorKind(t *testing.T) {
	in := nInCare(2)
	in.Children[1].Sex = care.Unknown
	in.Comparators = []Comparator{{Name: "North East", Kind: "region", Values: map[string]float64{MeasureRate: 110}}, {Name: "England", Kind: "England"}}
	p := Compute(in, census)
	eq(t, "female", counts(p.BySex)["F"], 1)
	eq(t, "sex not known", counts(p.BySex)["U"], 1)
	eq(t, "male", counts(p.BySex)["M"], 0)
	cmp := findTable(t, p.Tables(false), "Comparison with published figures")
	if cmp.ColumnIndex("North East (region)") < 0 || cmp.ColumnIndex("England") < 0 || cmp.ColumnIndex("England (England)") >= 0 {
		t.Errorf("comparator columns %+v", cmp.Columns)
	}
}

// TestAgeBands pins the DfE's published age bands on their edges: under 1,
// 1 to 4, 5 to 9, 10 to 15, 16 and over.
func TestAgeBands(t *testing.T) {
	for age, want := range map[int]int{0: 0, 1: 1, 4: 1, 5: 2, 9: 2, 10: 3, 15: 3, 16: 4, 17: 4} {
		if got := ageBand(age); got != want {
			t.Errorf("age %d: band %s, want %s", age, ageBands[got].Label, ageBands[want].Label)
		}
	}
}
