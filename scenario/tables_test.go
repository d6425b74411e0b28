package scenario

import (
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/tabular"
)

// fractional is a result whose means and percentiles of children are not
// whole, as simulation means are.
func fractional() *Result {
	ch := GroupYear{Group: string(care.ForecastChildrensHome), Label: "Children's homes (residential)",
		Children:          Pair{Interval{Mean: 81.8, P10: 74.4, P90: 89.5}, Interval{Mean: 79.4, P10: 71.6, P90: 87.2}},
		AvailableBaseline: 60, AvailableScenario: 63.6}
	y := Year{Year: 1, Ends: "2026-03-31", Groups: []GroupYear{ch},
		InCare:     Pair{Interval{Mean: 402.5, P10: 390.2, P90: 414.7}, Interval{Mean: 398.4, P10: 386.5, P90: 410.1}},
		Far:        Pair{Interval{Mean: 0.2345}, Interval{Mean: 0.2012}},
		Spend:      Pair{Interval{Mean: 12345678.4}, Interval{Mean: 12000000.6}},
		NetSaving:  Interval{Mean: 345677.8},
		Cumulative: Interval{Mean: 345677.8},
		Areas: []AreaYear{{Council: la, Group: string(care.ForecastChildrensHome), NeededBaseline: 40.6, AvailableBaseline: 30,
			NeededScenario: 38.4, AvailableScenario: 33.5}}}
	return &Result{Name: "Homes", Scope: "Gateshead", Origin: "2025-03-31", Years: 1, Sims: 100, Seed: 1, Outcomes: []Year{y}, PaybackYear: 1, PaybackEnds: "2026-03-31"}
}

func tableTitled(t *testing.T, ts []tabular.Table, prefix string) tabular.Table {
	t.Helper()
	for _, x := range ts {
		if strings.Contains(x.Title, prefix) {
			return x
		}
	}
	t.Fatalf("no table %q", prefix)
	return tabular.Table{}
}

// TestTablesShowWholeChildren: children and places are whole numbers
// (81.8 children shows as 82), a change or gap is the difference of the
// figures shown, and money stays in pounds.
func TestTablesShowWholeChildren(t *testing.T) {
	ts := fractional().Tables()
	kids := tableTitled(t, ts, "children in care at each year end")
	want := map[string][]any{
		"Children's homes (residential)": {82.0, 74.0, 90.0, 79.0, 72.0, 87.0, -3.0},
		"All children in care":           {403.0, 390.0, 415.0, 398.0, 387.0, 410.0, -5.0},
	}
	for _, r := range kids.Rows {
		w, ok := want[r[1].(string)]
		if !ok {
			t.Fatalf("row %v", r)
		}
		for i, v := range w {
			if r[2+i] != v {
				t.Errorf("%s, %s: %v, want %v", r[1], kids.Columns[2+i].Name, r[2+i], v)
			}
		}
	}
	gap := tableTitled(t, ts, "Places needed")
	if r := gap.Rows[0]; r[2] != 90.0 || r[3] != 60.0 || r[4] != 30.0 || r[5] != 87.0 || r[6] != 64.0 || r[7] != 23.0 {
		t.Errorf("gap row %v; want needed 90, available 60, gap 30, then 87, 64, 23", r)
	}
	areas := tableTitled(t, ts, "by council")
	if r := areas.Rows[0]; r[3] != 41.0 || r[4] != 30.0 || r[5] != 11.0 || r[6] != 38.0 || r[7] != 34.0 || r[8] != 4.0 {
		t.Errorf("area row %v; want 41, 30, 11, 38, 34, 4", r)
	}
	spend := tableTitled(t, ts, "Spend on placements")
	if got := tabular.Format(spend.Columns[1], spend.Rows[0][1]); got != "£12,345,678" {
		t.Errorf("spend shown as %q", got)
	}
}

// TestCompareKeepsEachFigureInItsForm: the comparison of scenarios shows
// children whole, the share over 20 miles as a percentage with one decimal
// and money in pounds, and refuses results that do not share a baseline.
func TestCompareKeepsEachFigureInItsForm(t *testing.T) {
	a, b := fractional(), fractional()
	b.Name, b.PaybackYear = "Other", 0
	ts, err := Compare([]*Result{a, b})
	if err != nil || len(ts) != 3 {
		t.Fatalf("%v, %d tables", err, len(ts))
	}
	kids, far, money := ts[0], ts[1], ts[2]
	if r := kids.Rows[0]; r[1] != "Children in care" || r[2] != 403.0 || r[3] != 398.0 || tabular.Format(kids.Columns[3], r[3]) != "398" {
		t.Errorf("children row %v", r)
	}
	if r := far.Rows[0]; r[2] != 23.5 || r[3] != 20.1 || tabular.Format(far.Columns[3], r[3]) != "20.1" {
		t.Errorf("far row %v", r)
	}
	if r := money.Rows[0]; r[1] != "Spend" || tabular.Format(money.Columns[2], r[2]) != "£12,345,678" {
		t.Errorf("money row %v", r)
	}
	last := money.Rows[len(money.Rows)-1]
	if last[1] != "Payback year" || last[3] != "year 1 (by 31 March 2026)" || last[4] != "not within 1 year" {
		t.Errorf("payback row %v", last)
	}
	b.Seed = 2
	if _, err := Compare([]*Result{a, b}); err == nil {
		t.Error("results with different seeds compared")
	}
}
