package analysis

import (
	"reflect"
	"testing"
	"time"

	"sufficiency/care"
)

func TestInCareHistory(t *testing.T) {
	d := care.Date
	ep := func(child string, start, end time.Time, ls string) care.Episode {
		return care.Episode{Council: "E1", ChildID: child, Start: start, End: end, LegalStatus: ls, Placement: "U1"}
	}
	eps := []care.Episode{
		// Ends in the 2021–22 collection year: the returns start 1 April 2021.
		ep("a", d(2020, 5, 1), d(2021, 6, 30), "C2"),
		// In care at 31 March 2022 only: it ends on 31 March 2023, and a
		// child whose episode ends that day is not in care at its end.
		ep("b", d(2021, 9, 1), d(2023, 3, 31), "C2"),
		// In care from 31 March 2023 (the start day counts) to now.
		ep("c", d(2023, 3, 31), time.Time{}, "C2"),
		// Short breaks never count.
		ep("d", d(2021, 1, 1), time.Time{}, "V3"),
	}
	got := InCareHistory(eps, d(2024, 6, 1))
	want := []YearCount{{2022, 1}, {2023, 1}, {2024, 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("InCareHistory = %v, want %v", got, want)
	}
	// At 31 March 2024 exactly, that year is included; the day before, not.
	if got := InCareHistory(eps, d(2024, 3, 31)); len(got) != 3 {
		t.Errorf("at 31 March 2024: %v", got)
	}
	if got := InCareHistory(eps, d(2024, 3, 30)); len(got) != 2 {
		t.Errorf("at 30 March 2024: %v", got)
	}
	if got := InCareHistory(nil, d(2024, 3, 30)); got != nil {
		t.Errorf("no episodes: %v", got)
	}
	// Nothing ended: the returns' start is not known, so only the last 31
	// March up to the date is counted.
	open := []care.Episode{ep("c", d(2023, 3, 31), time.Time{}, "C2")}
	if got := InCareHistory(open, d(2024, 6, 1)); !reflect.DeepEqual(got, []YearCount{{2024, 1}}) {
		t.Errorf("open episodes only: %v", got)
	}
	if got := InCareHistory(open, d(2024, 3, 30)); !reflect.DeepEqual(got, []YearCount{{2023, 1}}) {
		t.Errorf("open episodes only, before 31 March: %v", got)
	}
}
