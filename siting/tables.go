package siting

import (
	"fmt"
	"time"

	"sufficiency/refdata"
	"sufficiency/tabular"
)

// Tables lays an answer out: the chosen sites, and before and after.
// Children counts are of the council's own children, so small ones are
// suppressed when published (the CLI prints them for the council's use).
func (a *Answer) Tables() []tabular.Table {
	what := "children's homes"
	if a.For == "fostering" {
		what = "foster recruitment"
	}
	sites := tabular.Table{Title: fmt.Sprintf("Where to open %d %s of %d places (%s, children placed at %s)", a.Homes, what, a.Places, a.Scope, longDate(a.At)),
		Columns: []tabular.Column{{Name: "Site", Kind: tabular.Text}, {Name: "Postcode district", Kind: tabular.Text}, {Name: "Council", Kind: tabular.Text},
			{Name: "Children it would take", Kind: tabular.Count}, {Name: "Miles closer to home (total)", Kind: tabular.Number},
			{Name: "Brought within 20 miles", Kind: tabular.Count}}}
	for _, s := range a.Sites {
		council := s.Council
		if c, ok := refdata.CouncilByCode(s.Council); ok {
			council = c.Name
		}
		sites.AddRow(s.Code, s.District, council, s.Children, s.MilesSaved, s.BroughtIn)
	}
	sites.Notes = append(sites.Notes,
		fmt.Sprintf("Method: %s over %d candidate sites; children given places by min-cost flow (at most %d a home).", a.Method, a.Candidates, a.Places),
		fmt.Sprintf("Saving %.0f miles; no %d homes among the candidates could save more than %.0f miles, so this choice achieves at least %.0f%% of the best possible.", a.Saving, a.Homes, a.Bound, 100*a.Guaranteed))
	if a.Unlocated > 0 {
		sites.Notes = append(sites.Notes, fmt.Sprintf("%d children left out: no home postcode or placement distance recorded.", a.Unlocated))
	}
	ba := tabular.Table{Title: "Distance from home before and after",
		Columns: []tabular.Column{{Name: "", Kind: tabular.Text}, {Name: "Children", Kind: tabular.Count}, {Name: "Mean miles from home", Kind: tabular.Number},
			{Name: "Over 20 miles", Kind: tabular.Count}, {Name: "Share over 20 miles %", Kind: tabular.Percent, Base: "Children"}}}
	ba.AddRow("Now", a.Before.Children, a.Before.MeanMiles, a.Before.Over20, 100*a.Before.ShareOver0)
	ba.AddRow("With the new homes", a.After.Children, a.After.MeanMiles, a.After.Over20, 100*a.After.ShareOver0)
	return []tabular.Table{sites, ba}
}

// longDate writes 2025-03-31 as 31 March 2025.
func longDate(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.Format("2 January 2006")
}
