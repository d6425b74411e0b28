package care

import (
	"strings"
	"testing"
	"time"
)

// Tests of the episode-run rules (run.go), moved here from picture with them.

var d = Date

func TestPlacementsInYear(t *testing.T) {
	from, to := d(2024, 3, 31), d(2025, 3, 31)
	e := func(start, end time.Time, rne, place, urn string) Episode {
		return Episode{Start: start, End: end, ReasonNew: rne, Placement: PlacementType(place), URN: urn}
	}
	tests := []struct {
		name string
		run  []Episode
		want int
	}{
		{"OnePlacementAllYear", []Episode{e(d(2020, 1, 1), time.Time{}, "S", "U4", "1")}, 1},
		{"LegalStatusChangeIsSamePlacement", []Episode{
			e(d(2020, 1, 1), d(2024, 6, 1), "S", "U4", "1"), e(d(2024, 6, 1), time.Time{}, "L", "U4", "1")}, 1},
		{"ReturnAfterTemporaryNotCounted", []Episode{
			e(d(2024, 1, 1), d(2024, 7, 1), "S", "U4", "1"), e(d(2024, 7, 1), d(2024, 7, 8), "P", "T2", ""),
			e(d(2024, 7, 8), time.Time{}, "P", "U4", "1")}, 1},
		{"ThreeMoves", []Episode{
			e(d(2024, 1, 1), d(2024, 5, 1), "S", "U4", "1"), e(d(2024, 5, 1), d(2024, 8, 1), "P", "U6", "2"),
			e(d(2024, 8, 1), time.Time{}, "B", "K2", "3")}, 3},
		{"EndedBeforeYearNotCounted", []Episode{
			e(d(2023, 1, 1), d(2024, 3, 31), "S", "U4", "1"), e(d(2024, 3, 31), time.Time{}, "P", "U6", "2")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlacementsInYear(tt.run, from, to); got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
		})
	}
}

// Thresholds measured back from 31 March (or 29 February) land on the last
// day of a shorter month, not the first day of the next.
func TestMonthsBefore(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		n    int
		want time.Time
	}{
		{d(2025, 3, 31), 30, d(2022, 9, 30)},
		{d(2025, 3, 31), 24, d(2023, 3, 31)},
		{d(2025, 3, 31), 12, d(2024, 3, 31)},
		{d(2024, 2, 29), 12, d(2023, 2, 28)},
		{d(2025, 3, 31), 1, d(2025, 2, 28)},
		{d(2025, 1, 15), 3, d(2024, 10, 15)},
	} {
		if got := MonthsBefore(tc.at, tc.n); !got.Equal(tc.want) {
			t.Errorf("MonthsBefore(%s, %d) = %s, want %s", tc.at.Format("2006-01-02"), tc.n, got.Format("2006-01-02"), tc.want.Format("2006-01-02"))
		}
	}
}

func TestPlacementStart(t *testing.T) {
	e := func(start, end time.Time, rne, place, urn string) Episode {
		return Episode{Start: start, End: end, ReasonNew: rne, Placement: PlacementType(place), URN: urn}
	}
	tests := []struct {
		name string
		run  []Episode
		want time.Time
	}{
		{"Alone", []Episode{e(d(2020, 1, 1), time.Time{}, "S", "K2", "1")}, d(2020, 1, 1)},
		{"LegalStatusOnly", []Episode{e(d(2020, 1, 1), d(2022, 1, 1), "S", "K2", "1"), e(d(2022, 1, 1), time.Time{}, "L", "K2", "1")}, d(2020, 1, 1)},
		{"RespiteDoesNotEndThePlacement", []Episode{
			e(d(2020, 1, 1), d(2023, 7, 1), "S", "K2", "1"), e(d(2023, 7, 1), d(2023, 7, 8), "P", "T2", ""),
			e(d(2023, 7, 8), time.Time{}, "P", "K2", "1")}, d(2020, 1, 1)},
		{"TemporaryThenElsewhere", []Episode{
			e(d(2020, 1, 1), d(2023, 7, 1), "S", "K2", "1"), e(d(2023, 7, 1), d(2023, 7, 8), "P", "T2", ""),
			e(d(2023, 7, 8), time.Time{}, "P", "K2", "2")}, d(2023, 7, 8)},
		{"GapEndsThePlacement", []Episode{
			e(d(2020, 1, 1), d(2023, 7, 1), "S", "K2", "1"), e(d(2023, 7, 2), d(2023, 7, 8), "P", "T2", ""),
			e(d(2023, 7, 8), time.Time{}, "P", "K2", "1")}, d(2023, 7, 8)},
		{"NewCarers", []Episode{e(d(2020, 1, 1), d(2022, 1, 1), "S", "K2", "1"), e(d(2022, 1, 1), time.Time{}, "P", "K2", "2")}, d(2022, 1, 1)},
		// A temporary placement first in the run is not between two
		// episodes of one placement: the next placement starts afresh.
		{"TemporaryFirst", []Episode{e(d(2023, 7, 1), d(2023, 7, 8), "S", "T2", ""), e(d(2023, 7, 8), time.Time{}, "P", "U4", "1")}, d(2023, 7, 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlacementStart(tt.run, len(tt.run)-1); !got.Equal(tt.want) {
				t.Fatalf("got %s, want %s", got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
			}
		})
	}
}

func TestPlacementKeyFosterCodes(t *testing.T) {
	a := Episode{Placement: "U4", Provider: "PR1", PlacementPostcode: "NE1 4AB"}
	b := Episode{Placement: "U6", Provider: "PR1", PlacementPostcode: "ne14ab"}
	c := Episode{Placement: "K2", Provider: "PR1", PlacementPostcode: "NE1 4AB"}
	if PlacementKey(a) != PlacementKey(b) {
		t.Errorf("siblings with the same carers under U4 and U6: keys %q and %q differ", PlacementKey(a), PlacementKey(b))
	}
	if PlacementKey(a) == PlacementKey(c) {
		t.Errorf("a foster placement and a children's home share key %q", PlacementKey(a))
	}
}

// TestSamePlacementWithoutURN: without Ofsted URNs two episodes are in the
// same placement when their placement type, provider and placement postcode
// (ignoring case and spaces) agree (PlacementKey); with a setting's URN on
// either, the URNs decide (a fostering agency's URN does not: SettingURN).
func TestSamePlacementWithoutURN(t *testing.T) {
	base := Episode{Placement: "U4", Provider: ProviderOwnLA, PlacementPostcode: "AB1 2CD"}
	for _, tc := range []struct {
		name string
		b    func(e *Episode)
		same bool
	}{
		{"Same", func(e *Episode) {}, true},
		{"PostcodeSpacingAndCase", func(e *Episode) { e.PlacementPostcode = "ab12cd" }, true},
		{"OtherPostcode", func(e *Episode) { e.PlacementPostcode = "AB1 2CE" }, false},
		{"OtherProvider", func(e *Episode) { e.Provider = ProviderPrivate }, false},
		{"OtherType", func(e *Episode) { e.Placement = "U5" }, false},
		{"AgencyURNOnOneOnly", func(e *Episode) { e.URN = "SC123456" }, true}, // a fostering agency's URN does not name the household
		{"HomeURNOnOneOnly", func(e *Episode) { e.Placement, e.URN = "K2", "SC123456" }, false},
	} {
		b := base
		tc.b(&b)
		if got := SamePlacement(base, b); got != tc.same {
			t.Errorf("%s: SamePlacement = %v, want %v", tc.name, got, tc.same)
		}
		if got := SamePlacement(b, base); got != tc.same {
			t.Errorf("%s, the other way round: SamePlacement = %v, want %v", tc.name, got, tc.same)
		}
	}
	a, b := base, base
	a.Placement, b.Placement = "K2", "K2"
	a.URN, b.URN = "SC123456", "SC123456"
	b.PlacementPostcode = "ZZ9 9ZZ"
	if !SamePlacement(a, b) {
		t.Error("one URN, different postcodes: not the same placement")
	}
}

// LeftCareBefore: a child is erased by the retention policy only when no
// episode is open and the last one ended strictly before the day (on the
// day is kept; the limit is tested on, below and above).
func TestLeftCareBefore(t *testing.T) {
	before := d(2020, 4, 1)
	e := func(child string, start, end time.Time) Episode {
		return Episode{ChildID: child, Start: start, End: end}
	}
	eps := []Episode{
		e("below", d(2018, 1, 1), d(2020, 3, 31)),                                      // ended the day before: erased
		e("on", d(2018, 1, 1), d(2020, 4, 1)),                                          // ended on the day: kept
		e("above", d(2018, 1, 1), d(2020, 4, 2)),                                       // ended after: kept
		e("open", d(2015, 1, 1), d(2016, 1, 1)), e("open", d(2016, 1, 1), time.Time{}), // back in care: kept
		e("twice", d(2015, 1, 1), d(2016, 1, 1)), e("twice", d(2017, 1, 1), d(2019, 1, 1)), // both ended: erased
		e("later", d(2015, 1, 1), d(2016, 1, 1)), e("later", d(2019, 1, 1), d(2021, 1, 1)), // last ended after: kept
	}
	got := LeftCareBefore(eps, before)
	if strings.Join(got, ",") != "below,twice" {
		t.Fatalf("LeftCareBefore = %v, want [below twice]", got)
	}
	if got := LeftCareBefore(nil, before); got != nil {
		t.Fatalf("no episodes: %v", got)
	}
}
